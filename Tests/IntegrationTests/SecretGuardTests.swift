import Foundation
import Testing

// No literal token is written in this file (the hosts' own secret scanners would flag the repository):
// every token is assembled at run time from its prefix, split in two, and a body drawn from a fixed
// stride over the format's alphabet.

/// The secret guard end to end: lines that hold what looks like a key or token are not pushed, by
/// `git ccsync push` (whether the new commits only append, which is checked in process, or rewrite a
/// line, which `git log -p` decides) nor by a plain `git push` through the pre-push hook; the refusal
/// names the session, the line and the kind, never the secret; nothing of it reaches the remote; and
/// `--allow-secrets` / `GIT_CCSYNC_ALLOW_SECRETS=1` let it through.
@Suite struct SecretGuardTests {
    /// A fake secret of one format the scanner knows, and the kind name its findings carry.
    struct Token {
        let value: String
        let kind: String
        /// The part after the well-known prefix: no piece of it may show in any output either.
        let body: String
    }

    /// `ghp_` + 36 alphanumerics, all different (a placeholder of repeated characters would not count).
    static let gitHub: Token = {
        let body = stride(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"), count: 36, step: 17, start: 5)
        return Token(value: "gh" + "p_" + body, kind: "GitHub token", body: body)
    }()

    /// `AKIA` + 16 upper-case letters and digits, not ending in AWS's documented `EXAMPLE`.
    static let aws: Token = {
        let body = stride(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), count: 16, step: 7, start: 3)
        return Token(value: "AK" + "IA" + body, kind: "AWS access key id", body: body)
    }()

    /// `count` characters of `alphabet`, each `step` places after the one before (all different when
    /// `step` and the alphabet's size share no factor and `count` is at most that size).
    static func stride(_ alphabet: [Character], count: Int, step: Int, start: Int) -> String {
        var out = ""
        for k in 0..<count {
            let index: Int = (k * step + start) % alphabet.count
            out.append(alphabet[index])
        }
        return out
    }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw HarnessError(message()) }
    }

    /// One user record line of `session`, with `text` as its message.
    static func record(_ n: Int, session: String, cwd: String, text: String) -> [UInt8] {
        let uuid = String(format: "5ec0%04x-0000-4000-8000-%012x", n, n)
        return Array((#"{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"\#(cwd)","sessionId":"\#(session)","type":"user","message":{"role":"user","content":"\#(text)"},"uuid":"\#(uuid)","timestamp":"2025-06-02T11:00:00.000Z"}"# + "\n").utf8)
    }

    /// A session in A's store (project `vault`) with `lines` ordinary records, pushed with `git ccsync push`.
    struct Pushed {
        let id: String
        let cwd: String
        /// Its path in the repository (`projects/<key>/<id>.jsonl`).
        let repoPath: String
        let bytes: [UInt8]
        var log: String { "\(id).jsonl" }
        var lineCount: Int { Bytes.lines(bytes).count }
    }

    static func pushSession(_ id: String, lines: Int, tag: Int, on a: SyncMachine, _ world: SyncWorld) throws -> Pushed {
        let cwd = a.projects + "/vault"
        let bytes = SessionRecords.lines(lines, tag: tag, session: id, cwd: cwd, on: a)
        try a.writeStore(cwd: cwd, "\(id).jsonl", bytes)
        let push = try a.ccsyncResult(["push"])
        try require(push.succeeded, "the first push, of ordinary lines only, failed:\n\(push)")
        let repoPath = try world.remotePath(endingWith: "/\(id).jsonl")
        let files = try world.remoteFiles()
        try require(repoPath != nil, "the remote has no \(id).jsonl after the first push: \(files)")
        try require(try world.remoteHead() == a.head(), "the remote is not at A's HEAD after the first push")
        return Pushed(id: id, cwd: cwd, repoPath: repoPath!, bytes: bytes)
    }

    // MARK: the remote

    /// Every object the remote holds, reachable or not, with its content.
    static func remoteObjects(_ world: SyncWorld) throws -> [UInt8] {
        try world.a.machine.git("--git-dir", world.remote, "cat-file", "--batch-all-objects", "--batch",
                                in: world.sandbox.root).stdout
    }

    /// Every change of every branch of the remote, as `git log -p` shows it.
    static func remoteHistory(_ world: SyncWorld) throws -> [UInt8] {
        try world.a.machine.git("--git-dir", world.remote, "log", "-p", "--all", "--no-textconv", "--no-ext-diff",
                                "--text", in: world.sandbox.root).stdout
    }

    /// Neither a blob nor any commit's diff on the remote holds `token`.
    static func expectRemoteLacks(_ token: Token, _ world: SyncWorld, _ context: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let objects = try remoteObjects(world)
        world.sandbox.check(!objects.isEmpty, "\(context): the remote holds no objects at all (the check would be vacuous)",
                            sourceLocation: sourceLocation)
        world.sandbox.check(!Bytes.contains(objects, token.body), "\(context): an object on the remote holds the secret",
                            sourceLocation: sourceLocation)
        world.sandbox.check(!Bytes.contains(try remoteHistory(world), token.body),
                            "\(context): the remote's history (git log -p) holds the secret", sourceLocation: sourceLocation)
    }

    // MARK: the refusal

    /// A refusal of exactly one secret: it names the session, its file, the line and the kind, says how to
    /// push anyway, and shows no part of the secret.
    static func expectRefused(_ result: CommandResult, _ context: String, session: Pushed, line: Int, token: Token,
                              status: Int32? = 1, wayOut: String, _ sandbox: Sandbox,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let text = result.stderrText
        if let status {
            sandbox.check(result.status == status, "\(context): exit status \(result.status), expected \(status):\n\(result)",
                          sourceLocation: sourceLocation)
        } else {
            sandbox.check(!result.succeeded, "\(context): the push succeeded:\n\(result)", sourceLocation: sourceLocation)
        }
        sandbox.check(text.contains("not pushing: 1 secret found: "),
                      "\(context): the refusal does not say one secret was found:\n\(result)", sourceLocation: sourceLocation)
        let finding = "session \(session.id) (\(session.repoPath)), line \(line): \(token.kind)"
        sandbox.check(text.contains(finding), "\(context): the refusal does not name '\(finding)':\n\(result)",
                      sourceLocation: sourceLocation)
        sandbox.check(text.contains(wayOut), "\(context): the refusal does not mention '\(wayOut)':\n\(result)",
                      sourceLocation: sourceLocation)
        for output in [result.stdout, result.stderr] {
            // The whole body, and each half of it: no part of the secret may be printed.
            let half = token.body.count / 2
            for piece in [token.body, String(token.body.prefix(half)), String(token.body.suffix(half))] {
                sandbox.check(!Bytes.contains(output, piece), "\(context): the output shows (part of) the secret",
                              sourceLocation: sourceLocation)
            }
        }
    }

    /// `git ccsync <arguments>` with `GIT_TRACE` written to a file: the result, and whether git's own
    /// `log -p` ran (the guard's fallback, for commits that do not only append).
    static func ccsyncTracingGit(_ machine: SyncMachine, _ arguments: [String]) throws -> (CommandResult, ranLogP: Bool) {
        let trace = try machine.sandbox.nextOutputFile("git-trace")
        let result = try machine.ccsyncResult(arguments, environment: ["GIT_TRACE": trace])
        let lines = ((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").split(separator: "\n")
        try? FileManager.default.removeItem(atPath: trace)
        let ranLogP = lines.contains { $0.contains("git log") && $0.contains(" -p ") }
        try require(lines.contains { $0.contains("trace: ") }, "GIT_TRACE recorded nothing: no git ran, or the trace file was not written")
        return (result, ranLogP)
    }

    /// Points A's origin at a path where nothing is for the duration of `body`, as a lost network would.
    static func offline<T>(_ machine: SyncMachine, _ world: SyncWorld, _ body: () throws -> T) throws -> T {
        try machine.git("config", "remote.origin.url", world.sandbox.path("nowhere/remote.git"))
        defer { _ = try? machine.git("config", "remote.origin.url", world.remote) }
        return try body()
    }

    /// An offline `git ccsync push`: it fails for the missing remote, after committing the store's changes.
    static func pushOffline(_ a: SyncMachine, _ world: SyncWorld, _ context: String) throws {
        let commitsBefore = try a.commitCount()
        let push = try offline(a, world) { try a.ccsyncResult(["push"]) }
        world.sandbox.check(push.status == 1 && push.stderrText.contains("cannot reach"),
                            "\(context): an offline push did not fail as unreachable:\n\(push)")
        let made = try a.commitCount() - commitsBefore
        try require(made == 1, "\(context): the offline push made \(made) commits, expected 1:\n\(push)")
    }

    // MARK: 1. an append

    @Test func anAppendedTokenIsNotPushedUntilAllowedAndTheLineIsNamed() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let token = Self.gitHub
            let session = try Self.pushSession("5ec00001-aaaa-4aaa-8aaa-000000000001", lines: 4, tag: 0x5e1, on: a, world)
            try Self.require(session.lineCount == 4, "the session has \(session.lineCount) lines")
            try b.ccsync("pull")
            let bCwd = b.projects + "/vault"
            let bBefore = try b.readStore(cwd: bCwd, session.log)

            // Claude appends three records; the middle one, line 6 of the log, holds the token.
            let appended = Self.record(1, session: session.id, cwd: session.cwd, text: "let us set up CI")
                + Self.record(2, session: session.id, cwd: session.cwd, text: "export GITHUB_TOKEN=\(token.value) then run it")
                + Self.record(3, session: session.id, cwd: session.cwd, text: "done")
            try a.appendStore(cwd: session.cwd, session.log, appended)
            let remoteBefore = try world.remoteHead()
            let storeBefore = try a.storeFiles()

            let (push, ranLogP) = try Self.ccsyncTracingGit(a, ["push"])
            Self.expectRefused(push, "git ccsync push", session: session, line: 6, token: token,
                               wayOut: "git ccsync push --allow-secrets", sandbox)
            sandbox.check(!ranLogP, "an append-only push was checked with git log -p, not in process (the fast path was not taken)")
            sandbox.check(try world.remoteHead() == remoteBefore, "the remote's main moved although the push was refused")
            try Self.expectRemoteLacks(token, world, "after the refused push")
            // Nothing of A's is lost: the store is as Claude left it and the lines are committed here.
            sandbox.check(try a.storeFiles() == storeBefore, "the refused push changed A's store")
            let committed = try a.machine.blob(session.repoPath)
            sandbox.check(Bytes.contains(committed, token.body) && Bytes.lines(committed).count == 7,
                          "A's HEAD does not hold the 7 lines of the session (\(Bytes.lines(committed).count) lines)")

            // Pushing again without the flag is refused again: the commit is still unpushed.
            let again = try a.ccsyncResult(["push"])
            Self.expectRefused(again, "a second git ccsync push", session: session, line: 6, token: token,
                               wayOut: "git ccsync push --allow-secrets", sandbox)
            sandbox.check(try world.remoteHead() == remoteBefore, "the remote's main moved on the second refused push")

            let allowed = try a.ccsyncResult(["push", "--allow-secrets"])
            sandbox.check(allowed.succeeded, "git ccsync push --allow-secrets failed:\n\(allowed)")
            sandbox.check(try world.remoteHead() == a.head(), "the remote is not at A's HEAD after --allow-secrets")
            let onRemote = try world.remoteBlob(session.repoPath)
            sandbox.check(Bytes.lines(onRemote).count == 7 && Bytes.contains(Array(Bytes.lines(onRemote)[5]), token.value),
                          "the remote's log does not hold the token on line 6 after --allow-secrets")
            sandbox.check(Bytes.contains(try Self.remoteObjects(world), token.body),
                          "the remote's objects lack the allowed token (the check of the refused push would be vacuous)")
            for output in [allowed.stdout, allowed.stderr] {
                sandbox.check(!Bytes.contains(output, token.body), "the allowed push shows the secret:\n\(allowed)")
            }
            // What is on the remote is pushed: a later push has nothing to refuse.
            let later = try a.ccsyncResult(["push"])
            sandbox.check(later.succeeded, "a push after the allowed one is refused:\n\(later)")

            try b.ccsync("pull")
            sandbox.expectSameBytes(try b.readStore(cwd: bCwd, session.log), bBefore + a.translated(appended, to: b),
                                    "B's log after pulling the allowed push")
            try a.expectCleanStatus("at the end")
            try b.expectCleanStatus("at the end")
        }
    }

    // MARK: 2. a line rewritten in the middle

    @Test func aTokenWrittenIntoTheMiddleOfALogIsRefusedWithItsLine() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let a = world.a
            let token = Self.gitHub
            let session = try Self.pushSession("5ec00002-bbbb-4bbb-8bbb-000000000002", lines: 6, tag: 0x5e2, on: a, world)

            // The log is written anew with its third record's message changed to hold the token: the
            // same number of lines, nothing appended.
            var lines = Bytes.lines(session.bytes).map { Array($0) + [0x0A] }
            try Self.require(lines.count == 6, "the session has \(lines.count) lines")
            let original = String(decoding: lines[2], as: UTF8.self)
            let changed = original.replacingOccurrences(of: "\"content\":\"[", with: "\"content\":\"token \(token.value) [")
            try Self.require(changed != original, "the third record has no message to change: \(original)")
            lines[2] = Array(changed.utf8)
            let rewritten = lines.flatMap { $0 }
            try a.writeStore(cwd: session.cwd, session.log, rewritten)
            let remoteBefore = try world.remoteHead()

            let (push, ranLogP) = try Self.ccsyncTracingGit(a, ["push"])
            Self.expectRefused(push, "git ccsync push", session: session, line: 3, token: token,
                               wayOut: "git ccsync push --allow-secrets", sandbox)
            sandbox.check(ranLogP, "a push that rewrites a line was not checked with git log -p")
            sandbox.check(try world.remoteHead() == remoteBefore, "the remote's main moved although the push was refused")
            try Self.expectRemoteLacks(token, world, "after the refused push")
            // The commit really rewrote line 3 (not an append), and it is kept here.
            let committed = try a.machine.blob(session.repoPath)
            let previous = try a.machine.blob(session.repoPath, at: "HEAD~1")
            sandbox.check(Bytes.lines(committed).count == 6 && !committed.starts(with: previous)
                          && Bytes.contains(Array(Bytes.lines(committed)[2]), token.value),
                          "A's commit is not the log with line 3 rewritten")

            let allowed = try a.ccsyncResult(["push", "--allow-secrets"])
            sandbox.check(allowed.succeeded, "git ccsync push --allow-secrets failed:\n\(allowed)")
            sandbox.check(try world.remoteHead() == a.head(), "the remote is not at A's HEAD after --allow-secrets")
            sandbox.check(Bytes.contains(try world.remoteBlob(session.repoPath), token.value),
                          "the remote's log does not hold the token after --allow-secrets")
            try a.expectCleanStatus("at the end")
        }
    }

    // MARK: 3. several unpushed commits

    /// Two offline pushes commit ordinary lines, then the token; with the remote back the push is
    /// refused for the later commit's line.
    @Test func aTokenInTheLastOfSeveralOfflineCommitsIsRefused() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let a = world.a
            let token = Self.aws
            let session = try Self.pushSession("5ec00003-cccc-4ccc-8ccc-000000000003", lines: 4, tag: 0x5e3, on: a, world)
            let remoteBefore = try world.remoteHead()

            try a.appendStore(cwd: session.cwd, session.log,
                              SessionRecords.lines(2, tag: 0x5e31, session: session.id, cwd: session.cwd, on: a))
            try Self.pushOffline(a, world, "first offline push")
            try a.appendStore(cwd: session.cwd, session.log,
                              Self.record(4, session: session.id, cwd: session.cwd, text: "the key id is \(token.value), keep it"))
            try Self.pushOffline(a, world, "second offline push")

            let (push, ranLogP) = try Self.ccsyncTracingGit(a, ["push"])
            Self.expectRefused(push, "git ccsync push with the remote back", session: session, line: 7, token: token,
                               wayOut: "git ccsync push --allow-secrets", sandbox)
            sandbox.check(!ranLogP, "append-only commits were checked with git log -p, not in process")
            sandbox.check(try world.remoteHead() == remoteBefore, "the remote's main moved although the push was refused")
            try Self.expectRemoteLacks(token, world, "after the refused push")
            // Neither commit went, not even the first, clean one: the push is all or nothing.
            let remoteLines = Bytes.lines(try world.remoteBlob(session.repoPath)).count
            sandbox.check(remoteLines == 4, "the remote's log has \(remoteLines) lines, expected the 4 pushed before")
        }
    }

    /// The token is committed offline and taken out of the log by the next offline commit: HEAD holds no
    /// secret, but its history would carry one to the remote. Both commits are git-ccsync's own and were
    /// never pushed, so they are replaced by one commit of their end result: the push goes through and
    /// no object on the remote holds the token.
    @Test func aTokenRemovedByALaterCommitNeverReachesTheRemote() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let a = world.a
            let token = Self.gitHub
            let session = try Self.pushSession("5ec00004-dddd-4ddd-8ddd-000000000004", lines: 4, tag: 0x5e4, on: a, world)
            let remoteBefore = try world.remoteHead()

            let leaked = Self.record(5, session: session.id, cwd: session.cwd, text: "my token: \(token.value)")
            let after = Self.record(6, session: session.id, cwd: session.cwd, text: "oops, rotate it")
            try a.appendStore(cwd: session.cwd, session.log, leaked + after)
            try Self.pushOffline(a, world, "offline push of the token")
            let redacted = Self.record(5, session: session.id, cwd: session.cwd, text: "my token: (removed)")
            try a.writeStore(cwd: session.cwd, session.log, session.bytes + redacted + after)
            try Self.pushOffline(a, world, "offline push of the redacted log")
            let head = try a.machine.blob(session.repoPath)
            try Self.require(!Bytes.contains(head, token.body) && Bytes.lines(head).count == 6,
                             "A's HEAD should hold the 6-line log without the token")
            try Self.require(Bytes.contains(try a.machine.blob(session.repoPath, at: "HEAD~1"), token.body),
                             "A's HEAD~1 should hold the token")

            let push = try a.ccsyncResult(["push"])
            sandbox.check(push.succeeded, "the push of a history whose end result holds no secret failed:\n\(push)")
            sandbox.check(!Bytes.contains(push.stdout + push.stderr, token.body), "the output shows the secret")
            try Self.expectRemoteLacks(token, world, "after the push")
            sandbox.check(try world.remoteHead() == a.head(), "the remote is not at A's HEAD after the push")
            sandbox.check(try a.git("rev-parse", "HEAD~1").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == remoteBefore,
                          "the two unpushed commits were not replaced by one on top of the remote's last commit")
            let onRemote = try world.remoteBlob(session.repoPath)
            sandbox.check(onRemote == head, "the remote's log is not A's end result")
        }
    }

    /// The same history with the token taken out by a commit made by hand: not git-ccsync's to rewrite,
    /// so the push is refused for the first commit's line until `--allow-secrets`.
    @Test func aTokenRemovedByAHandMadeCommitIsStillRefusedForTheHistory() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let a = world.a
            let token = Self.gitHub
            let session = try Self.pushSession("5ec00007-eeee-4eee-8eee-000000000007", lines: 4, tag: 0x5e7, on: a, world)
            let remoteBefore = try world.remoteHead()

            let leaked = Self.record(5, session: session.id, cwd: session.cwd, text: "my token: \(token.value)")
            try a.appendStore(cwd: session.cwd, session.log, leaked)
            try Self.pushOffline(a, world, "offline push of the token")
            // By hand in the working copy: the token's line goes, committed with git itself.
            let work = a.workingCopy + "/" + session.repoPath
            let lines = Bytes.lines(try Data(contentsOf: URL(fileURLWithPath: work)).map { $0 })
            try Self.require(lines.count == 5, "the working copy's log should have 5 lines")
            try Data(lines.prefix(4).flatMap { Array($0) + [0x0A] }).write(to: URL(fileURLWithPath: work))
            try a.git("commit", "-q", "-a", "-m", "remove the token by hand")
            try Self.require(!Bytes.contains(try a.machine.blob(session.repoPath), token.body), "HEAD should not hold the token")

            let push = try a.ccsyncResult(["push"])
            Self.expectRefused(push, "git ccsync push with a hand-made commit in the history", session: session, line: 5,
                               token: token, wayOut: "git ccsync push --allow-secrets", sandbox)
            sandbox.check(try world.remoteHead() == remoteBefore, "the remote's main moved although the push was refused")
            try Self.expectRemoteLacks(token, world, "after the refused push")
            sandbox.check(try a.git("log", "-1", "--format=%s").stdoutText.contains("remove the token by hand"),
                          "the hand-made commit was rewritten")

            let allowed = try a.ccsyncResult(["push", "--allow-secrets"])
            sandbox.check(allowed.succeeded, "git ccsync push --allow-secrets failed:\n\(allowed)")
            sandbox.check(try world.remoteHead() == a.head(), "the remote is not at A's HEAD after --allow-secrets")
            sandbox.check(Bytes.contains(try Self.remoteHistory(world), token.body),
                          "the remote's history lacks the allowed commit that added the token")
        }
    }

    // MARK: 4. a plain git push

    @Test func aPlainGitPushOfATokenIsStoppedByThePrePushHook() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let a = world.a
            let token = Self.aws
            let session = try Self.pushSession("5ec00005-eeee-4eee-8eee-000000000005", lines: 4, tag: 0x5e5, on: a, world)
            let remoteBefore = try world.remoteHead()

            // A commit made by hand in the working copy: one record appended to the log, line 5.
            try a.machine.append(session.repoPath, Self.record(7, session: session.id, cwd: session.cwd,
                                                               text: "aws configure: \(token.value)"))
            try a.git("add", "--", session.repoPath)
            try a.git("commit", "--quiet", "-m", "a line added by hand")
            try Self.require(Bytes.contains(try a.machine.blob(session.repoPath), token.body), "the commit lacks the token")

            let plain = try a.gitResult(["push", "origin", "main"])
            Self.expectRefused(plain, "git push", session: session, line: 5, token: token, status: nil,
                               wayOut: "GIT_CCSYNC_ALLOW_SECRETS=1 git push", sandbox)
            sandbox.check(try world.remoteHead() == remoteBefore, "the remote's main moved although the hook refused the push")
            // To a branch the remote does not have yet (the hook then checks what no remote branch holds).
            let elsewhere = try a.gitResult(["push", "origin", "HEAD:refs/heads/elsewhere"])
            Self.expectRefused(elsewhere, "git push to a new branch", session: session, line: 5, token: token, status: nil,
                               wayOut: "GIT_CCSYNC_ALLOW_SECRETS=1 git push", sandbox)
            let branches = try a.machine.git("--git-dir", world.remote, "for-each-ref", "--format=%(refname)", "refs/heads/",
                                             in: sandbox.root).stdoutText
            sandbox.check(branches == "refs/heads/main\n", "the remote's branches after the refused pushes: \(branches)")
            try Self.expectRemoteLacks(token, world, "after the refused plain pushes")

            let allowed = try a.machine.gitResult(["push", "origin", "main"], in: a.workingCopy,
                                                  environment: a.extraEnvironment.merging(["GIT_CCSYNC_ALLOW_SECRETS": "1"]) { $1 })
            sandbox.check(allowed.succeeded, "GIT_CCSYNC_ALLOW_SECRETS=1 git push failed:\n\(allowed)")
            sandbox.check(try world.remoteHead() == a.head(), "the remote is not at A's HEAD after the allowed push")
            sandbox.check(Bytes.contains(try world.remoteBlob(session.repoPath), token.value),
                          "the remote's log does not hold the token after the allowed push")
        }
    }

    // MARK: the ways out the refusal names

    /// The refusal says: "remove them from the session" or "store them redacted: git config
    /// ccsync.secrets redact", then push again. Either must let the next push through without the secret.
    @Test(arguments: ["remove", "redact"])
    func followingTheRefusalsAdviceLetsTheNextPushThroughWithoutTheSecret(_ remedy: String) throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let a = world.a
            let token = Self.gitHub
            let session = try Self.pushSession("5ec00006-ffff-4fff-8fff-000000000006", lines: 4, tag: 0x5e6, on: a, world)
            try a.appendStore(cwd: session.cwd, session.log,
                              Self.record(8, session: session.id, cwd: session.cwd, text: "token \(token.value)"))
            let refused = try a.ccsyncResult(["push"])
            Self.expectRefused(refused, "git ccsync push", session: session, line: 5, token: token,
                               wayOut: "git ccsync push --allow-secrets", sandbox)

            switch remedy {
            case "remove":
                try a.writeStore(cwd: session.cwd, session.log,
                                 session.bytes + Self.record(8, session: session.id, cwd: session.cwd, text: "token (removed)"))
            default:
                try a.git("config", "ccsync.secrets", "redact")
            }
            let again = try a.ccsyncResult(["push"])
            sandbox.check(again.succeeded, "\(remedy): the push after following the advice is refused:\n\(again)")
            try Self.expectRemoteLacks(token, world, "\(remedy): after following the advice")
        }
    }
}
