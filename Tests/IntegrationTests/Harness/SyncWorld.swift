import Foundation

/// An empty bare remote and the user's two machines, neither of them set up yet (each test runs
/// `git ccsync init` itself, as the user would):
/// - A, `linux-a`: home `<sandbox>/home/ana`, `PROJECTS` = `~/code`, Claude's store at the default
///   `~/.claude`, the working copy given as `CCSYNC_DIR`;
/// - B, `mac-b`: home `<sandbox>/Users/ana`, `PROJECTS` = `~/dev`, Claude's store in `CLAUDE_CONFIG_DIR`
///   (`~/.config/claude`), the working copy at the default `~/.ccsync`.
struct SyncWorld {
    let sandbox: Sandbox
    let remote: String
    let a: SyncMachine
    let b: SyncMachine

    init(sandbox: Sandbox) throws {
        self.sandbox = sandbox
        remote = sandbox.path("remote.git")
        a = try SyncMachine(.linuxA(in: sandbox), sandbox: sandbox)
        let bSpec = Machine.Spec.macB(in: sandbox)
        b = try SyncMachine(bSpec, sandbox: sandbox, claudeConfigDirectory: bSpec.home + "/.config/claude",
                            setsCCSyncDir: false)
        try a.machine.git("init", "--quiet", "--bare", "--initial-branch=main", remote, in: sandbox.root)
    }

    /// Both machines set up with `git ccsync init` against the empty remote, A first (it creates the
    /// repository), nothing in either store yet.
    static func bothInitialized(sandbox: Sandbox) throws -> SyncWorld {
        let world = try SyncWorld(sandbox: sandbox)
        try world.a.initialize(remote: world.remote)
        try world.b.initialize(remote: world.remote)
        return world
    }

    /// The remote's `main`, nil before anything was pushed.
    func remoteHead() throws -> String? {
        let result = try a.machine.gitResult(["--git-dir", remote, "rev-parse", "--verify", "--quiet", "refs/heads/main"],
                                             in: sandbox.root)
        return result.succeeded ? result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Every file on the remote's `main`.
    func remoteFiles() throws -> [String] {
        try a.machine.git("--git-dir", remote, "ls-tree", "-r", "--name-only", "main", in: sandbox.root)
            .stdoutText.split(separator: "\n").map(String.init)
    }

    /// The blob for `path` on the remote's `main`, in repository form.
    func remoteBlob(_ path: String) throws -> [UInt8] {
        try a.machine.git("--git-dir", remote, "cat-file", "blob", "main:\(path)", in: sandbox.root).stdout
    }

    /// The remote's file whose path ends with `suffix` (e.g. `/<session id>.jsonl`), if exactly one does.
    func remotePath(endingWith suffix: String) throws -> String? {
        let found = try remoteFiles().filter { $0.hasSuffix(suffix) }
        return found.count == 1 ? found[0] : nil
    }
}

/// A session as Claude Code keeps it in one machine's store: its log and the files beside it.
struct StoreSession {
    let id: String
    /// Its working directory on the machine that holds it.
    let cwd: String
    /// Paths inside the project folder (`<id>.jsonl`, `<id>/subagents/agent-*.jsonl`, `memory/*.md`...) → bytes.
    let files: [String: [UInt8]]

    var log: String { "\(id).jsonl" }

    /// One of its files, which must exist (so that an expectation is never vacuously empty).
    func file(_ relative: String) throws -> [UInt8] {
        guard let bytes = files[relative], !bytes.isEmpty else { throw HarnessError("session \(id) has no \(relative)") }
        return bytes
    }

    /// Places a generated session (its log and every file beside it: subagents, tool results, memory) into
    /// `machine`'s store, with the machine's `PROJECTS` and home in its paths, under the folder Claude Code
    /// would use for its cwd.
    @discardableResult
    static func placeGenerated(_ name: String, on machine: SyncMachine) throws -> StoreSession {
        let session = try TestLogs.session(name, for: machine.machine)
        guard Self.firstValue(of: "sessionId", in: session.logBytes) == session.id,
              Self.firstValue(of: "cwd", in: session.logBytes) == session.cwd else {
            throw HarnessError("generated session \(name) does not record its id \(session.id) and cwd \(session.cwd) first")
        }
        for (relative, bytes) in session.files { try machine.writeStore(cwd: session.cwd, relative, bytes) }
        return StoreSession(id: session.id, cwd: session.cwd, files: session.files)
    }

    /// The first `"key":"value"` of a log (ids and cwds need no unescaping).
    static func firstValue(of key: String, in bytes: [UInt8]) -> String? {
        let needle = "\"\(key)\":\""
        guard let at = Bytes.occurrences(of: needle, in: bytes).first else { return nil }
        let start = at + needle.utf8.count
        guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The same session as `other` must see it: its cwd and contents with `from`'s paths as `to`'s.
    func translated(from: SyncMachine, to: SyncMachine) -> StoreSession {
        StoreSession(id: id, cwd: String(decoding: from.translated(Array(cwd.utf8), to: to), as: UTF8.self),
                     files: files.mapValues { from.translated($0, to: to) })
    }
}

/// New record lines as Claude Code appends them on one machine: a user turn and an assistant tool call
/// with that machine's paths in `cwd`, free text, `file_path`, a command and a tool result.
enum SessionRecords {
    /// `count` lines (each ending in `\n`) for session `id`, their uuids unique per `tag`.
    static func lines(_ count: Int, tag: Int, session id: String, cwd: String, on machine: SyncMachine) -> [UInt8] {
        var text = ""
        var parent = "null"
        for n in 0..<count {
            let uuid = String(format: "%08x-0000-4000-8000-%012x", tag, n)
            let time = String(format: "2025-06-02T10:%02d:%02d.000Z", tag % 60, n % 60)
            let common = #""parentUuid":\#(parent),"isSidechain":false,"userType":"external","cwd":"\#(cwd)","sessionId":"\#(id)","version":"2.1.38","gitBranch":"main""#
            if n % 2 == 0 {
                text += #"{\#(common),"type":"user","message":{"role":"user","content":"[\#(machine.id) #\#(tag).\#(n)] look at \#(cwd)/lib/app.ex and \#(machine.home)/.zshrc"},"uuid":"\#(uuid)","timestamp":"\#(time)"}"# + "\n"
            } else {
                text += #"{\#(common),"type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","id":"toolu_\#(tag)_\#(n)","name":"Read","input":{"file_path":"\#(machine.projects)/spotter/lib/app.ex","command":"cd \#(cwd) && mix test"}}]},"toolUseResult":{"stdout":"a.txt\n\#(cwd)/b.txt\n\#(machine.home)/notes"},"uuid":"\#(uuid)","timestamp":"\#(time)"}"# + "\n"
            }
            parent = "\"\(uuid)\""
        }
        return Array(text.utf8)
    }
}
