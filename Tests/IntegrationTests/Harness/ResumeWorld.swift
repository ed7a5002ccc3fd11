import CCSyncCore
import Foundation
import Testing

/// Two machines set up with `git ccsync init` (A first, creating the repository; see `SyncWorld`) that
/// share a few sessions A's Claude wrote, with the stand-in `claude` configured on both and short lock
/// TTLs: the starting point of every lock and resume test.
///
/// Each session lives in `<PROJECTS>/<project>` on both machines (the directory exists on both, so resume
/// can `chdir` into it) and starts with one user prompt (its title) and one assistant answer, both
/// holding A's paths.
struct ResumeWorld {
    struct Session {
        let id: String
        let project: String
        let title: String
        /// The first record's timestamp; `list` and the picker show the newest first.
        let timestamp: String

        var log: String { "\(id).jsonl" }
    }

    static let s = Session(id: "5a5a5a5a-1111-4111-8111-111111111111", project: "spotter",
                           title: "Refactor the billing module", timestamp: "2025-06-01T10:00:00.000Z")
    static let t = Session(id: "7b7b7b7b-2222-4222-8222-222222222222", project: "shop",
                           title: "Fix the login timeout", timestamp: "2025-06-01T09:00:00.000Z")
    static let u = Session(id: "9c9c9c9c-3333-4333-8333-333333333333", project: "spotter",
                           title: "Write the release notes", timestamp: "2025-06-01T08:00:00.000Z")

    let world: SyncWorld
    let claude: StandInClaude
    let sessions: [Session]

    var sandbox: Sandbox { world.sandbox }
    var a: SyncMachine { world.a }
    var b: SyncMachine { world.b }
    var remote: String { world.remote }

    /// - Parameters:
    ///   - ttl: `ccsync.lockTtl` on both machines, in seconds.
    ///   - backupInterval: `ccsync.backupInterval` on both machines (nil: the default, 300 s).
    init(sandbox: Sandbox, sessions: [Session] = [ResumeWorld.s, ResumeWorld.t], ttl: Int = 30,
         backupInterval: Int? = nil) throws {
        world = try SyncWorld(sandbox: sandbox)
        claude = try StandInClaude(sandbox: sandbox)
        self.sessions = sessions
        for session in sessions {
            for machine in [world.a, world.b] { try sandbox.mkdir(Self.cwd(of: session, on: machine)) }
            try world.a.writeStore(cwd: Self.cwd(of: session, on: world.a), session.log, Self.initialLog(session, on: world.a))
        }
        for machine in [world.a, world.b] {
            try machine.initialize(remote: world.remote)
            try claude.configure(machine)
            try machine.git("config", "ccsync.lockTtl", String(ttl))
            if let backupInterval { try machine.git("config", "ccsync.backupInterval", String(backupInterval)) }
        }
        try world.b.ccsync("pull")
        for session in sessions {
            guard world.b.storeHas(cwd: Self.cwd(of: session, on: world.b), session.log) else {
                throw HarnessError("setup: B's store did not get session \(session.id) from A")
            }
        }
    }

    // MARK: sessions

    static func cwd(of session: Session, on machine: SyncMachine) -> String {
        machine.projects + "/" + session.project
    }

    /// The log as A's Claude wrote it before anything here runs.
    static func initialLog(_ session: Session, on machine: SyncMachine) -> [UInt8] {
        let cwd = cwd(of: session, on: machine)
        let common = #""isSidechain":false,"userType":"external","cwd":"\#(cwd)","sessionId":"\#(session.id)","version":"2.1.38","gitBranch":"main""#
        let prefix = session.id.prefix(8)
        return Array((
            #"{"parentUuid":null,\#(common),"type":"user","message":{"role":"user","content":"\#(session.title)"},"uuid":"\#(prefix)-u0","timestamp":"\#(session.timestamp)"}"# + "\n"
            + #"{"parentUuid":"\#(prefix)-u0",\#(common),"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"Reading \#(cwd)/lib/app.ex"}]},"uuid":"\#(prefix)-a0","timestamp":"\#(session.timestamp)"}"# + "\n"
        ).utf8)
    }

    /// The session's log in `machine`'s store (empty if it has none).
    func storeLog(_ session: Session, on machine: SyncMachine) -> [UInt8] {
        (try? machine.readStore(cwd: Self.cwd(of: session, on: machine), session.log)) ?? []
    }

    /// The session's log on the remote's `main`, in repository form (empty if it is not there).
    func remoteLog(_ session: Session) throws -> [UInt8] {
        guard let path = try world.remotePath(endingWith: "/" + session.log) else { return [] }
        return try world.remoteBlob(path)
    }

    // MARK: resume

    /// `git ccsync resume <arguments>` on `machine`, its stand-in Claude behaving as `run` says.
    func resume(on machine: SyncMachine, _ arguments: [String], run: StandInClaude.Run) throws -> CommandResult {
        try machine.ccsyncResult(["resume"] + arguments, environment: run.environment)
    }

    /// The same, started in the background.
    func startResume(on machine: SyncMachine, _ arguments: [String], run: StandInClaude.Run) throws -> BackgroundCommand {
        try BackgroundCommand(machine.machine.binary, ["resume"] + arguments, in: machine.home,
                              environment: machine.environment.merging(run.environment) { $1 }, sandbox: sandbox)
    }

    /// Waits until the stand-in of `run` has written its first records (so the resume holds its lock).
    func waitForClaude(_ run: StandInClaude.Run, of command: BackgroundCommand, timeout: TimeInterval = 60) throws {
        try waitUntil("the stand-in Claude of \(run.marker) to start", timeout: timeout,
                      context: { "resume is \(command.hasEnded ? "gone" : "still running"); its stderr so far:\n\(command.stderrSoFar)" }) {
            if run.hasAppended { return true }
            if command.hasEnded { throw HarnessError("resume ended before its Claude started:\n\(try command.wait())") }
            return false
        }
    }

    // MARK: locks

    /// Every lock on the remote, by session id (read from the bare repository itself).
    func remoteLocks() throws -> [String: LockRecord] {
        let listed = try a.machine.git("--git-dir", remote, "for-each-ref", "--format=%(refname)", LockManager.remotePrefix,
                                       in: sandbox.root).stdoutText
        var locks: [String: LockRecord] = [:]
        for ref in listed.split(separator: "\n") {
            let id = String(ref.dropFirst(LockManager.remotePrefix.count))
            let message = try a.machine.git("--git-dir", remote, "log", "-1", "--format=%B", String(ref), in: sandbox.root).stdoutText
            guard let record = LockRecord(message: message) else { throw HarnessError("lock \(ref) is not a lock record:\n\(message)") }
            locks[id] = record
        }
        return locks
    }

    /// `git ccsync lock show --format json` on `machine`, parsed; throws unless it succeeds.
    func lockShow(on machine: SyncMachine) throws -> [[String: Any]] {
        let result = try machine.ccsync("lock", "show", "--format", "json")
        guard let rows = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: Any]] else {
            throw HarnessError("lock show --format json is not an array of objects:\n\(result)")
        }
        return rows
    }

    /// The locks `machine` keeps as its own (`refs/ccsync/held/*` in its working copy).
    func heldLocks(on machine: SyncMachine) throws -> [String] {
        try machine.git("for-each-ref", "--format=%(refname)", LockManager.heldPrefix).stdoutText
            .split(separator: "\n").map { String($0.dropFirst(LockManager.heldPrefix.count)) }
    }

    /// A lock manager working on `machine`'s working copy with its environment, built as the product
    /// builds it (`WorkingCopy.lockManager`): for setting up locks the way a running `resume` holds them.
    func lockManager(_ machine: SyncMachine, ttl: TimeInterval) throws -> LockManager {
        let copy = try WorkingCopy.open(directory: machine.workingCopy, home: machine.home,
                                        defaultClaudeRoot: machine.home + "/.claude",
                                        runner: ProcessRunner(environment: machine.environment))
        return copy.lockManager(ttl: ttl)
    }
}

/// Line-level checks of session logs.
enum Lines {
    /// The lines of `bytes`, each with its `\n` (a last line without one is kept as it is).
    static func of(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            lines.append(Array(bytes[start...index]))
            start = index + 1
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }

    /// Checks that each of `expected` is a whole line of `log`, exactly once.
    static func expectEach(_ expected: [[UInt8]], in log: [UInt8], _ what: String, sandbox: Sandbox,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let present = Lines.of(log)
        var counts: [[UInt8]: Int] = [:]
        for line in present { counts[line, default: 0] += 1 }
        for line in expected {
            let count = counts[line] ?? 0
            sandbox.check(count == 1, "\(what): \(count == 0 ? "lacks" : "has \(count) copies of") the line "
                          + String(decoding: line.prefix(300), as: UTF8.self)
                          + "\n(it has \(present.count) lines:\n"
                          + present.map { String(decoding: $0.prefix(200), as: UTF8.self) }.joined() + ")",
                          sourceLocation: sourceLocation)
        }
    }

    /// The `"uuid":"…"` values of a log, in order.
    static func uuids(_ log: [UInt8]) -> [String] {
        of(log).compactMap { StoreSession.firstValue(of: "uuid", in: $0) }
    }
}
