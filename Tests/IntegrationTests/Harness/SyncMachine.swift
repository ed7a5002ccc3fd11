import Foundation
import Testing

/// A machine set up the way its user sets it up: `git ccsync init` makes the working copy at
/// `<home>/.ccsync`, Claude Code writes sessions into the machine's own store, and `git ccsync push` /
/// `pull` (or plain git in the working copy) move them.
///
/// Wraps a `Machine` (its environment, git configuration and author) and adds what the sync commands
/// read from the environment: `CCSYNC_DIR` (or nothing, so the default `~/.ccsync` is used) and
/// `CLAUDE_CONFIG_DIR` (or nothing, so the default `~/.claude` is used).
final class SyncMachine {
    let machine: Machine
    /// Claude's store on this machine.
    let claudeRoot: String
    /// What every command of this machine runs with, on top of `machine.environment`.
    let extraEnvironment: [String: String]

    var sandbox: Sandbox { machine.sandbox }
    var id: String { machine.id }
    var home: String { machine.home }
    var projects: String { machine.projects }
    /// The sync working copy (`<home>/.ccsync`).
    var workingCopy: String { machine.clone }
    var environment: [String: String] { machine.environment.merging(extraEnvironment) { $1 } }
    /// The binary under test with symlinks resolved: what `init` records in git config and hooks (it
    /// resolves its own executable's path, and `.build/debug` is a symlink).
    var resolvedBinary: String { Sandbox.realPath(machine.binary) }

    /// - Parameters:
    ///   - claudeConfigDirectory: a store outside the default, passed as `CLAUDE_CONFIG_DIR`.
    ///   - setsCCSyncDir: pass the working copy as `CCSYNC_DIR`; otherwise the default `~/.ccsync` is
    ///     relied on (the same directory).
    init(_ spec: Machine.Spec, sandbox: Sandbox, claudeConfigDirectory: String? = nil, setsCCSyncDir: Bool = true) throws {
        machine = try Machine(spec, sandbox: sandbox)
        claudeRoot = claudeConfigDirectory ?? spec.home + "/.claude"
        var extra: [String: String] = [:]
        if let claudeConfigDirectory { extra["CLAUDE_CONFIG_DIR"] = claudeConfigDirectory }
        if setsCCSyncDir { extra["CCSYNC_DIR"] = spec.clone }
        extraEnvironment = extra
        try sandbox.mkdir(claudeRoot + "/projects")
    }

    // MARK: git-ccsync

    /// `git-ccsync <arguments>` run from the home directory; throws with its output unless it exits 0.
    @discardableResult
    func ccsync(_ arguments: String..., stdin: [UInt8]? = nil) throws -> CommandResult {
        try ccsyncResult(arguments, stdin: stdin).orThrow()
    }

    /// `git-ccsync <arguments>` whatever its exit status.
    func ccsyncResult(_ arguments: [String], in directory: String? = nil, stdin: [UInt8]? = nil,
                      environment extra: [String: String] = [:]) throws -> CommandResult {
        try Command.run(machine.binary, arguments, in: directory ?? home,
                        environment: environment.merging(extra) { $1 }, stdin: stdin, sandbox: sandbox)
    }

    /// The arguments of this machine's `git ccsync init`: its id and its `PROJECTS`.
    func initArguments(remote: String) -> [String] {
        ["init", "--remote", remote, "--machine", id, "--add-placeholder", "PROJECTS=\(projects)"]
    }

    /// `git ccsync init` as its user runs it; must succeed.
    @discardableResult
    func initialize(remote: String) throws -> CommandResult {
        try ccsyncResult(initArguments(remote: remote)).orThrow()
    }

    /// Starts `git-ccsync <arguments>` without waiting for it (see `BackgroundCommand`).
    func startCCSync(_ arguments: [String]) throws -> BackgroundCommand {
        try BackgroundCommand(machine.binary, arguments, in: home, environment: environment, sandbox: sandbox)
    }

    // MARK: git in the working copy

    /// `git <arguments>` in the working copy with this machine's whole environment (hooks then run
    /// `git-ccsync` exactly as they would for the user); throws unless it exits 0.
    @discardableResult
    func git(_ arguments: String..., stdin: [UInt8]? = nil) throws -> CommandResult {
        try machine.gitResult(arguments, in: workingCopy, stdin: stdin, environment: extraEnvironment).orThrow()
    }

    func gitResult(_ arguments: [String]) throws -> CommandResult {
        try machine.gitResult(arguments, in: workingCopy, environment: extraEnvironment)
    }

    /// `HEAD` of the working copy.
    func head() throws -> String {
        try git("rev-parse", "HEAD").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func commitCount() throws -> Int {
        Int(try git("rev-list", "--count", "HEAD").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    var hooksDirectory: String { workingCopy + "/.git/hooks" }

    // MARK: Claude's store

    /// Claude Code's folder name for a cwd: every character that is not an ASCII letter or digit becomes
    /// `-` (the sandbox's paths are short ASCII, so neither NFC nor the 200-character hash applies).
    static func folderName(forCwd cwd: String) -> String {
        String(cwd.utf16.map { unit -> Character in
            let isLetterOrDigit = (0x30...0x39).contains(unit) || (0x41...0x5A).contains(unit) || (0x61...0x7A).contains(unit)
            return isLetterOrDigit ? Character(Unicode.Scalar(UInt8(unit))) : "-"
        })
    }

    /// `<store>/projects/<folder of cwd>`.
    func storeFolder(cwd: String) -> String {
        claudeRoot + "/projects/" + Self.folderName(forCwd: cwd)
    }

    func storePath(cwd: String, _ relative: String) -> String {
        storeFolder(cwd: cwd) + "/" + relative
    }

    func writeStore(cwd: String, _ relative: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: storePath(cwd: cwd, relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Appends as Claude does: to the open log, never rewriting what is there.
    func appendStore(cwd: String, _ relative: String, _ bytes: [UInt8]) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: storePath(cwd: cwd, relative)))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    func readStore(cwd: String, _ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: storePath(cwd: cwd, relative))))
    }

    func storeHas(cwd: String, _ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: storePath(cwd: cwd, relative))
    }

    /// Every file under the store's `projects/`, by path relative to it.
    func storeFiles() throws -> [String: [UInt8]] {
        try Self.files(under: claudeRoot + "/projects")
    }

    /// Every file of the working copy outside `.git`, by path relative to it.
    func workingCopyFiles() throws -> [String: [UInt8]] {
        try Self.files(under: workingCopy).filter { !$0.key.hasPrefix(".git/") }
    }

    static func files(under root: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = walker.nextObject() as? String {
            if relative == ".git" { walker.skipDescendants(); continue }
            let type = walker.fileAttributes?[.type] as? FileAttributeType
            guard type == .typeRegular else { continue }
            result[relative] = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
        }
        return result
    }

    // MARK: checks

    /// `git status --porcelain` is empty, no merge is in progress and nothing is unmerged.
    func expectCleanStatus(_ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let status = try git("status", "--porcelain", "--untracked-files=all")
        sandbox.check(status.stdout.isEmpty, "\(id), \(context): git status is not clean:\n\(status)",
                      sourceLocation: sourceLocation)
        let mergeHead = FileManager.default.fileExists(atPath: workingCopy + "/.git/MERGE_HEAD")
        sandbox.check(!mergeHead, "\(id), \(context): a merge is still in progress (.git/MERGE_HEAD exists)",
                      sourceLocation: sourceLocation)
    }

    /// No `<<<<<<<` / `>>>>>>>` in any file of the working copy or the store.
    func expectNoConflictMarkers(_ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let places = [("working copy", try workingCopyFiles()), ("store", try storeFiles())]
        for (place, files) in places {
            for (path, bytes) in files.sorted(by: { $0.key < $1.key }) {
                for marker in ["<<<<<<<", ">>>>>>>"] {
                    guard let at = Bytes.occurrences(of: marker, in: bytes).first else { continue }
                    sandbox.check(false, "\(id), \(context): conflict marker in the \(place)'s \(path): "
                                  + Bytes.excerpt(bytes, around: at), sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// `bytes` written here as `other` must see them: this machine's paths turned into `other`'s.
    func translated(_ bytes: [UInt8], to other: SyncMachine) -> [UInt8] {
        TestLogs.translated(bytes, from: machine, to: other.machine)
    }
}
