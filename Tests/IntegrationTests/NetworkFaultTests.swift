import Foundation
import Testing

/// Issue 5, network faults: the remote is gone (moved away, a closed port), refuses pushes (a server
/// hook), or is slow. `push`, `pull`, `resume` and `update` exit non-zero with one message that names the
/// remote's URL and says what to do; nothing is lost (local commits kept, Claude's store untouched); and
/// the next command once the fault is gone finishes the work, so the other machine sees every line.
@Suite struct NetworkFaultTests {
    enum Fault: String, CaseIterable {
        case moved, closedPort, refusing
    }

    /// Sets `fault` up for `machine`, runs `body`, removes it again. Returns the URL the message must name.
    static func with<T>(_ fault: Fault, on machine: SyncMachine, _ remote: FaultyRemote,
                        _ body: (String) throws -> T) throws -> T {
        switch fault {
        case .moved:
            try remote.moveAway()
            defer { try? remote.moveBack() }
            return try body(remote.path)
        case .closedPort:
            let url = try FaultyRemote.closedPortURL()
            try machine.git("config", "remote.origin.url", url)
            defer { _ = try? machine.git("config", "remote.origin.url", remote.path) }
            return try body(url)
        case .refusing:
            try remote.refuse()
            defer { try? remote.accept() }
            return try body(remote.path)
        }
    }

    /// The one error message: names the URL, says what happened and which command to run next.
    static func expectClearError(_ result: CommandResult, _ fault: Fault, url: String, next: String,
                                 _ sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = result.stderrText
        sandbox.check(result.status == 1, "\(fault): exit status \(result.status), expected 1:\n\(result)",
                      sourceLocation: sourceLocation)
        sandbox.check(text.contains("git-ccsync: error: "), "\(fault): no error line:\n\(result)", sourceLocation: sourceLocation)
        sandbox.check(text.contains(url), "\(fault): the message does not name the remote \(url):\n\(result)",
                      sourceLocation: sourceLocation)
        sandbox.check(text.contains(next), "\(fault): the message does not say to run '\(next)':\n\(result)",
                      sourceLocation: sourceLocation)
        switch fault {
        case .moved, .closedPort:
            sandbox.check(text.contains("cannot reach"), "\(fault): the message does not say the remote cannot be reached:\n\(result)",
                          sourceLocation: sourceLocation)
        case .refusing:
            sandbox.check(text.contains("refused") && text.contains(FaultyRemote.refusal),
                          "\(fault): the message does not say the remote refused, in its own words:\n\(result)",
                          sourceLocation: sourceLocation)
            sandbox.check(!text.contains("cannot reach"), "\(fault): a refusal reported as unreachable:\n\(result)",
                          sourceLocation: sourceLocation)
        }
    }

    /// The uuids of the session's log committed at `machine`'s HEAD (repository form).
    static func committedUUIDs(_ session: ResumeWorld.Session, on machine: SyncMachine, _ world: ResumeWorld) throws -> [String] {
        guard let path = try world.world.remotePath(endingWith: "/" + session.log) else {
            throw HarnessError("the remote has no \(session.log)")
        }
        return Lines.uuids(try machine.git("cat-file", "blob", "HEAD:\(path)").stdout)
    }

    static func uuids(_ lines: [UInt8]) -> [String] { Lines.uuids(lines) }

    // MARK: push

    @Test func pushUnderEachFaultKeepsTheCommitAndTheNextPushCompletes() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            let remote = try FaultyRemote(sandbox: sandbox, path: world.remote)
            let cwdA = ResumeWorld.cwd(of: s, on: a)
            var written: [UInt8] = []
            for (n, fault) in Fault.allCases.enumerated() {
                let lines = SessionRecords.lines(2, tag: 0xa10 + n, session: s.id, cwd: cwdA, on: a)
                try a.appendStore(cwd: cwdA, s.log, lines)
                written += lines
                let storeBefore = try a.storeFiles()
                let remoteBefore = try world.world.remoteHead()
                try Self.with(fault, on: a, remote) { url in
                    let push = try a.ccsyncResult(["push"])
                    Self.expectClearError(push, fault, url: url, next: "git ccsync push", sandbox)
                }
                sandbox.check(try a.storeFiles() == storeBefore, "\(fault): the failed push changed A's store")
                sandbox.check(try world.world.remoteHead() == remoteBefore, "\(fault): the remote moved although the push failed")
                let committed = try Self.committedUUIDs(s, on: a, world)
                for uuid in Self.uuids(written) {
                    sandbox.check(committed.contains(uuid), "\(fault): A's line \(uuid) is not committed locally (HEAD has \(committed))")
                }
            }
            try a.ccsync("push")
            let onRemote = Lines.uuids(try world.remoteLog(s))
            for uuid in Self.uuids(written) {
                sandbox.check(onRemote.filter { $0 == uuid }.count == 1, "the remote's S has \(onRemote.filter { $0 == uuid }.count) copies of \(uuid)")
            }
            try b.ccsync("pull")
            Lines.expectEach(Lines.of(a.translated(written, to: b)), in: world.storeLog(s, on: b), "B's S", sandbox: sandbox)
            try a.expectCleanStatus("after the faults")
        }
    }

    // MARK: pull

    /// Pull only reads from the remote: a remote that refuses pushes does not stop it. An unreachable
    /// one does, after B's own new lines are committed; B's store is left as it was.
    @Test func pullUnderEachFaultKeepsLocalWorkAndTheNextPullCompletes() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s, t) = (world.a, world.b, ResumeWorld.s, ResumeWorld.t)
            let remote = try FaultyRemote(sandbox: sandbox, path: world.remote)
            let fromA = SessionRecords.lines(3, tag: 0xa20, session: t.id, cwd: ResumeWorld.cwd(of: t, on: a), on: a)
            try a.appendStore(cwd: ResumeWorld.cwd(of: t, on: a), t.log, fromA)
            try a.ccsync("push")
            let cwdB = ResumeWorld.cwd(of: s, on: b)
            let fromB = SessionRecords.lines(2, tag: 0xb20, session: s.id, cwd: cwdB, on: b)
            try b.appendStore(cwd: cwdB, s.log, fromB)

            for fault in [Fault.moved, .closedPort] {
                let storeBefore = try b.storeFiles()
                try Self.with(fault, on: b, remote) { url in
                    let pull = try b.ccsyncResult(["pull"])
                    Self.expectClearError(pull, fault, url: url, next: "git ccsync pull", sandbox)
                }
                sandbox.check(try b.storeFiles() == storeBefore, "\(fault): the failed pull changed B's store")
                let committed = try Self.committedUUIDs(s, on: b, world)
                for uuid in Self.uuids(fromB) {
                    sandbox.check(committed.contains(uuid), "\(fault): B's line \(uuid) is not committed locally (HEAD has \(committed))")
                }
            }
            try Self.with(.refusing, on: b, remote) { _ in
                let pull = try b.ccsyncResult(["pull"])
                sandbox.check(pull.succeeded, "a pull from a remote that only refuses pushes failed:\n\(pull)")
            }
            Lines.expectEach(Lines.of(a.translated(fromA, to: b)), in: world.storeLog(t, on: b), "B's T after the pull", sandbox: sandbox)
            Lines.expectEach(Lines.of(fromB), in: world.storeLog(s, on: b), "B's own S after the pull", sandbox: sandbox)
            try b.ccsync("push")
            try a.ccsync("pull")
            Lines.expectEach(Lines.of(b.translated(fromB, to: a)), in: world.storeLog(s, on: a), "A's S", sandbox: sandbox)
            try b.expectCleanStatus("after the faults")
        }
    }

    // MARK: resume

    /// Resume cannot lock the session while the remote is gone or refuses the lock: it says so and never
    /// starts Claude. Once the remote works, resume runs Claude and pushes its lines.
    @Test func resumeUnderEachFaultStartsNoClaudeAndTheNextResumeCompletes() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            let remote = try FaultyRemote(sandbox: sandbox, path: world.remote)
            for fault in Fault.allCases {
                let storeBefore = try a.storeFiles()
                let run = StandInClaude.Run(sandbox: sandbox, name: "a-\(fault)")
                try Self.with(fault, on: a, remote) { url in
                    let resume = try world.resume(on: a, [s.id], run: run)
                    Self.expectClearError(resume, fault, url: url, next: "git ccsync resume", sandbox)
                    sandbox.check(resume.stderrText.contains("Claude was not started"),
                                  "\(fault): resume does not say that Claude was not started:\n\(resume)")
                }
                sandbox.check(!run.started, "\(fault): resume started Claude without the lock")
                sandbox.check(try a.storeFiles() == storeBefore, "\(fault): the failed resume changed A's store")
                let locks = try world.remoteLocks()
                sandbox.check(locks.isEmpty, "\(fault): locks on the remote after the failed resume: \(locks.keys.sorted())")
            }
            let run = StandInClaude.Run(sandbox: sandbox, name: "a-after", lines: 3)
            let resume = try world.resume(on: a, [s.id], run: run)
            sandbox.check(resume.succeeded && run.exited, "resume after the faults failed:\n\(resume)")
            sandbox.check(try world.remoteLocks().isEmpty, "resume left its lock")
            try b.ccsync("pull")
            Lines.expectEach(run.appendedLines.map { a.translated($0, to: b) }, in: world.storeLog(s, on: b), "B's S", sandbox: sandbox)
        }
    }

    // MARK: update

    /// The remote takes lock refs but refuses the branch, so resume's final push fails: resume says so
    /// and keeps the commit and the lock. `update` under every fault fails the same clear way and keeps
    /// both; once the remote works, `update` pushes every line and releases the lock.
    @Test func updateUnderEachFaultKeepsTheLockAndTheNextUpdateCompletes() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            let remote = try FaultyRemote(sandbox: sandbox, path: world.remote)
            try remote.refuse(branchesOnly: true)
            let run = StandInClaude.Run(sandbox: sandbox, name: "a-refused", lines: 3)
            let resume = try world.resume(on: a, [s.id], run: run)
            try remote.accept()
            sandbox.check(resume.status != 0 && run.exited, "resume whose push was refused:\n\(resume)")
            sandbox.check(resume.stderrText.contains(FaultyRemote.refusal) && resume.stderrText.contains("git ccsync update")
                          && resume.stderrText.contains(world.remote),
                          "resume does not pass on the refusal with the remote and 'git ccsync update':\n\(resume)")
            let lines = run.appendedLines
            try ResumeTests.require(lines.count == 3, "the stand-in appended \(lines.count) lines")

            for fault in Fault.allCases {
                let storeBefore = try a.storeFiles()
                try Self.with(fault, on: a, remote) { url in
                    let update = try a.ccsyncResult(["update"])
                    Self.expectClearError(update, fault, url: url, next: "git ccsync update", sandbox)
                }
                sandbox.check(try a.storeFiles() == storeBefore, "\(fault): the failed update changed A's store")
                let committed = try Self.committedUUIDs(s, on: a, world)
                sandbox.check((0..<3).allSatisfy { committed.contains("a-refused-\($0)") },
                              "\(fault): Claude's lines are not committed on A (HEAD has \(committed))")
                sandbox.check(try world.heldLocks(on: a) == [s.id], "\(fault): A no longer holds S's lock")
                sandbox.check(try world.remoteLocks()[s.id]?.holder == "linux-a", "\(fault): S's lock on the remote is gone")
            }
            let update = try a.ccsyncResult(["update"])
            sandbox.check(update.succeeded, "update after the faults failed:\n\(update)")
            sandbox.check(try world.remoteLocks().isEmpty, "update left the lock on the remote")
            sandbox.check(try world.heldLocks(on: a).isEmpty, "A still believes it holds a lock")
            try b.ccsync("pull")
            Lines.expectEach(lines.map { a.translated($0, to: b) }, in: world.storeLog(s, on: b), "B's S", sandbox: sandbox)
        }
    }

    // MARK: slow

    /// The remote takes seconds to accept A's push, and B's push lands meanwhile: A's push is then
    /// turned down by the moved branch, merges B's work and tries again. Both succeed; nothing is lost.
    @Test func aSlowPushOvertakenByAnotherMachineMergesAndSucceeds() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s, t) = (world.a, world.b, ResumeWorld.s, ResumeWorld.t)
            let remote = try FaultyRemote(sandbox: sandbox, path: world.remote)
            let fromA = SessionRecords.lines(2, tag: 0xa30, session: s.id, cwd: ResumeWorld.cwd(of: s, on: a), on: a)
            try a.appendStore(cwd: ResumeWorld.cwd(of: s, on: a), s.log, fromA)
            let fromB = SessionRecords.lines(2, tag: 0xb30, session: t.id, cwd: ResumeWorld.cwd(of: t, on: b), on: b)
            try b.appendStore(cwd: ResumeWorld.cwd(of: t, on: b), t.log, fromB)

            try remote.slowOnce(seconds: 3)
            let started = Date()
            let pushA = try a.startCCSync(["push"])
            try waitUntil("A's push to reach the slow hook", timeout: 30, context: { pushA.stderrSoFar }) {
                FileManager.default.fileExists(atPath: remote.sleepingMarker) || pushA.hasEnded
            }
            let pushB = try b.ccsyncResult(["push"])
            sandbox.check(pushB.succeeded, "B's push while A's was slow failed:\n\(pushB)")
            let resultA = try pushA.wait(timeout: 60)
            sandbox.check(resultA.succeeded, "A's slow push failed:\n\(resultA)")
            sandbox.check(Date().timeIntervalSince(started) >= 3, "A's push did not meet the slow hook")
            let subjects = try a.machine.git("--git-dir", world.remote, "log", "--format=%s", "main", in: sandbox.root).stdoutText
            sandbox.check(subjects.contains("ccsync: linux-a: merge origin/main"),
                          "A's push was not overtaken (no merge of B's work by A on the remote):\n\(subjects)")

            try a.ccsync("pull")
            try b.ccsync("pull")
            Lines.expectEach(Lines.of(a.translated(fromA, to: b)), in: world.storeLog(s, on: b), "B's S", sandbox: sandbox)
            Lines.expectEach(Lines.of(b.translated(fromB, to: a)), in: world.storeLog(t, on: a), "A's T", sandbox: sandbox)
            for machine in [a, b] {
                try machine.expectCleanStatus("after the slow push")
                try machine.expectNoConflictMarkers("after the slow push")
            }
        }
    }

    /// Every round trip of B's takes seconds (a slow link): its pull is slow but completes, and a push
    /// started on B meanwhile waits for it instead of colliding; the other machine gets every line.
    @Test func aSlowLinkDelaysButCompletesPullAndAPushThatWaitsForIt() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s, t) = (world.a, world.b, ResumeWorld.s, ResumeWorld.t)
            let remote = try FaultyRemote(sandbox: sandbox, path: world.remote)
            let fromA = SessionRecords.lines(2, tag: 0xa40, session: s.id, cwd: ResumeWorld.cwd(of: s, on: a), on: a)
            try a.appendStore(cwd: ResumeWorld.cwd(of: s, on: a), s.log, fromA)
            try a.ccsync("push")
            try remote.slowTransport(for: b, seconds: 1.5)

            let started = Date()
            let pull = try b.startCCSync(["pull"])
            let cwdB = ResumeWorld.cwd(of: t, on: b)
            let fromB = SessionRecords.lines(2, tag: 0xb40, session: t.id, cwd: cwdB, on: b)
            try b.appendStore(cwd: cwdB, t.log, fromB)
            let push = try b.ccsyncResult(["push"])
            let pulled = try pull.wait(timeout: 60)
            sandbox.check(pulled.succeeded, "B's slow pull failed:\n\(pulled)")
            sandbox.check(push.succeeded, "B's push during its slow pull failed:\n\(push)")
            sandbox.check(Date().timeIntervalSince(started) >= 3, "B's commands did not go through the slow link")

            Lines.expectEach(Lines.of(a.translated(fromA, to: b)), in: world.storeLog(s, on: b), "B's S", sandbox: sandbox)
            try a.ccsync("pull")
            Lines.expectEach(Lines.of(b.translated(fromB, to: a)), in: world.storeLog(t, on: a), "A's T", sandbox: sandbox)
            try b.expectCleanStatus("after the slow link")
        }
    }
}
