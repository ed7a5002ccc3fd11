import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5, crash injection: `git-ccsync` killed with SIGKILL at a random moment of a push, a pull, a
/// sync-in, a sync-out or a resume (with the stand-in Claude). The next command (`push`, `pull` or
/// `update`, chosen at random) must succeed in spite of what the crash left (a stale `.git/index.lock`,
/// a merge without its commit, a half-written temporary file), and after both machines exchange
/// everything, every line written on either machine is in both stores, once.
///
/// Two ways to die are simulated, chosen per trial:
/// - alone: `kill -9` of the git-ccsync process only, as a user does; its children (git, the filter,
///   Claude) live on as orphans and finish or fail on their own. The next command starts after they
///   have ended (a user's next command comes later than that; while an orphaned git still runs, git's
///   own "index.lock exists" refusal is the correct answer).
/// - whole tree: the process and every descendant frozen with SIGSTOP, then killed together, so no git
///   step completes its work (what a power cut or an OOM kill of the session leaves behind, as far as
///   files are concerned; data the kernel had not yet written to disk is not simulated).
///
/// Trials are seeded (`CCSYNC_CRASH_SEED` repeats a run; the seed is printed). The moment of the kill
/// is a random fraction of the operation's duration, measured on an unkilled run of the same operation
/// first, so that the kill lands inside it.
@Suite(.serialized) struct CrashInjectionTests {
    enum KillMode: String, CaseIterable { case alone, wholeTree = "whole tree" }

    @Test func killNineAtRandomMomentsLosesNoLineAndTheNextCommandRecovers() throws {
        let size = StressSize.current
        let seed = SplitMix64.seed(from: "CCSYNC_CRASH_SEED", environment: ProcessInfo.processInfo.environment)
        print("CrashInjectionTests: \(size.name) size, \(size.crashTrials) trials, seed \(seed) "
              + "(CCSYNC_CRASH_SEED=\(seed) repeats them)")
        var random = SplitMix64(seed: seed)
        try Sandbox.with { sandbox in
            let started = Date()
            let scene = try CrashScene(sandbox: sandbox, ttl: 4)
            let (a, b) = (scene.a, scene.b)

            // How long each operation takes here, unkilled.
            var durations: [CrashScene.Operation: TimeInterval] = [:]
            for operation in CrashScene.Operation.allCases {
                let run = try scene.start(operation, on: a, peer: b, random: &random)
                let began = Date()
                try waitUntil("the unkilled \(operation.rawValue) to finish", timeout: 120) { run.command.hasEnded }
                durations[operation] = Date().timeIntervalSince(began)
                let result = try run.command.wait()
                scene.recordClaude(run, on: a)
                sandbox.check(result.succeeded, "unkilled \(operation.rawValue) failed:\n\(result)")
                try scene.converge(victim: a, peer: b, context: "after the unkilled \(operation.rawValue)")
            }
            try scene.expectConverged("after measuring the operations")
            print("CrashInjectionTests: durations " + CrashScene.Operation.allCases
                .map { "\($0.rawValue) \(Int((durations[$0] ?? 0) * 1000)) ms" }.joined(separator: ", "))

            var killed = 0
            var leftoverCounts: [String: Int] = [:]
            for trial in 1...size.crashTrials {
                let operation = CrashScene.Operation.allCases[Int(random.next() % UInt64(CrashScene.Operation.allCases.count))]
                let victimIsA = random.next() % 2 == 0
                let (victim, peer) = victimIsA ? (a, b) : (b, a)
                let mode = KillMode.allCases[Int(random.next() % UInt64(KillMode.allCases.count))]
                let fraction = 0.05 + 0.9 * random.fraction()
                let recovery = ["push", "pull", "update"][Int(random.next() % 3)]
                let delay = fraction * (durations[operation] ?? 1)
                var context = "trial \(trial) (seed \(seed)): \(operation.rawValue) on \(victim.id), killed \(mode.rawValue) "
                    + "after \(Int(delay * 1000)) ms, then \(recovery)"

                let run = try scene.start(operation, on: victim, peer: peer, random: &random)
                usleep(UInt32(delay * 1_000_000))
                if run.command.hasEnded {
                    context += " (it had finished)"
                } else {
                    killed += 1
                    switch mode {
                    case .alone:
                        let orphans = ProcessTree.killAlone(run.command.pid)
                        try ProcessTree.waitForEnd(of: orphans, timeout: 60)
                    case .wholeTree:
                        ProcessTree.killWhole(run.command.pid)
                    }
                }
                _ = try run.command.wait(timeout: 30)
                scene.recordClaude(run, on: victim)
                let left = scene.leftovers(on: victim)
                for item in left { leftoverCounts[Self.kind(of: item), default: 0] += 1 }
                if !left.isEmpty { context += "; it left \(left)" }
                print("CrashInjectionTests: " + context)

                // A merge the crash interrupted (MERGE_HEAD left, or merged files written but neither
                // staged nor committed) must not stop the next command either.
                if scene.hasInterruptedMerge(victim) { context += "; an interrupted merge" }
                try Self.recover(with: recovery, scene: scene, victim: victim, peer: peer, context: context)
            }
            for machine in [a, b] {
                let fsck = try machine.gitResult(["fsck", "--strict", "--no-progress"])
                sandbox.check(fsck.succeeded, "at the end: git fsck --strict in \(machine.id)'s working copy:\n\(fsck)")
            }
            let remoteFsck = try a.machine.gitResult(["--git-dir", scene.world.remote, "fsck", "--strict", "--no-progress"],
                                                     in: sandbox.root)
            sandbox.check(remoteFsck.succeeded, "at the end: git fsck --strict on the remote:\n\(remoteFsck)")
            // Most kills must land inside their operation, or the trials test little.
            sandbox.check(killed * 2 >= size.crashTrials, "only \(killed) of \(size.crashTrials) operations were still running when killed")
            print("CrashInjectionTests: \(killed) of \(size.crashTrials) operations killed mid-way; leftovers seen: "
                  + "\(leftoverCounts.sorted { $0.key < $1.key }); \(scene.ledger.lineCount) lines; "
                  + "\(Int(Date().timeIntervalSince(started))) s")
        }
    }

    /// Regression (found by the trials above): a whole-tree kill during `git add` leaves `.git/index.lock`,
    /// and every later push and pull failed on it for good. A lock nobody has open is now removed and the
    /// git step run again; a lock a live process holds open is left alone, and the push fails with git's
    /// own message.
    @Test func aStaleIndexLockIsRemovedButALiveOneIsNot() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox, sessions: [ResumeWorld.s])
            let (a, s) = (world.a, ResumeWorld.s)
            let cwd = ResumeWorld.cwd(of: s, on: a)
            let lock = a.workingCopy + "/.git/index.lock"

            // A live lock: a process (not git) holds it open; the push must not take it.
            let holder = try BackgroundCommand("/bin/sh", ["-c", "exec 3>'\(lock)'; sleep 30"], in: sandbox.root,
                                               environment: a.environment, sandbox: sandbox)
            defer { if !holder.hasEnded { ProcessTree.killWhole(holder.pid) } }
            try waitUntil("the holder to create the lock", timeout: 10) { FileManager.default.fileExists(atPath: lock) }
            let first = SessionRecords.lines(2, tag: 0x1c1, session: s.id, cwd: cwd, on: a)
            try a.appendStore(cwd: cwd, s.log, first)
            let refused = try a.ccsyncResult(["push"])
            sandbox.check(!refused.succeeded && refused.stderrText.contains("index.lock"),
                          "push beside a live index.lock did not fail naming it:\n\(refused)")
            sandbox.check(FileManager.default.fileExists(atPath: lock), "push removed an index.lock a live process holds")
            ProcessTree.killWhole(holder.pid)
            _ = try? holder.wait(timeout: 10)

            // The same file, now stale (its holder is gone): the next push removes it and completes.
            let second = SessionRecords.lines(2, tag: 0x1c2, session: s.id, cwd: cwd, on: a)
            try a.appendStore(cwd: cwd, s.log, second)
            let push = try a.ccsyncResult(["push"])
            sandbox.check(push.succeeded, "push after a stale index.lock failed:\n\(push)")
            sandbox.check(!FileManager.default.fileExists(atPath: lock), "the stale index.lock is still there")
            try world.b.ccsync("pull")
            Lines.expectEach(Lines.of(a.translated(first + second, to: world.b)), in: world.storeLog(s, on: world.b),
                             "B's S after A's push", sandbox: sandbox)
            try a.expectCleanStatus("after the push")
        }
    }

    /// The command after the crash must succeed; then both machines exchange everything and every line
    /// must be everywhere. A failed recovery is repaired by hand so that later trials still test something.
    static func recover(with recovery: String, scene: CrashScene, victim: SyncMachine, peer: SyncMachine,
                        context: String) throws {
        let next = try victim.ccsyncResult([recovery])
        scene.sandbox.check(next.succeeded, "\(context): the next command did not recover:\n\(next)")
        if !next.succeeded {
            // CCSYNC_CRASH_STOP=1 keeps the sandbox (with CCSYNC_KEEP_SANDBOX=1) as the crash left it.
            if ProcessInfo.processInfo.environment["CCSYNC_CRASH_STOP"] == "1" { throw HarnessError("stopped at \(context)") }
            try repairByHand(victim, context: context)
        }
        try scene.converge(victim: victim, peer: peer, context: context)
        try scene.expectConverged(context)
    }

    static func kind(of leftover: String) -> String {
        if leftover.hasPrefix("work tree: ") { return "work tree temporary file" }
        if leftover.hasPrefix("store: ") { return "store temporary file" }
        if leftover.hasPrefix("refs/") { return "ref lock" }
        return leftover
    }

    /// What a user would do after the next command failed, so that one failure does not hide what the
    /// later trials find: remove git's stale locks, and commit what an interrupted merge left.
    static func repairByHand(_ machine: SyncMachine, context: String) throws {
        let gitDirectory = machine.workingCopy + "/.git"
        for relative in CrashScene.paths(under: gitDirectory) where relative.hasSuffix(".lock") {
            try? FileManager.default.removeItem(atPath: gitDirectory + "/" + relative)
        }
        _ = try machine.gitResult(["add", "-u", "--", "projects", "claude"])
        _ = try machine.gitResult(["commit", "--no-edit", "--no-verify", "--quiet", "-m", "repaired by hand"])
        print("CrashInjectionTests: \(context): repaired by hand")
    }
}
