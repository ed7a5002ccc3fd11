import Foundation
import Testing

/// Two machines sharing sessions S and T (a `ResumeWorld` with a short lock TTL), a ledger of every line
/// written on either, and the operations crash injection kills: each prepared so that it has real work
/// to do, then started in the background.
final class CrashScene {
    enum Operation: String, CaseIterable {
        /// New local lines and new lines on the remote: push commits, fetches, merges, syncs out, pushes.
        case push
        /// New local lines and new lines on the remote: pull commits, fetches, merges, syncs out.
        case pull
        /// Only new local lines: push copies them into the working copy, commits and pushes.
        case syncIn = "sync-in"
        /// Only new lines on the remote: pull merges them and writes them into the store.
        case syncOut = "sync-out"
        /// New lines on the remote; resume pulls, locks, runs the stand-in Claude (which appends),
        /// pushes and unlocks.
        case resume
    }

    let world: ResumeWorld
    let ledger = LineLedger()
    let sessions: [LineLedger.Session]
    private var runs = 0

    var sandbox: Sandbox { world.sandbox }
    var a: SyncMachine { world.a }
    var b: SyncMachine { world.b }

    init(sandbox: Sandbox, ttl: Int) throws {
        world = try ResumeWorld(sandbox: sandbox, ttl: ttl)
        sessions = world.sessions.map { LineLedger.Session(id: $0.id, project: $0.project) }
        for (session, resumable) in zip(sessions, world.sessions) {
            ledger.record(ResumeWorld.initialLog(resumable, on: world.a), in: session, by: world.a)
        }
    }

    /// One started operation: the command, and for a resume its stand-in Claude's trail.
    struct Started {
        let command: BackgroundCommand
        let session: LineLedger.Session
        let claude: StandInClaude.Run?
    }

    /// Gives `operation` work to do on `victim` (lines in its store and/or lines `peer` pushed), then
    /// starts it.
    func start(_ operation: Operation, on victim: SyncMachine, peer: SyncMachine,
               random: inout SplitMix64) throws -> Started {
        let session = sessions[Int(random.next() % UInt64(sessions.count))]
        let local: Bool, remote: Bool
        switch operation {
        case .push, .pull: (local, remote) = (true, true)
        case .syncIn: (local, remote) = (true, false)
        case .syncOut, .resume: (local, remote) = (false, true)
        }
        if remote {
            try ledger.append(1 + Int(random.next() % 3), to: sessions[Int(random.next() % UInt64(sessions.count))], on: peer)
            try peer.ccsync("push")
        }
        if local { try ledger.append(1 + Int(random.next() % 3), to: session, on: victim) }
        switch operation {
        case .push, .syncIn:
            return Started(command: try victim.startCCSync(["push"]), session: session, claude: nil)
        case .pull, .syncOut:
            return Started(command: try victim.startCCSync(["pull"]), session: session, claude: nil)
        case .resume:
            runs += 1
            let run = StandInClaude.Run(sandbox: sandbox, name: "crash-\(runs)-\(victim.id)", lines: 2)
            let command = try world.startResume(on: victim, [session.id], run: run)
            return Started(command: command, session: session, claude: run)
        }
    }

    /// Puts what a (possibly killed) stand-in Claude appended into the ledger.
    func recordClaude(_ started: Started, on victim: SyncMachine) {
        guard let run = started.claude else { return }
        let lines = run.appendedLines.flatMap { $0 }
        if !lines.isEmpty { ledger.record(lines, in: started.session, by: victim) }
    }

    /// What a crash left in `machine`'s working copy: stale git locks, an unfinished merge, temporary files.
    func leftovers(on machine: SyncMachine) -> [String] {
        let gitDirectory = machine.workingCopy + "/.git"
        var found: [String] = []
        for name in ["index.lock", "HEAD.lock", "MERGE_HEAD", "ORIG_HEAD.lock", "config.lock"]
        where FileManager.default.fileExists(atPath: gitDirectory + "/" + name) {
            found.append(name)
        }
        let refLocks = Self.paths(under: gitDirectory + "/refs").filter { $0.hasSuffix(".lock") }
        found += refLocks.map { "refs/" + $0 }
        let temporary = Self.paths(under: machine.workingCopy).filter { !$0.hasPrefix(".git/") && $0.hasSuffix(".tmp") }
        found += temporary.map { "work tree: " + $0 }
        let storeTemporary = Self.paths(under: machine.claudeRoot + "/projects").filter { $0.hasSuffix(".tmp") }
        found += storeTemporary.map { "store: " + $0 }
        return found
    }

    /// Whether a merge was cut short: MERGE_HEAD is there, or tracked files differ from the index
    /// (merged content written into the work tree, the index and the commit never made).
    func hasInterruptedMerge(_ machine: SyncMachine) -> Bool {
        if FileManager.default.fileExists(atPath: machine.workingCopy + "/.git/MERGE_HEAD") { return true }
        let diff = try? machine.gitResult(["diff", "--quiet", "--", "projects", "claude"])
        return diff.map { $0.status == 1 } ?? false
    }

    static func paths(under root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String { found.append(relative) }
        return found
    }

    /// Both machines exchange everything: the victim's `update` (push, release what a crash left held),
    /// the peer's push, then a pull on each. A lock the crash left on the remote without the victim
    /// knowing it holds it (killed between the remote's update and the local record) is waited out.
    func converge(victim: SyncMachine, peer: SyncMachine, context: String) throws {
        let update = try victim.ccsyncResult(["update"])
        sandbox.check(update.succeeded, "\(context): update on \(victim.id) failed:\n\(update)")
        let locks = try world.remoteLocks()
        if let latest = locks.values.map(\.expires).max() {
            try waitUntil("the locks \(locks.keys.sorted()) to expire", timeout: 60) { Date() > latest.addingTimeInterval(0.5) }
        }
        for (machine, command) in [(peer, "push"), (victim, "pull"), (peer, "pull")] {
            let result = try machine.ccsyncResult([command])
            sandbox.check(result.succeeded, "\(context): \(command) on \(machine.id) failed:\n\(result)")
        }
    }

    /// Every line written so far is in both stores; both working copies are clean, merge-free and free
    /// of conflict markers; the remote's tree has no temporary file in it.
    func expectConverged(_ context: String) throws {
        ledger.expectEverywhere([a, b], context, sandbox: sandbox)
        for machine in [a, b] {
            try machine.expectCleanStatus(context)
            try machine.expectNoConflictMarkers(context)
        }
        let tree = try a.machine.git("--git-dir", world.remote, "ls-tree", "-r", "--name-only", "main", in: sandbox.root)
            .stdoutText.split(separator: "\n")
        let junk = tree.filter { $0.hasSuffix(".tmp") || $0.hasSuffix(".lock") }
        sandbox.check(junk.isEmpty, "\(context): the remote's tree holds temporary files: \(junk)")
    }
}
