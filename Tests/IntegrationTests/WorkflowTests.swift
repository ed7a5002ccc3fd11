import CCSyncCore
import Foundation
import Testing

/// The workflows of `resume`, `update`, the pre-push hook and the daemon, driven through CCSyncCore in
/// this process (the way the command line calls them) rather than through the `git-ccsync` executable:
/// the interaction with the person at the terminal is answered in code and Claude is the stand-in script.
/// The machines are set up as their user sets them up (`git ccsync init`; git's filter runs the binary).
@Suite struct WorkflowTests {
    /// The answers a test gives the resume workflow, and everything it was told.
    final class Answers: ResumeInteraction, @unchecked Sendable {
        // @unchecked: the lock keeper's thread may warn while the test thread waits for the workflow.
        var canPick = false
        var picked: String?
        var confirms = false
        private let lock = NSLock()
        private(set) var questions: [String] = []
        private(set) var warnings: [String] = []
        private(set) var offered: [String] = []
        private(set) var pulls = 0
        private(set) var pushes: [RemoteSync.PushResult] = []

        func pick(_ rows: [SessionCatalog.Row], locks: [String: LockManager.Lock]) -> String? {
            offered = rows.map(\.id)
            return picked
        }
        func confirm(_ question: String) -> Bool {
            questions.append(question)
            return confirms
        }
        func warn(_ message: String) { lock.withLock { warnings.append(message) } }
        func trace(_ step: String) {}
        func progress(_ message: String) {}
        func pulled(_ result: RemoteSync.PullResult) { pulls += 1 }
        func pushed(_ result: RemoteSync.PushResult, machine: MachineID) { pushes.append(result) }
    }

    /// `machine`'s working copy opened as the command line opens it.
    static func open(_ machine: SyncMachine) throws -> WorkingCopy {
        try WorkingCopy.open(directory: machine.workingCopy, home: machine.home, defaultClaudeRoot: machine.claudeRoot,
                             runner: ProcessRunner(environment: machine.environment))
    }

    static func resume(_ world: ResumeWorld, on machine: SyncMachine, _ options: ResumeWorkflow.Options,
                       _ answers: Answers, run: StandInClaude.Run) throws -> ResumeOutcome {
        let runner = ProcessRunner(environment: machine.environment.merging(run.environment) { $1 })
        return try ResumeWorkflow(copy: open(machine), options: options, interaction: answers, runner: runner).run()
    }

    static func options(session: String? = nil, latest: Bool = false) -> ResumeWorkflow.Options {
        var options = ResumeWorkflow.Options()
        options.session = session
        options.latest = latest
        return options
    }

    // MARK: resume

    /// B resumes S by id: Claude (the stand-in) runs in S's directory as B has it, its lines reach the
    /// remote, and no lock is left.
    @Test func resumeLocksRunsClaudeThenPushesAndUnlocks() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (b, s) = (world.b, ResumeWorld.s)
            let run = StandInClaude.Run(sandbox: sandbox, name: "b-resume", lines: 3)
            let answers = Answers()
            let outcome = try Self.resume(world, on: b, Self.options(session: s.id), answers, run: run)
            sandbox.check(outcome.session == s.id && outcome.claudeStatus == 0 && outcome.failure == nil && outcome.exitStatus == 0,
                          "the resume ended as \(outcome)")
            sandbox.check(run.startedWith?.id == s.id && run.startedWith?.cwd == ResumeWorld.cwd(of: s, on: b),
                          "Claude was started as \(String(describing: run.startedWith))")
            sandbox.check(answers.pushes.count == 1, "the final push was reported \(answers.pushes.count) times")
            sandbox.check(answers.questions.isEmpty, "the resume asked \(answers.questions)")
            let uuids = Lines.uuids(try world.remoteLog(s))
            sandbox.check(["b-resume-0", "b-resume-1", "b-resume-2"].allSatisfy(uuids.contains),
                          "the remote's S lacks Claude's lines: \(uuids)")
            let locks = try world.remoteLocks()
            sandbox.check(locks.isEmpty, "locks left on the remote: \(locks)")
            let held = try world.heldLocks(on: b)
            sandbox.check(held.isEmpty, "B still believes it holds \(held)")
        }
    }

    /// A holds S: B's resume asks before taking it over. Told no, it refuses naming A and Claude never
    /// starts; told yes, it takes the lock and runs Claude. Claude's exit status comes back.
    @Test func resumeAsksBeforeTakingOverALiveLock() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            _ = try world.lockManager(a, ttl: 600).acquire(s.id)

            let refusedRun = StandInClaude.Run(sandbox: sandbox, name: "b-refused")
            let refusing = Answers()
            do {
                _ = try Self.resume(world, on: b, Self.options(session: s.id), refusing, run: refusedRun)
                sandbox.check(false, "B's resume went ahead while A holds S and B said no")
            } catch LockError.heldByOther(let record) {
                sandbox.check(record.holder == "linux-a", "the refusal names \(record.holder)")
            }
            sandbox.check(refusing.questions.count == 1 && refusing.questions[0].contains("locked by linux-a")
                          && refusing.questions[0].contains(s.id.prefix(8)), "the question was \(refusing.questions)")
            sandbox.check(!refusedRun.started, "Claude started although the lock was refused")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "linux-a", "A's lock changed")

            let run = StandInClaude.Run(sandbox: sandbox, name: "b-takeover", exitStatus: 3)
            let agreeing = Answers()
            agreeing.confirms = true
            let outcome = try Self.resume(world, on: b, Self.options(session: s.id), agreeing, run: run)
            sandbox.check(agreeing.questions.count == 1, "the takeover asked \(agreeing.questions)")
            sandbox.check(run.startedWith?.id == s.id, "Claude was started as \(String(describing: run.startedWith))")
            sandbox.check(outcome.claudeStatus == 3 && outcome.exitStatus == 3 && outcome.failure == nil,
                          "the resume ended as \(outcome)")
            sandbox.check(Lines.uuids(try world.remoteLog(s)).contains("b-takeover-0"), "Claude's lines did not reach the remote")
        }
    }

    /// Claude (a shell command here, so the launch goes through `/bin/sh`) cuts the working copy off its
    /// remote before it runs: the final push fails, the outcome says so with Claude's status turned into a
    /// failure, the lines stay committed and the lock held; with the remote back, update finishes the job.
    @Test func aFailedFinalPushKeepsTheLockForUpdate() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (b, s) = (world.b, ResumeWorld.s)
            let nowhere = sandbox.path("nowhere/remote.git")
            try b.git("config", "ccsync.claudeCommand",
                      "git -C '\(b.workingCopy)' config remote.origin.url '\(nowhere)' && '\(world.claude.script)'")
            let run = StandInClaude.Run(sandbox: sandbox, name: "b-offline", lines: 2)
            let outcome = try Self.resume(world, on: b, Self.options(session: s.id), Answers(), run: run)
            guard case .pushFailed(let summary) = outcome.failure else {
                Issue.record("the resume ended as \(outcome)")
                return
            }
            sandbox.check(summary.contains("cannot reach"), "the failure's summary: \(summary)")
            sandbox.check(run.startedWith?.id == s.id && outcome.claudeStatus == 0 && outcome.exitStatus == 1,
                          "Claude ran as \(String(describing: run.startedWith)), the outcome is \(outcome)")
            let held = try world.heldLocks(on: b)
            sandbox.check(held == [s.id], "B holds \(held) after the failed push")

            try b.git("config", "remote.origin.url", world.remote)
            let result = try UpdateWorkflow(copy: Self.open(b)).run()
            sandbox.check(result.releases.map(\.session) == [s.id], "update released \(result.releases)")
            sandbox.check(Lines.uuids(try world.remoteLog(s)).contains("b-offline-1"), "update did not push Claude's lines")
            let locks = try world.remoteLocks()
            sandbox.check(locks.isEmpty, "locks left on the remote: \(locks)")
        }
    }

    /// Without an id: `latest` takes the newest session, the picker offers the synced sessions newest
    /// first, a cancelled picker stops before anything is locked, and with nobody to pick the workflow
    /// says what to pass.
    @Test func resumeChoosesTheLatestOrWhatThePickerReturns() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (b, s, t) = (world.b, ResumeWorld.s, ResumeWorld.t)

            let latest = StandInClaude.Run(sandbox: sandbox, name: "b-latest")
            let answers = Answers()
            _ = try Self.resume(world, on: b, Self.options(latest: true), answers, run: latest)
            sandbox.check(latest.startedWith?.id == s.id, "--latest started \(String(describing: latest.startedWith))")
            sandbox.check(answers.pulls == 1, "the pull was reported \(answers.pulls) times")

            let picking = Answers()
            picking.canPick = true
            picking.picked = t.id
            let picked = StandInClaude.Run(sandbox: sandbox, name: "b-picked")
            _ = try Self.resume(world, on: b, Self.options(), picking, run: picked)
            sandbox.check(picking.offered.first == s.id && Set(picking.offered) == [s.id, t.id],
                          "the picker was offered \(picking.offered)")
            sandbox.check(picked.startedWith?.id == t.id, "the picked resume started \(String(describing: picked.startedWith))")

            let cancelling = Answers()
            cancelling.canPick = true
            let cancelled = StandInClaude.Run(sandbox: sandbox, name: "b-cancelled")
            #expect(throws: ResumeCancelled.self) {
                _ = try Self.resume(world, on: b, Self.options(), cancelling, run: cancelled)
            }
            let locksAfterCancel = try world.remoteLocks()
            sandbox.check(!cancelled.started && locksAfterCancel.isEmpty, "a cancelled pick started Claude or left a lock")

            let nobody = StandInClaude.Run(sandbox: sandbox, name: "b-nobody")
            #expect(throws: WorkflowError("no session given and no terminal to pick one on (pass an id, a unique prefix, or --latest)")) {
                _ = try Self.resume(world, on: b, Self.options(), Answers(), run: nobody)
            }
        }
    }

    /// A plain command runs directly, anything else through the shell with the session appended; both
    /// tell Claude's hooks that resume keeps the session.
    @Test func theLaunchOfClaude() {
        let id = ResumeWorld.s.id
        let plain = ResumeWorkflow.launch(id: id, command: "/opt/claude/bin/claude", directory: "/home/ana/code/spotter")
        #expect(plain == ResumeWorkflow.ClaudeLaunch(program: "/opt/claude/bin/claude", arguments: ["--resume", id],
                                                     directory: "/home/ana/code/spotter",
                                                     environment: [ClaudeHookEntries.resumedEnvironment: id]))
        let shell = ResumeWorkflow.launch(id: id, command: "claude --model opus", directory: "/tmp")
        #expect(shell.program == "/bin/sh")
        #expect(shell.arguments == ["-c", "claude --model opus \"$@\"", "claude", "--resume", id])
        #expect(shell.environment == [ClaudeHookEntries.resumedEnvironment: id])
    }

    // MARK: update

    /// B holds T's lock with a line of T's committed but not pushed: update pushes it and releases the lock.
    @Test func updatePushesThenReleasesEveryLockHeldHere() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (b, t) = (world.b, ResumeWorld.t)
            _ = try world.lockManager(b, ttl: 600).acquire(t.id)
            let line = Array(#"{"parentUuid":null,"type":"user","message":{"role":"user","content":"b on T"},"uuid":"b-update-t","sessionId":"\#(t.id)","cwd":"\#(b.projects)/shop","timestamp":"2025-06-03T10:00:00.000Z"}"#.utf8) + [0x0A]
            try b.appendStore(cwd: ResumeWorld.cwd(of: t, on: b), t.log, line)

            var order: [String] = []
            let result = try UpdateWorkflow(copy: Self.open(b)).run(
                pushed: { order.append("pushed \($0.pushedSessions)") },
                released: { id, error in order.append("released \(id) \(error.map { "\($0)" } ?? "")") })
            sandbox.check(order == ["pushed [\"\(t.id)\"]", "released \(t.id) "], "update told \(order)")
            sandbox.check(result.releases.count == 1 && result.releases[0].session == t.id && result.releases[0].error == nil,
                          "update released \(result.releases)")
            sandbox.check(Lines.uuids(try world.remoteLog(t)).contains("b-update-t"), "update did not push T's line")
            let locks = try world.remoteLocks()
            sandbox.check(locks.isEmpty, "locks left on the remote: \(locks)")
        }
    }

    // MARK: pre-push

    /// A plain commit on B changing S while A holds S, and one adding a token to T: the check refuses
    /// the token first, then (secrets allowed) the locked session, and lets the push go with both skipped.
    @Test func prePushRefusesSecretsAndLockedSessions() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s, t) = (world.a, world.b, ResumeWorld.s, ResumeWorld.t)
            _ = try world.lockManager(a, ttl: 600).acquire(s.id)
            let remoteBefore = try #require(try world.world.remoteHead())
            for (session, text) in [(s, "by hand on S"), (t, "aws configure: \(SecretGuardTests.aws.value)")] {
                let path = try b.git("ls-files", "--", "projects/*/\(session.log)").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                try #require(!path.isEmpty && !path.contains("\n"), "B's working copy has no single \(session.log)")
                try b.machine.append(path, SecretGuardTests.record(9, session: session.id, cwd: ResumeWorld.cwd(of: session, on: b), text: text))
                try b.git("add", "--", path)
            }
            try b.git("commit", "--quiet", "-m", "S and T changed by hand")
            let input = "refs/heads/main \(try b.head()) refs/heads/main \(remoteBefore)\n"

            var check = PrePushWorkflow(copy: try Self.open(b), remoteName: nil)
            do {
                try check.check(input)
                sandbox.check(false, "the pre-push check let a token through")
            } catch PrePushWorkflow.Refusal.secrets(let found) {
                sandbox.check(found.findings.map(\.session) == [t.id], "the secrets found: \(found.findings)")
                sandbox.check("\(found)".contains("GIT_CCSYNC_ALLOW_SECRETS=1 git push"), "the refusal's way out: \(found)")
            }
            check.allowSecrets = true
            do {
                try check.check(input)
                sandbox.check(false, "the pre-push check let a change to a locked session through")
            } catch PrePushWorkflow.Refusal.locked(let records) {
                sandbox.check(records.map(\.session) == [s.id] && records[0].holder == "linux-a", "the locks named: \(records)")
            }
            check.skipLocks = true
            try check.check(input)
            // Deleting a branch sends nothing to check.
            check = PrePushWorkflow(copy: try Self.open(b), remoteName: "origin")
            try check.check("(delete) \(String(repeating: "0", count: 40)) refs/heads/old \(remoteBefore)\n")
        }
    }

    // MARK: daemon

    /// A pushes a new session; B's daemon round pulls it into B's store and says so; a daemon asked to
    /// stop after one round logs its start and its end.
    @Test func daemonRoundsPullWhatOthersPushed() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox, sessions: [ResumeWorld.s])
            let (a, b, u) = (world.a, world.b, ResumeWorld.u)
            try a.writeStore(cwd: ResumeWorld.cwd(of: u, on: a), u.log, ResumeWorld.initialLog(u, on: a))
            try a.ccsync("push")

            var lines: [String] = []
            var daemon = SyncDaemon(copy: try Self.open(b), interval: 60, pushOnly: false)
            daemon.log = { lines.append($0) }
            var rounds = 0
            daemon.shouldStop = { rounds += 1; return rounds > 1 }
            daemon.run()
            sandbox.check(lines.first == "daemon started for \(b.workingCopy), every 60 s" && lines.last == "daemon stopped",
                          "the daemon logged \(lines)")
            sandbox.check(lines.contains("pulled 1 session(s)"), "the daemon's round did not pull U: \(lines)")
            sandbox.check(b.storeHas(cwd: ResumeWorld.cwd(of: u, on: b), u.log), "B's store lacks U after the daemon's round")

            lines = []
            let pushOnly = SyncDaemon(copy: try Self.open(b), interval: 60, pushOnly: true)
            var logged = pushOnly
            logged.log = { lines.append($0) }
            logged.round()
            sandbox.check(lines.isEmpty, "a push-only round with nothing new logged \(lines)")
        }
    }
}
