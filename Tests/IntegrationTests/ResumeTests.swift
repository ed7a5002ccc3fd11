import CCSyncCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 4, `git ccsync resume`, `update` and `daemon` end to end: two machines, a stand-in `claude`
/// (see `StandInClaude`) that appends to the session it resumes, a local bare remote.
@Suite struct ResumeTests {
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw HarnessError(message()) }
    }

    /// Each of `run`'s appended lines as `to` must see it: `from`'s paths as `to`'s.
    static func linesOf(_ run: StandInClaude.Run, from: SyncMachine, to: SyncMachine) -> [[UInt8]] {
        run.appendedLines.map { from.translated($0, to: to) }
    }

    // MARK: a live lock

    /// A resumes S and its Claude is still running: B's `resume S` (no terminal) refuses, naming A, and
    /// never starts B's Claude. Once A's Claude has appended its lines and exited, B's `resume S` takes the
    /// free lock and B's Claude starts on a log holding every line of A's, with B's paths.
    @Test func resumeRefusesWhileAnotherMachineHoldsTheLockThenGetsEveryLineOfIts() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)

            let runA = StandInClaude.Run(sandbox: sandbox, name: "a-resume", lines: 3, waits: true)
            defer { runA.finish() }
            let resumeA = try world.startResume(on: a, [s.id], run: runA)
            try world.waitForClaude(runA, of: resumeA)
            sandbox.check(runA.startedWith?.id == s.id && runA.startedWith?.cwd == ResumeWorld.cwd(of: s, on: a),
                          "A's Claude was started as \(String(describing: runA.startedWith))")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "linux-a", "A's resume holds no lock on S")

            let refusedRun = StandInClaude.Run(sandbox: sandbox, name: "b-refused")
            let refused = try world.resume(on: b, [s.id], run: refusedRun)
            sandbox.check(refused.status != 0, "B's resume went ahead while A holds the lock:\n\(refused)")
            sandbox.check(refused.stderrText.contains("linux-a") && refused.stderrText.contains(s.id.prefix(8)),
                          "B's refusal does not name the session and A's machine:\n\(refused)")
            sandbox.check(!refusedRun.started, "B's Claude was started although B's resume refused")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "linux-a", "A's lock changed after B's refused resume")
            sandbox.check(try world.heldLocks(on: b).isEmpty, "B believes it holds a lock after its refused resume")

            runA.finish()
            let resultA = try resumeA.wait()
            sandbox.check(resultA.succeeded, "A's resume failed:\n\(resultA)")
            let locksAfterA = try world.remoteLocks()
            sandbox.check(locksAfterA.isEmpty, "locks left after A's resume: \(locksAfterA.keys.sorted())")
            sandbox.check(runA.appendedLines.count == 3, "A's Claude appended \(runA.appendedLines.count) lines")

            let runB = StandInClaude.Run(sandbox: sandbox, name: "b-resume", lines: 2)
            let resultB = try world.resume(on: b, [s.id], run: runB)
            sandbox.check(resultB.succeeded, "B's resume after A's failed:\n\(resultB)")
            sandbox.check(runB.startedWith?.id == s.id && runB.startedWith?.cwd == ResumeWorld.cwd(of: s, on: b),
                          "B's Claude was started as \(String(describing: runB.startedWith))")
            // What B's Claude saw: A's whole log, A's paths turned into B's.
            let aLog = world.storeLog(s, on: a)
            sandbox.expectSameBytes(runB.seen, a.translated(aLog, to: b), "the log B's Claude resumed")
            Lines.expectEach(Self.linesOf(runA, from: a, to: b), in: runB.seen, "the log B's Claude resumed", sandbox: sandbox)
            sandbox.check(!Bytes.contains(runB.seen, a.home), "the log B's Claude resumed holds A's home")
            let locksAfterB = try world.remoteLocks()
            sandbox.check(locksAfterB.isEmpty, "locks left after B's resume: \(locksAfterB.keys.sorted())")

            // And back: A gets B's lines with A's paths.
            try a.ccsync("pull")
            Lines.expectEach(Self.linesOf(runB, from: b, to: a), in: world.storeLog(s, on: a), "A's S after pulling", sandbox: sandbox)
            Lines.expectEach(runA.appendedLines, in: world.storeLog(s, on: a), "A's S after pulling", sandbox: sandbox)
        }
    }

    /// B's `resume S --force` takes over A's live lock: B's Claude runs while A's still does, and the lock
    /// names B. When A's Claude exits, A's resume leaves B's lock alone and says B holds it; when B's
    /// exits, B pushes and unlocks; A's `git ccsync update` then brings A's lines. Nothing is lost.
    @Test func resumeWithForceTakesOverALiveLock() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)

            let runA = StandInClaude.Run(sandbox: sandbox, name: "a-first", lines: 2, waits: true)
            defer { runA.finish() }
            let resumeA = try world.startResume(on: a, [s.id], run: runA)
            try world.waitForClaude(runA, of: resumeA)

            let runB = StandInClaude.Run(sandbox: sandbox, name: "b-force", lines: 2, waits: true)
            defer { runB.finish() }
            let resumeB = try world.startResume(on: b, [s.id, "--force"], run: runB)
            try world.waitForClaude(runB, of: resumeB)
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "mac-b", "B's resume --force did not take the lock")

            runA.finish()
            let resultA = try resumeA.wait()
            sandbox.check((resultA.stdoutText + resultA.stderrText).contains("mac-b"),
                          "A's resume does not say that mac-b took its lock:\n\(resultA)")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "mac-b", "A's resume ending changed B's lock")
            sandbox.check(!Lines.uuids(try world.remoteLog(s)).contains("a-first-0"),
                          "A's resume pushed S while B holds its lock")
            // Whatever A says about its lines and its lock must be true.
            if resultA.stderrText.contains("committed here") {
                let sPath = try world.world.remotePath(endingWith: "/" + s.log) ?? ""
                let committed = Lines.uuids(try a.gitResult(["cat-file", "blob", "HEAD:\(sPath)"]).stdout)
                sandbox.check(committed.contains("a-first-0"),
                              "A's resume says its lines are committed, but A's HEAD lacks them (\(committed)):\n\(resultA)")
            }
            if resultA.stderrText.contains("lock is kept") {
                let held = try world.heldLocks(on: a), holder = try world.remoteLocks()[s.id]?.holder
                sandbox.check(held.contains(s.id) && holder == "linux-a",
                              "A's resume says it keeps its lock, but mac-b holds it (A believes it holds \(held)):\n\(resultA)")
            }

            runB.finish()
            let resultB = try resumeB.wait()
            sandbox.check(resultB.succeeded, "B's resume failed:\n\(resultB)")
            let locksAfterB = try world.remoteLocks()
            sandbox.check(locksAfterB.isEmpty, "locks left after B's resume: \(locksAfterB.keys.sorted())")

            let update = try a.ccsyncResult(["update"])
            sandbox.check(update.succeeded, "A's update failed:\n\(update)")
            let remote = Lines.uuids(try world.remoteLog(s))
            for uuid in ["a-first-0", "a-first-1", "b-force-0", "b-force-1"] {
                sandbox.check(remote.filter { $0 == uuid }.count == 1, "the remote's S has \(remote.filter { $0 == uuid }.count) copies of \(uuid): \(remote)")
            }
            try b.ccsync("pull")
            Lines.expectEach(Self.linesOf(runA, from: a, to: b) + runB.appendedLines, in: world.storeLog(s, on: b),
                             "B's S after A's update", sandbox: sandbox)
            Lines.expectEach(runA.appendedLines + Self.linesOf(runB, from: b, to: a), in: world.storeLog(s, on: a),
                             "A's S after its update", sandbox: sandbox)
            let locksAtEnd = try world.remoteLocks()
            sandbox.check(locksAtEnd.isEmpty, "locks left at the end: \(locksAtEnd.keys.sorted())")
        }
    }

    // MARK: a crash

    /// `kill -9` of A's resume (the git-ccsync process; its Claude lives on). A's backup had committed
    /// A's lines but could not push them (the remote refused branch updates for a while). The lock stays
    /// until its 6-second TTL runs out; then B's `resume S` takes it without --force, and A's `git ccsync
    /// update` afterwards pushes A's committed lines and those its Claude wrote after the crash, keeping
    /// B's: every line of both machines is on the remote and in both stores.
    @Test func afterKillNineOfResumeTheLockExpiresAndUpdatePushesTheCommittedLines() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox, ttl: 6, backupInterval: 1)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            // While `frozen` exists the remote refuses updates of branches (lock refs still move).
            let frozen = sandbox.path("branches-frozen")
            let hook = world.remote + "/hooks/pre-receive"
            try Data("""
                #!/bin/sh
                [ -e '\(frozen)' ] || exit 0
                while read old new ref; do
                    case "$ref" in refs/heads/*) echo "branches are frozen for the test" >&2; exit 1 ;; esac
                done
                exit 0

                """.utf8).write(to: URL(fileURLWithPath: hook))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
            FileManager.default.createFile(atPath: frozen, contents: nil)

            let runA = StandInClaude.Run(sandbox: sandbox, name: "a-crash", lines: 3, waits: true, linesAfter: 2)
            defer { runA.finish() }
            let resumeA = try world.startResume(on: a, [s.id], run: runA)
            try world.waitForClaude(runA, of: resumeA)
            // A's backup (every second) commits A's lines; its push is refused.
            let sPath = try world.world.remotePath(endingWith: "/" + s.log) ?? ""
            try waitUntil("A's backup to commit A's lines", timeout: 30, context: { resumeA.stderrSoFar }) {
                let head = try a.gitResult(["cat-file", "blob", "HEAD:\(sPath)"])
                return head.succeeded && Lines.uuids(head.stdout).contains("a-crash-2")
            }
            sandbox.check(!Lines.uuids(try world.remoteLog(s)).contains("a-crash-0"), "A's lines reached the frozen remote")

            let refused = try world.resume(on: b, [s.id], run: StandInClaude.Run(sandbox: sandbox, name: "b-too-early"))
            sandbox.check(refused.status != 0 && refused.stderrText.contains("linux-a"),
                          "B's resume while A's runs did not refuse naming linux-a:\n\(refused)")

            resumeA.send(SIGKILL)
            try waitUntil("A's resume to die", timeout: 10) { resumeA.hasEnded }
            let afterKill = try world.remoteLocks()[s.id]
            sandbox.check(afterKill?.holder == "linux-a", "A's lock after the kill: \(String(describing: afterKill))")
            let expires = afterKill?.expires ?? Date()
            sandbox.check(expires.timeIntervalSinceNow <= 6.5, "A's lock expires in \(expires.timeIntervalSinceNow) s, TTL is 6 s")
            try waitUntil("A's lock to expire", timeout: 20) { Date() > expires.addingTimeInterval(0.3) }

            // A's Claude, still running without its wrapper, writes its last lines and exits.
            try FileManager.default.removeItem(atPath: frozen)
            runA.finish()
            try waitUntil("A's orphaned Claude to exit", timeout: 30) { runA.exited }
            _ = try? resumeA.wait(timeout: 10)
            sandbox.check(runA.appendedLines.count == 5, "A's Claude appended \(runA.appendedLines.count) lines")

            let runB = StandInClaude.Run(sandbox: sandbox, name: "b-after", lines: 2)
            let resumeB = try world.resume(on: b, [s.id], run: runB)
            sandbox.check(resumeB.succeeded, "B's resume of the expired lock (no --force) failed:\n\(resumeB)")
            sandbox.check(runB.started, "B's Claude did not run")
            let locksAfterB = try world.remoteLocks()
            sandbox.check(locksAfterB.isEmpty, "locks left after B's resume: \(locksAfterB.keys.sorted())")

            let update = try a.ccsyncResult(["update"])
            sandbox.check(update.succeeded, "A's update failed:\n\(update)")
            let remote = Lines.uuids(try world.remoteLog(s))
            for uuid in (0..<5).map({ "a-crash-\($0)" }) + ["b-after-0", "b-after-1"] {
                sandbox.check(remote.filter { $0 == uuid }.count == 1, "the remote's S has \(remote.filter { $0 == uuid }.count) copies of \(uuid): \(remote)")
            }
            try b.ccsync("pull")
            try a.ccsync("pull")
            Lines.expectEach(Self.linesOf(runA, from: a, to: b) + runB.appendedLines, in: world.storeLog(s, on: b),
                             "B's S after A's update", sandbox: sandbox)
            Lines.expectEach(runA.appendedLines + Self.linesOf(runB, from: b, to: a), in: world.storeLog(s, on: a),
                             "A's S after its update", sandbox: sandbox)
            let locksAtEnd = try world.remoteLocks(), heldAtEnd = try world.heldLocks(on: a)
            sandbox.check(locksAtEnd.isEmpty, "locks left at the end: \(locksAtEnd.keys.sorted())")
            sandbox.check(heldAtEnd.isEmpty, "A still believes it holds \(heldAtEnd)")
        }
    }

    // MARK: the network

    /// The remote becomes unreachable while A's Claude runs: resume exits non-zero and says to run
    /// `git ccsync update`; A's lines are committed in the working copy and A keeps its lock. With the
    /// remote back, `update` pushes them and releases the lock.
    @Test func resumeWhoseFinalPushFailsKeepsTheCommitAndUpdateFinishes() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            let away = world.remote + ".away"

            let runA = StandInClaude.Run(sandbox: sandbox, name: "a-offline", lines: 3, waits: true)
            defer { runA.finish() }
            let resumeA = try world.startResume(on: a, [s.id], run: runA)
            try world.waitForClaude(runA, of: resumeA)
            try FileManager.default.moveItem(atPath: world.remote, toPath: away)
            runA.finish()
            let result = try resumeA.wait()
            try FileManager.default.moveItem(atPath: away, toPath: world.remote)

            sandbox.check(result.status != 0, "resume succeeded although the remote was gone:\n\(result)")
            sandbox.check(result.stderrText.contains("git ccsync update"), "resume does not say to run 'git ccsync update':\n\(result)")
            // Nothing lost: in Claude's store, and committed in the working copy.
            Lines.expectEach(runA.appendedLines, in: world.storeLog(s, on: a), "A's store", sandbox: sandbox)
            let sPath = try world.world.remotePath(endingWith: "/" + s.log) ?? ""
            let head = try a.gitResult(["cat-file", "blob", "HEAD:\(sPath)"])
            let committed = Lines.uuids(head.stdout)
            sandbox.check((0..<3).allSatisfy { committed.contains("a-offline-\($0)") },
                          "A's lines are not committed in A's working copy after the failed push (HEAD's S has \(committed))")
            let held = try world.heldLocks(on: a), lock = try world.remoteLocks()[s.id]
            sandbox.check(held == [s.id], "A no longer believes it holds S's lock: \(held)")
            sandbox.check(lock?.holder == "linux-a", "S's lock on the remote: \(String(describing: lock))")

            let update = try a.ccsyncResult(["update"])
            sandbox.check(update.succeeded, "A's update failed:\n\(update)")
            let remote = Lines.uuids(try world.remoteLog(s))
            sandbox.check((0..<3).allSatisfy { remote.contains("a-offline-\($0)") }, "the remote's S lacks A's lines after update: \(remote)")
            let shown = try world.lockShow(on: a)
            sandbox.check(shown.isEmpty, "lock show after update: \(shown)")
            let heldAfter = try world.heldLocks(on: a)
            sandbox.check(heldAfter.isEmpty, "A still believes it holds \(heldAfter)")
            try b.ccsync("pull")
            Lines.expectEach(Self.linesOf(runA, from: a, to: b), in: world.storeLog(s, on: b), "B's S after A's update", sandbox: sandbox)
        }
    }

    // MARK: exit status

    /// Resume by a unique prefix: Claude's exit status is resume's; its lines are pushed and the lock
    /// released all the same. Then `--latest`, with the Claude command from `$CCSYNC_CLAUDE`.
    @Test func resumeExitsWithClaudesStatus() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, t) = (world.a, ResumeWorld.t)
            let run = StandInClaude.Run(sandbox: sandbox, name: "a-exit3", lines: 2, exitStatus: 3)
            let result = try world.resume(on: a, [String(t.id.prefix(5))], run: run)
            sandbox.check(result.status == 3, "resume's exit status is \(result.status), Claude's was 3:\n\(result)")
            sandbox.check(run.startedWith?.id == t.id && run.startedWith?.cwd == ResumeWorld.cwd(of: t, on: a),
                          "Claude was started as \(String(describing: run.startedWith))")
            let remote = Lines.uuids(try world.remoteLog(t))
            sandbox.check(remote.contains("a-exit3-0") && remote.contains("a-exit3-1"), "the remote's T lacks the lines: \(remote)")
            let locks = try world.remoteLocks()
            sandbox.check(locks.isEmpty, "locks left: \(locks.keys.sorted())")

            // Without ccsync.claudeCommand, $CCSYNC_CLAUDE; --latest takes the session changed last (T, just now).
            try a.git("config", "--unset", "ccsync.claudeCommand")
            var fromEnvironment = StandInClaude.Run(sandbox: sandbox, name: "a-latest", lines: 1)
            fromEnvironment.environment["CCSYNC_CLAUDE"] = world.claude.script
            let latest = try world.resume(on: a, ["--latest"], run: fromEnvironment)
            sandbox.check(latest.succeeded, "resume --latest with CCSYNC_CLAUDE failed:\n\(latest)")
            sandbox.check(fromEnvironment.startedWith?.id == t.id, "resume --latest ran Claude on \(fromEnvironment.startedWith?.id ?? "nothing")")
        }
    }

    // MARK: daemon

    /// The pid in the daemon pid file of `machine`'s working copy, if it names a running
    /// `git-ccsync daemon` (nil otherwise).
    static func daemonPid(_ machine: SyncMachine) -> Int32? {
        guard let text = try? String(contentsOfFile: machine.workingCopy + "/.git/ccsync/daemon.pid", encoding: .utf8),
              let pid = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).first.flatMap({ Int32($0) }),
              isDaemon(pid) else { return nil }
        return pid
    }

    /// Whether `pid` is a running `git-ccsync daemon` (not this test process, not a reused pid).
    static func isDaemon(_ pid: Int32) -> Bool {
        guard pid > 0, pid != getpid(), kill(pid, 0) == 0,
              let arguments = HostProcess.commandLine(pid) else { return false }
        return arguments.first?.hasSuffix("git-ccsync") == true && arguments.contains("daemon")
    }

    /// Ends a daemon a test started, whatever happened.
    static func stopDaemon(_ pid: Int32?) {
        guard let pid, isDaemon(pid) else { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 where isDaemon(pid) { usleep(50_000) }
        if isDaemon(pid) { kill(pid, SIGKILL) }
    }

    /// `git-ccsync <arguments>` on `machine` started as a terminal starts it: no signal blocked, nothing
    /// open but stdin, stdout and stderr (and, with `keepOpen`, that file as descriptor 7). The test's own
    /// threads block signals (SIGTERM among them) and hold descriptors a daemon would inherit, among them
    /// the one through which Foundation learns that a child ended (`Command.run` would then wait for the
    /// daemon). `daemonStartedFromABusyProcessKeepsNothingOfIt` checks what the daemon does about both.
    static func fromShell(_ machine: SyncMachine, _ arguments: [String], keepOpen: String? = nil,
                          blocking signals: [Int32] = []) throws -> CommandResult {
        let script = HostProcess.closeInheritedDescriptors
            + #"if [ -n "$CCSYNC_TEST_KEEP_OPEN" ]; then exec 7>>"$CCSYNC_TEST_KEEP_OPEN"; fi; exec "$0" "$@""#
        var environment = machine.environment
        if let keepOpen { environment["CCSYNC_TEST_KEEP_OPEN"] = keepOpen }
        // posix_spawn passes the calling thread's signal mask on.
        var mask = sigset_t(), old = sigset_t()
        sigemptyset(&mask)
        for signal in signals { sigaddset(&mask, signal) }
        pthread_sigmask(SIG_SETMASK, &mask, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        return try Command.run("/bin/bash", ["-c", script, machine.machine.binary] + arguments, in: machine.home,
                               environment: environment, sandbox: machine.sandbox)
    }

    /// One daemon per working copy: it backs up a new session; a second start says one is running
    /// (exit 1); `--stop` ends it.
    @Test func daemonRunsOncePerWorkingCopyAndStops() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let a = world.a
            let first = try Self.fromShell(a, ["daemon", "--interval", "1"])
            let pid = Self.daemonPid(a)
            defer { Self.stopDaemon(pid) }
            sandbox.check(first.succeeded, "starting the daemon failed:\n\(first)")
            try Self.require(pid != nil, "no live daemon after starting it:\n\(first)")

            // A plain `claude` writes a new session; the daemon pushes it.
            let u = ResumeWorld.u
            try a.writeStore(cwd: ResumeWorld.cwd(of: u, on: a), u.log, ResumeWorld.initialLog(u, on: a))
            try waitUntil("the daemon to push the new session", timeout: 30) {
                !(try world.remoteLog(u)).isEmpty
            }

            let second = try Self.fromShell(a, ["daemon", "--interval", "1"])
            sandbox.check(second.status == 1, "a second daemon start exited with \(second.status):\n\(second)")
            sandbox.check(second.stderrText.contains("already running"), "a second start does not say one is running:\n\(second)")
            sandbox.check(Self.daemonPid(a) == pid, "a second start replaced the daemon")

            let stop = try Self.fromShell(a, ["daemon", "--stop"])
            sandbox.check(stop.succeeded, "daemon --stop failed:\n\(stop)")
            if let pid { sandbox.check(!Self.isDaemon(pid), "the daemon \(pid) still runs after --stop") }
            sandbox.check(Self.daemonPid(a) == nil, "a live daemon is still recorded after --stop")
        }
    }

    /// A pid file naming a dead process, or a live process that started at another time (a reused pid),
    /// is not trusted: the daemon starts, `--stop` stops the new one and leaves the other process alone.
    @Test func daemonDoesNotTrustAStalePidFile() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let a = world.a
            let pidFile = a.workingCopy + "/.git/ccsync/daemon.pid"
            try sandbox.mkdir(a.workingCopy + "/.git/ccsync")

            // A dead pid: a process that ran and exited.
            let dead = try Command.run("/bin/sh", ["-c", "echo $$"], in: sandbox.root, environment: [:], sandbox: sandbox)
            let deadPid = dead.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            // A live one that is not the daemon: this test process, with a start time it never had.
            let stale = ["\(deadPid) 12345\n", "\(getpid()) 1\n"]
            for content in stale {
                try Data(content.utf8).write(to: URL(fileURLWithPath: pidFile))
                let start = try Self.fromShell(a, ["daemon", "--interval", "60"])
                let pid = Self.daemonPid(a)
                defer { Self.stopDaemon(pid) }
                sandbox.check(start.succeeded, "with the pid file '\(content)' the daemon did not start:\n\(start)")
                sandbox.check(pid != nil, "with the pid file '\(content)' no new daemon is recorded")
                let stop = try Self.fromShell(a, ["daemon", "--stop"])
                sandbox.check(stop.succeeded && stop.stdoutText.contains("\(pid ?? -1)"), "daemon --stop:\n\(stop)")
                if let pid { sandbox.check(!Self.isDaemon(pid), "the daemon \(pid) still runs after --stop") }
            }
        }
    }

    /// A daemon started from a process that blocks SIGTERM and has a descriptor open (7, on a file) keeps
    /// neither: it must still stop on `--stop` (SIGTERM), and must not hold its starter's descriptors (a
    /// program waiting for the end of a pipe or socket it gave its child, as Foundation's `Process` does,
    /// would otherwise wait for the daemon).
    @Test func daemonStartedFromABusyProcessKeepsNothingOfIt() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let a = world.a
            let marker = sandbox.path("starter-descriptor")
            let start = try Self.fromShell(a, ["daemon", "--interval", "60"], keepOpen: marker, blocking: [SIGTERM])
            let pid = Self.daemonPid(a)
            defer { Self.stopDaemon(pid) }
            sandbox.check(start.succeeded, "starting the daemon failed:\n\(start)")
            try Self.require(pid != nil, "no live daemon after starting it:\n\(start)")
            let open = HostProcess.openFiles(pid ?? 0)
            sandbox.check(!open.contains { $0.hasSuffix(marker) }, "the daemon keeps its starter's descriptor: \(open.sorted())")
            let blocked = HostProcess.blockedSignals(pid ?? 0)
            let stop = try Self.fromShell(a, ["daemon", "--stop"])
            sandbox.check(stop.succeeded, "daemon --stop of a daemon started with SIGTERM blocked (\(blocked)) failed:\n\(stop)")
        }
    }
}
