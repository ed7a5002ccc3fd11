import CCSyncCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 4, locks: compare-and-swap refs on the remote under a real race, `lock show|release|cleanup`,
/// and the two ways a push meets another machine's lock (the pre-push hook of a plain `git push`, and
/// `git ccsync push` leaving the session out).
@Suite struct LockTests {
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw HarnessError(message()) }
    }

    // MARK: the race

    /// 8 machines run `git ccsync resume S` at the same moment, 20 rounds. The remote's pre-receive hook
    /// holds every creation of a lock ref until all 8 have arrived (at most 3 s), so their pushes meet in
    /// receive-pack's ref transaction. Each round exactly one resume runs its Claude and the ref names its
    /// machine; the 7 others fail naming the winner. The winner's Claude then exits, which releases the lock.
    @Test func eightConcurrentResumesOfOneSessionHaveExactlyOneWinnerEachRound() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox, sessions: [ResumeWorld.s])
            let s = ResumeWorld.s
            var racers: [SyncMachine] = []
            for n in 1...8 {
                let home = sandbox.path("racers/\(n)")
                let racer = try SyncMachine(Machine.Spec(id: "racer-\(n)", home: home, projects: home + "/code", clone: home + "/.ccsync"),
                                            sandbox: sandbox)
                try racer.initialize(remote: world.remote)
                try world.claude.configure(racer)
                racers.append(racer)
            }
            let barrier = sandbox.path("barrier")
            let hook = world.remote + "/hooks/pre-receive"
            try Data("""
                #!/bin/sh
                # Holds each creation of a lock ref until \(racers.count) have arrived (or 3 s passed).
                creates=0
                while read old new ref; do
                    case "$ref" in refs/ccsync/locks/*) [ "$old" = \(String(repeating: "0", count: 40)) ] && creates=1 ;; esac
                done
                [ "$creates" = 1 ] && [ -d '\(barrier)' ] || exit 0
                : > '\(barrier)'/$$
                i=0
                while [ "$(ls '\(barrier)' | wc -l)" -lt \(racers.count) ] && [ "$i" -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
                exit 0

                """.utf8).write(to: URL(fileURLWithPath: hook))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)

            var contendedRounds = 0
            for round in 1...20 {
                try? FileManager.default.removeItem(atPath: barrier)
                try sandbox.mkdir(barrier)
                var runs: [StandInClaude.Run] = []
                var commands: [BackgroundCommand] = []
                defer { for run in runs { run.finish() } }
                for racer in racers {
                    let run = StandInClaude.Run(sandbox: sandbox, name: "round\(round)-\(racer.id)", lines: 0, waits: true)
                    runs.append(run)
                    commands.append(try world.startResume(on: racer, [s.id, "--cwd", racer.home], run: run))
                }
                // Settled: every resume has either started its Claude or ended.
                try waitUntil("round \(round)'s resumes to settle", timeout: 90) {
                    zip(runs, commands).allSatisfy { run, command in run.started || command.hasEnded }
                }
                let started = racers.indices.filter { runs[$0].started }
                let ids = started.map { racers[$0].id }
                sandbox.check(started.count == 1, "round \(round): \(started.count) resumes run Claude: \(ids)")
                if started.count == 1 {
                    let winner = racers[started[0]].id
                    let holder = try world.remoteLocks()[s.id]?.holder
                    sandbox.check(holder == winner, "round \(round): the lock names \(holder ?? "nobody"), the winner is \(winner)")
                    for index in racers.indices where index != started[0] {
                        let result = try commands[index].wait()
                        sandbox.check(result.status == 1 && result.stderrText.contains("locked by \(winner)"),
                                      "round \(round): \(racers[index].id) did not fail naming \(winner):\n\(result)")
                    }
                }
                let arrivals = (try? FileManager.default.contentsOfDirectory(atPath: barrier).count) ?? 0
                if arrivals > 1 { contendedRounds += 1 }
                for run in runs { run.finish() }
                for (index, command) in commands.enumerated() {
                    let result = try command.wait()
                    if started.contains(index) {
                        sandbox.check(result.succeeded, "round \(round): the winner's resume failed:\n\(result)")
                    }
                }
                let left = try world.remoteLocks()
                sandbox.check(left.isEmpty, "round \(round): locks left after the winner's resume: \(left)")
                if !left.isEmpty { _ = try world.lockManager(world.a, ttl: 600).forceRelease(s.id) }
            }
            // Otherwise every round was decided before a second push reached the server: no race was tested.
            sandbox.check(contendedRounds > 0, "in no round did two creations of the lock reach the remote at once")
        }
    }

    /// What the threads of `lockManagersOnSeveralThreadsAtOnceFinish` report.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String] = []
        private var steps = 0
        func add(_ entry: String) { lock.withLock { entries.append(entry) } }
        func step() { lock.withLock { steps += 1 } }
        var all: [String] { lock.withLock { entries } }
        var progress: Int { lock.withLock { steps } }
    }

    /// Lets `count` threads go on together, round after round. A round that does not fill within 120 s
    /// (a thread stuck in a call) breaks the barrier: from then on nobody waits at it.
    final class Barrier: @unchecked Sendable {
        private let condition = NSCondition()
        private let count: Int
        private var waiting = 0
        private var generation = 0
        private var broken = false

        init(count: Int) { self.count = count }

        func arrive() {
            condition.lock()
            defer { condition.unlock() }
            guard !broken else { return }
            let mine = generation
            waiting += 1
            if waiting == count {
                waiting = 0
                generation += 1
                condition.broadcast()
                return
            }
            let deadline = Date().addingTimeInterval(120)
            while generation == mine, !broken {
                if !condition.wait(until: deadline) {
                    broken = true
                    condition.broadcast()
                }
            }
        }
    }

    /// The core's lock manager used from several threads at once, as `LockKeeper` uses it beside the main
    /// thread: 8 threads in step, each taking and releasing the lock of its own session 30 times, through
    /// clones of one remote. Every call must finish (a git child must never wait for the end of a pipe
    /// that another thread's child inherited). On a hang, the stuck git processes of this sandbox are
    /// killed so that the run goes on.
    @Test func lockManagersOnSeveralThreadsAtOnceFinish() throws {
        try Sandbox.with { sandbox in
            let machine = try Machine(.linuxA(in: sandbox), sandbox: sandbox)
            let remote = sandbox.path("remote.git")
            try machine.git("init", "--quiet", "--bare", "--initial-branch=main", remote, in: sandbox.root)
            let environment = machine.environment
            let home = machine.home
            let outcomes = Outcomes()
            let done = DispatchGroup()
            let threads = 8
            let barrier = Barrier(count: threads)
            for n in 1...threads {
                let directory = sandbox.path("clone-\(n)")
                try machine.git("clone", "--quiet", remote, directory, in: sandbox.root)
                try machine.git("config", "ccsync.machine", "thread-\(n)", in: directory)
                let session = String(format: "0d0d0d0d-4444-4444-8444-%012d", n)
                done.enter()
                Thread {
                    defer { done.leave() }
                    var failure: String?
                    for _ in 0..<30 {
                        barrier.arrive()
                        guard failure == nil else { continue }
                        do {
                            // Built as the product builds it: libgit2 writes the lock commits and reads
                            // the refs in process, git pushes them.
                            let copy = try WorkingCopy.open(directory: directory, home: home,
                                                            defaultClaudeRoot: home + "/.claude",
                                                            runner: ProcessRunner(environment: environment))
                            let locks = copy.lockManager(ttl: 600)
                            guard locks.git.repository != nil else {
                                failure = "the lock manager has no repository: the product's in-process path is not the one raced"
                                continue
                            }
                            try locks.acquire(session)
                            try locks.release(session)
                            outcomes.step()
                        } catch {
                            failure = "\(error)"
                        }
                    }
                    outcomes.add("thread-\(n): " + (failure ?? "done"))
                }.start()
            }
            // Hung: no lock taken and released by any thread for 15 s (each takes well under a second), or
            // still not done after 10 minutes.
            var lastProgress = -1
            var lastChange = Date()
            var hung = false
            let giveUp = Date().addingTimeInterval(600)
            while done.wait(timeout: .now() + 0.5) == .timedOut {
                let progress = outcomes.progress
                if progress != lastProgress {
                    lastProgress = progress
                    lastChange = Date()
                }
                if Date().timeIntervalSince(lastChange) > 15 || Date() > giveUp {
                    hung = true
                    break
                }
            }
            if hung {
                let stuck = Self.childProcesses(under: sandbox.root)
                sandbox.check(false, "lock managers on \(threads) threads hung; stuck children: "
                              + stuck.map { "\($0.pid) \($0.command)" }.joined(separator: "; ")
                              + "; \(outcomes.progress) of \(threads * 30) acquire+release pairs were done")
                // Killing the stuck children closes the pipes the others wait on; the threads then fail their calls
                // and meet at the barrier again, so keep killing until they are through.
                let deadline = Date().addingTimeInterval(60)
                while done.wait(timeout: .now() + 0.5) == .timedOut, Date() < deadline {
                    for child in Self.childProcesses(under: sandbox.root) { kill(child.pid, SIGKILL) }
                }
                return
            }
            let failed = outcomes.all.filter { !$0.hasSuffix(": done") }
            sandbox.check(failed.isEmpty, "lock managers on threads failed: \(failed)")
        }
    }

    /// This process's children working in `directory` (their cwd is inside it).
    static func childProcesses(under directory: String) -> [(pid: Int32, command: String)] {
        let me = getpid()
        var found: [(Int32, String)] = []
        for (pid, status) in HostProcess.all() where status.parent == me {
            guard let cwd = HostProcess.workingDirectory(pid), cwd.hasPrefix(directory) else { continue }
            let command = HostProcess.commandLine(pid)?.joined(separator: " ") ?? ""
            found.append((pid, command))
        }
        return found
    }

    // MARK: lock show

    /// A holds S's lock (live, 10 minutes) and an expired one on T. `lock show --format json` on B lists
    /// both with holder, acquired, expires, expired and project; A sees S as its own; the table too.
    @Test func lockShowListsHolderAndExpiry() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (s, t) = (ResumeWorld.s, ResumeWorld.t)
            try world.lockManager(world.a, ttl: 600).acquire(s.id)
            var past = try world.lockManager(world.a, ttl: 600)
            past.now = { Date().addingTimeInterval(-1200) }
            try past.acquire(t.id)

            let iso = ISO8601DateFormatter()
            func date(_ value: Any?) -> Date? {
                guard let text = value as? String else { return nil }
                return iso.date(from: text)
            }
            let rows = try world.lockShow(on: world.b)
            sandbox.check(rows.count == 2, "B's lock show lists \(rows.count) locks: \(rows)")
            let now = Date()
            if let row = rows.first(where: { $0["session"] as? String == s.id }) {
                sandbox.check(row["holder"] as? String == "linux-a", "S's holder: \(row)")
                sandbox.check(row["expired"] as? Bool == false, "S's lock is shown as expired: \(row)")
                sandbox.check(row["mine"] as? Bool == false, "S's lock is shown as B's: \(row)")
                sandbox.check(row["project"] as? String == "{{PROJECTS}}/spotter", "S's project: \(row)")
                let expires = date(row["expires"]), acquired = date(row["acquired"])
                sandbox.check(expires.map { abs($0.timeIntervalSince(now) - 600) < 60 } ?? false, "S's expiry is not in 10 minutes: \(row)")
                sandbox.check(acquired.map { abs($0.timeIntervalSince(now)) < 60 } ?? false, "S's acquired is not now: \(row)")
            } else {
                sandbox.check(false, "B's lock show lacks S: \(rows)")
            }
            if let row = rows.first(where: { $0["session"] as? String == t.id }) {
                sandbox.check(row["holder"] as? String == "linux-a", "T's holder: \(row)")
                sandbox.check(row["expired"] as? Bool == true, "T's lock is not shown as expired: \(row)")
                sandbox.check(date(row["expires"]).map { $0 < now } ?? false, "T's expiry is not in the past: \(row)")
            } else {
                sandbox.check(false, "B's lock show lacks T: \(rows)")
            }

            let onA = try world.lockShow(on: world.a)
            sandbox.check(onA.first(where: { $0["session"] as? String == s.id })?["mine"] as? Bool == true,
                          "A's lock show does not mark S's lock as its own: \(onA)")

            let table = try world.b.ccsync("lock", "show").stdoutText
            let sLine = table.split(separator: "\n").first { $0.hasPrefix(s.id.prefix(8)) } ?? ""
            let tLine = table.split(separator: "\n").first { $0.hasPrefix(t.id.prefix(8)) } ?? ""
            sandbox.check(sLine.contains("linux-a") && !sLine.contains("expired"), "B's table row for S: '\(sLine)'\n\(table)")
            sandbox.check(tLine.contains("linux-a") && tLine.contains("expired"), "B's table row for T: '\(tLine)'\n\(table)")
            let tableOnA = try world.a.ccsync("lock", "show").stdoutText
            sandbox.check(tableOnA.contains("linux-a (me)"), "A's table does not mark its own lock:\n\(tableOnA)")
        }
    }

    // MARK: lock release

    /// Another machine's live lock is released only with `--force`; a machine's own locks are released by
    /// id (or unique prefix), or all at once without an id.
    @Test func lockReleaseNeedsForceForAnotherMachinesLock() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (s, t) = (ResumeWorld.s, ResumeWorld.t)
            let (a, b) = (world.a, world.b)
            try world.lockManager(a, ttl: 600).acquire(s.id)

            let refused = try b.ccsyncResult(["lock", "release", s.id])
            sandbox.check(!refused.succeeded, "B released A's live lock without --force:\n\(refused)")
            sandbox.check(refused.stderrText.contains("linux-a") && refused.stderrText.contains("--force"),
                          "B's refusal does not name the holder and --force:\n\(refused)")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "linux-a", "A's lock is gone after B's refused release")

            let forced = try b.ccsyncResult(["lock", "release", s.id, "--force"])
            sandbox.check(forced.succeeded, "B's release --force failed:\n\(forced)")
            sandbox.check(try world.remoteLocks()[s.id] == nil, "A's lock is still on the remote after B's release --force")

            // A's own locks: by prefix, then all of them.
            try world.lockManager(a, ttl: 600).acquire(s.id)
            try world.lockManager(a, ttl: 600).acquire(t.id)
            try Self.require(Set(try world.remoteLocks().keys) == [s.id, t.id], "A could not take both locks again")
            let one = try a.ccsyncResult(["lock", "release", String(s.id.prefix(6))])
            sandbox.check(one.succeeded, "A's release of its own lock by prefix failed:\n\(one)")
            let afterOne = try world.remoteLocks().keys.sorted(), heldAfterOne = try world.heldLocks(on: a)
            sandbox.check(afterOne == [t.id], "after A released S the remote has locks on \(afterOne)")
            sandbox.check(heldAfterOne == [t.id], "A still believes it holds \(heldAfterOne)")

            let all = try a.ccsyncResult(["lock", "release"])
            sandbox.check(all.succeeded, "A's release of all its locks failed:\n\(all)")
            let afterAll = try world.remoteLocks().keys.sorted(), heldAfterAll = try world.heldLocks(on: a)
            sandbox.check(afterAll.isEmpty, "locks left after A released all: \(afterAll)")
            sandbox.check(heldAfterAll.isEmpty, "A still believes it holds \(heldAfterAll)")

            let none = try b.ccsyncResult(["lock", "release"])
            sandbox.check(none.succeeded, "release with nothing held failed:\n\(none)")
        }
    }

    // MARK: lock cleanup

    /// `lock cleanup` deletes expired locks (one made expired, one that expired in real time after a
    /// 1-second TTL) and leaves a live one alone, whichever machine runs it.
    @Test func lockCleanupRemovesOnlyExpiredLocks() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox, sessions: [ResumeWorld.s, ResumeWorld.t, ResumeWorld.u])
            let (s, t, u) = (ResumeWorld.s, ResumeWorld.t, ResumeWorld.u)
            try world.lockManager(world.a, ttl: 600).acquire(s.id)
            var past = try world.lockManager(world.a, ttl: 600)
            past.now = { Date().addingTimeInterval(-1200) }
            try past.acquire(t.id)
            let short = try world.lockManager(world.a, ttl: 1)
            let lock = try short.acquire(u.id)
            try waitUntil("U's 1-second lock to expire", timeout: 10) { Date() > lock.record.expires.addingTimeInterval(0.2) }

            let cleanup = try world.b.ccsyncResult(["lock", "cleanup"])
            sandbox.check(cleanup.succeeded, "B's lock cleanup failed:\n\(cleanup)")
            sandbox.check(cleanup.stdoutText.contains(String(t.id.prefix(8))) && cleanup.stdoutText.contains(String(u.id.prefix(8))),
                          "cleanup does not name the expired locks it removed:\n\(cleanup)")
            let left = try world.remoteLocks()
            sandbox.check(Set(left.keys) == [s.id], "locks left after cleanup: \(left.keys.sorted())")
            sandbox.check(left[s.id]?.holder == "linux-a", "S's lock changed: \(String(describing: left[s.id]))")

            let again = try world.a.ccsyncResult(["lock", "cleanup"])
            sandbox.check(again.succeeded && again.stdoutText.contains("no expired locks"), "a second cleanup:\n\(again)")
            sandbox.check(Set(try world.remoteLocks().keys) == [s.id], "a second cleanup removed the live lock")
        }
    }

    // MARK: pushes meet locks

    /// While A's `resume S` runs: B's `git ccsync push` leaves S out (naming it and A) and pushes T; a
    /// plain `git push` of a commit changing S is refused by the pre-push hook, naming A. Once A's resume
    /// has ended, everything of both machines reaches the remote.
    @Test func pushesOfASessionLockedByAnotherMachineAreRefusedOrLeftOut() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (s, t) = (ResumeWorld.s, ResumeWorld.t)
            let (a, b) = (world.a, world.b)

            let runA = StandInClaude.Run(sandbox: sandbox, name: "a-holds", lines: 2, waits: true)
            defer { runA.finish() }
            let resumeA = try world.startResume(on: a, [s.id], run: runA)
            try world.waitForClaude(runA, of: resumeA)
            try Self.require(try world.remoteLocks()[s.id]?.holder == "linux-a", "A's resume holds no lock on S")

            // B's Claude, started without resume, writes to both sessions.
            let bS = Array(#"{"parentUuid":null,"type":"user","message":{"role":"user","content":"b-store on S"},"uuid":"b-store-s","sessionId":"\#(s.id)","cwd":"\#(b.projects)/spotter","timestamp":"2025-06-03T10:00:00.000Z"}"#.utf8) + [0x0A]
            let bT = Array(#"{"parentUuid":null,"type":"user","message":{"role":"user","content":"b-store on T"},"uuid":"b-store-t","sessionId":"\#(t.id)","cwd":"\#(b.projects)/shop","timestamp":"2025-06-03T10:00:00.000Z"}"#.utf8) + [0x0A]
            try b.appendStore(cwd: ResumeWorld.cwd(of: s, on: b), s.log, bS)
            try b.appendStore(cwd: ResumeWorld.cwd(of: t, on: b), t.log, bT)

            let push = try b.ccsyncResult(["push"])
            sandbox.check(push.succeeded, "B's git ccsync push failed:\n\(push)")
            let output = push.stdoutText + push.stderrText
            let leftOut = output.split(separator: "\n").first { $0.contains(s.id.prefix(8)) && $0.contains("linux-a") }
            sandbox.check(leftOut != nil, "B's push does not say it left S out because linux-a holds it:\n\(push)")
            sandbox.check(Lines.uuids(try world.remoteLog(t)).contains("b-store-t"), "B's push did not bring T's new line to the remote")
            sandbox.check(!Lines.uuids(try world.remoteLog(s)).contains("b-store-s"), "B's push brought S's new line to the remote")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "linux-a", "B's push changed A's lock on S")

            // Plain git: a commit that changes S, pushed by hand.
            let sPath = try b.git("ls-files", "--", "projects/*/\(s.log)").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            try Self.require(!sPath.isEmpty && !sPath.contains("\n"), "B's working copy has no single \(s.log): '\(sPath)'")
            let bGit = Array(#"{"parentUuid":null,"type":"user","message":{"role":"user","content":"b-git on S"},"uuid":"b-git-s","sessionId":"\#(s.id)","cwd":"\#(b.projects)/spotter","timestamp":"2025-06-03T11:00:00.000Z"}"#.utf8) + [0x0A]
            try b.machine.append(sPath, bGit)
            try b.git("add", "--", sPath)
            try b.git("commit", "--quiet", "-m", "a change to S by hand")
            let remoteBefore = try world.world.remoteHead()
            let plain = try b.gitResult(["push", "origin", "main"])
            sandbox.check(!plain.succeeded, "a plain git push of a change to S went through while A holds S:\n\(plain)")
            sandbox.check(plain.stderrText.contains("linux-a") && plain.stderrText.contains(s.id.prefix(8)),
                          "the refusal does not name the session and its holder linux-a:\n\(plain)")
            sandbox.check(try world.world.remoteHead() == remoteBefore, "the remote's main moved although the push was refused")
            sandbox.check(!Lines.uuids(try world.remoteLog(s)).contains("b-git-s"), "S's hand-made line reached the remote")

            // A's Claude exits: A pushes and unlocks; then B's work on S goes through.
            runA.finish()
            let resultA = try resumeA.wait()
            sandbox.check(resultA.succeeded, "A's resume failed:\n\(resultA)")
            let locksAfterA = try world.remoteLocks().keys.sorted()
            sandbox.check(locksAfterA.isEmpty, "locks left after A's resume: \(locksAfterA)")
            let pushAgain = try b.ccsyncResult(["push"])
            sandbox.check(pushAgain.succeeded, "B's git ccsync push after A's resume failed:\n\(pushAgain)")
            let remoteS = Lines.uuids(try world.remoteLog(s))
            for uuid in ["b-store-s", "b-git-s"] + (0..<2).map({ "a-holds-\($0)" }) {
                sandbox.check(remoteS.filter { $0 == uuid }.count == 1, "the remote's S has \(remoteS.filter { $0 == uuid }.count) copies of \(uuid): \(remoteS)")
            }
        }
    }
}
