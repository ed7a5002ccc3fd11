import Foundation
import Testing

/// Issue 14, part 4: a session over `ccsync.maxFileSize` travels in parts (`<id>.parts/NNNN.jsonl`, each
/// under the limit) and arrives byte for byte in the other machine's store; an append rewrites only the
/// last part, so its push is small; appends on both machines, and a new part cut on one machine while
/// the other appended to the old last part, leave every line exactly once on both.
@Suite struct LongSessionTests {
    /// A log of about `size` bytes for `session` in `cwd`: lines of about 2 KB whose text is random
    /// (slices of a seeded random pool, so that it compresses as badly as real tool output) and holds no
    /// path, so the log another machine must see is the same call with its own cwd.
    static func log(session: String, cwd: String, size: Int, first: Int = 0, tag: String = "base") -> [UInt8] {
        var random = SplitMix64(seed: 0x5e55)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ".utf8)
        let pool = (0..<(1 << 20)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + 4_096)
        var n = first
        while bytes.count < size {
            bytes += line(n, session: session, cwd: cwd, tag: tag, text: pool[(n &* 7_919 % (pool.count - 2_048))...].prefix(1_900))
            n += 1
        }
        return bytes
    }

    static func line(_ n: Int, session: String, cwd: String, tag: String, text: some Collection<UInt8>) -> [UInt8] {
        let tagged = tag.utf8.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) }
        let uuid = String(format: "%08x-0000-4000-8000-%012x", tagged, n)
        return Array(#"{"parentUuid":null,"cwd":"\#(cwd)","sessionId":"\#(session)","type":"user","message":{"role":"user","content":"\#(tag) "#.utf8)
            + Array(text) + Array(#""},"uuid":"\#(uuid)","timestamp":"2025-06-02T10:00:00.000Z"}"#.utf8) + [0x0A]
    }

    /// One short appended record, unique by `tag`.
    static func appended(_ tag: String, session: String, cwd: String) -> [UInt8] {
        line(0, session: session, cwd: cwd, tag: tag, text: Array("appended on \(tag)".utf8))
    }

    /// The largest blob in any commit of the remote's `main`.
    static func largestBlob(_ world: SyncWorld) throws -> Int {
        let objects = try world.a.machine.git("--git-dir", world.remote, "rev-list", "--objects", "main", in: world.sandbox.root).stdout
        let sizes = try world.a.machine.git("--git-dir", world.remote, "cat-file", "--batch-check=%(objecttype) %(objectsize)",
                                            in: world.sandbox.root, stdin: objects).stdoutText
        return sizes.split(separator: "\n").filter { $0.hasPrefix("blob ") }.compactMap { Int($0.dropFirst(5)) }.max() ?? 0
    }

    /// The bytes a push of `old..new` sends: the thin pack `git push` has pack-objects write.
    static func pushedPackSize(_ machine: SyncMachine, from old: String, to new: String) throws -> Int {
        try machine.git("pack-objects", "--revs", "--thin", "--stdout", "--delta-base-offset", "-q",
                        stdin: Array("\(new)\n^\(old)\n".utf8)).stdout.count
    }

    /// How often each of `lines` occurs in `bytes` (as a whole line).
    static func occurrences(_ lines: [[UInt8]], in bytes: [UInt8]) -> [Int] {
        lines.map { Bytes.occurrences(of: String(decoding: $0, as: UTF8.self), in: bytes).count }
    }

    static func lineCount(_ bytes: [UInt8]) -> Int { Bytes.occurrences(of: "\n", in: bytes).count }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw HarnessError(message()) }
    }

    /// 150 MB under the default 100 MB limit.
    @Test func aSessionOfHundredsOfMegabytesTravelsInPartsAndAnAppendPushesLittle() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let id = "1a1a1a1a-5555-4555-8555-555555555555"
            let (aCwd, bCwd) = (a.projects + "/epic", b.projects + "/epic")
            let size = 150_000_000
            let base = Self.log(session: id, cwd: aCwd, size: size)
            try a.writeStore(cwd: aCwd, "\(id).jsonl", base)
            try a.ccsync("push")

            let files = try world.remoteFiles()
            let parts = files.filter { $0.contains("/\(id).parts/") }
            sandbox.check(parts.count >= 2 && !files.contains { $0.hasSuffix("/\(id).jsonl") },
                          "the remote does not hold the session in parts: \(files)")
            let largest = try Self.largestBlob(world)
            sandbox.check(largest <= 100_000_000, "a file of \(largest) bytes is in the repository")

            try b.ccsync("pull")
            let expectedB = Self.log(session: id, cwd: bCwd, size: size)
            sandbox.expectSameBytes(try b.readStore(cwd: bCwd, "\(id).jsonl"), expectedB, "B's copy of the 150 MB session")
            let listed = try b.ccsync("list", "--format", "json").stdoutText
            sandbox.check(Bytes.occurrences(of: "\"id\" : \"\(id)\"", in: Array(listed.utf8)).count == 1,
                          "list does not show the session once:\n\(listed)")

            // One appended line: only the last part changes, and the push is a small delta.
            let a1 = Self.appended("a-one", session: id, cwd: aCwd)
            try a.appendStore(cwd: aCwd, "\(id).jsonl", a1)
            let before = try world.remoteHead() ?? ""
            try a.ccsync("push")
            let after = try world.remoteHead() ?? ""
            try Self.require(before != after, "the append was not pushed")
            let changed = try a.git("diff", "--name-only", before, after).stdoutText.split(separator: "\n")
            sandbox.check(changed.count == 1 && changed[0].hasSuffix(parts.sorted().last ?? "-"),
                          "the append changed more than the last part: \(changed)")
            let pushed = try Self.pushedPackSize(a, from: before, to: after)
            sandbox.check(pushed < 1_000_000, "one appended line pushed \(pushed) bytes")

            // Both machines append; both sync: every line once on each.
            try b.ccsync("pull")
            let b1 = Self.appended("b-one", session: id, cwd: bCwd)
            try b.appendStore(cwd: bCwd, "\(id).jsonl", b1)
            let a2 = Self.appended("a-two", session: id, cwd: aCwd)
            try a.appendStore(cwd: aCwd, "\(id).jsonl", a2)
            try b.ccsync("push")
            try a.ccsync("push")
            try b.ccsync("pull")
            let aFinal = try a.readStore(cwd: aCwd, "\(id).jsonl")
            let bFinal = try b.readStore(cwd: bCwd, "\(id).jsonl")
            let aLines = [a1, Self.appended("b-one", session: id, cwd: aCwd), a2]
            sandbox.check(Self.occurrences(aLines, in: aFinal) == [1, 1, 1], "A's copy: appended lines \(Self.occurrences(aLines, in: aFinal))")
            let bLines = [Self.appended("a-one", session: id, cwd: bCwd), b1, Self.appended("a-two", session: id, cwd: bCwd)]
            sandbox.check(Self.occurrences(bLines, in: bFinal) == [1, 1, 1], "B's copy: appended lines \(Self.occurrences(bLines, in: bFinal))")
            sandbox.check(Self.lineCount(aFinal) == Self.lineCount(base) + 3 && Self.lineCount(bFinal) == Self.lineCount(base) + 3,
                          "line counts \(Self.lineCount(aFinal)) and \(Self.lineCount(bFinal)), expected \(Self.lineCount(base) + 3)")
            sandbox.check(aFinal.starts(with: base) && bFinal.starts(with: expectedB), "the first lines changed")
            sandbox.check(try Self.largestBlob(world) <= 100_000_000, "a file over the limit reached the repository")
            try a.expectCleanStatus("at the end")
            try b.expectCleanStatus("at the end")
        }
    }

    /// The merge cases, fast: `ccsync.maxFileSize` = 1 MB (parts cut at 250 KB) and a 5 MB session.
    /// Each round, both machines append before either syncs: one line each, then a new part cut on one
    /// machine while the other appended one line to the old last part (both ways), then a part cut on
    /// both. After each round both stores hold the same log, every line once, and no file over 1 MB.
    /// Then `git log -p` shows a part as conversation, `list --remote` the session once, and the secret
    /// guard refuses a token appended to a part, naming the session.
    @Test func appendsOnBothMachinesAcrossPartBoundariesKeepEveryLineOnce() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            for machine in [a, b] { try machine.git("config", "ccsync.maxFileSize", "1000000") }
            let id = "2b2b2b2b-6666-4666-8666-666666666666"
            let (aCwd, bCwd) = (a.projects + "/saga", b.projects + "/saga")
            let base = Self.log(session: id, cwd: aCwd, size: 5_000_000)
            try a.writeStore(cwd: aCwd, "\(id).jsonl", base)
            try a.ccsync("push")
            try b.ccsync("pull")
            sandbox.expectSameBytes(try b.readStore(cwd: bCwd, "\(id).jsonl"), Self.log(session: id, cwd: bCwd, size: 5_000_000),
                                    "B's copy of the session")
            let remoteFiles = try world.remoteFiles()
            try Self.require(remoteFiles.filter { $0.contains("/\(id).parts/") }.count >= 20, "not in parts: \(remoteFiles)")

            var expected = Self.lineCount(base)
            var tags: [String] = []
            // (lines A appends, lines B appends, who pushes first)
            let rounds: [(Int, Int, first: String)] = [(1, 1, "a"), (150, 1, "b"), (1, 150, "a"), (150, 150, "b")]
            for (round, (aCount, bCount, first)) in rounds.enumerated() {
                let aBlock = Self.block(tag: "a\(round)", count: aCount, session: id, cwd: aCwd)
                let bBlock = Self.block(tag: "b\(round)", count: bCount, session: id, cwd: bCwd)
                try a.appendStore(cwd: aCwd, "\(id).jsonl", aBlock)
                try b.appendStore(cwd: bCwd, "\(id).jsonl", bBlock)
                let (one, other) = first == "a" ? (a, b) : (b, a)
                try one.ccsync("push")
                try other.ccsync("push")
                try one.ccsync("pull")
                expected += aCount + bCount
                tags += (0..<aCount).map { "a\(round)-\($0)" } + (0..<bCount).map { "b\(round)-\($0)" }

                let aLog = try a.readStore(cwd: aCwd, "\(id).jsonl")
                let bLog = try b.readStore(cwd: bCwd, "\(id).jsonl")
                sandbox.expectSameBytes(bLog, a.translated(aLog, to: b), "round \(round): B's log against A's")
                sandbox.check(Self.lineCount(aLog) == expected, "round \(round): A's log has \(Self.lineCount(aLog)) lines, expected \(expected)")
                let counts = tags.map { Bytes.occurrences(of: " \($0) ", in: aLog).count }
                sandbox.check(counts.allSatisfy { $0 == 1 }, "round \(round): appended records not once each: \(zip(tags, counts).filter { $0.1 != 1 })")
                sandbox.check(aLog.starts(with: base), "round \(round): the first lines changed")
                let largest = try Self.largestBlob(world)
                sandbox.check(largest <= 1_000_000, "round \(round): a file of \(largest) bytes is in the repository")
            }
            try a.expectCleanStatus("after the rounds")
            try b.expectCleanStatus("after the rounds")

            let shown = try a.git("log", "-p", "--no-merges", "-2", "--", "projects").stdoutText
            sandbox.check(shown.contains(" b3-149 ") && shown.contains(".parts/") && !shown.contains("\"parentUuid\""),
                          "git log -p does not show the last part as conversation:\n\(shown.prefix(2_000))")
            let remoteList = try b.ccsync("list", "--remote", "--format", "json").stdoutText
            sandbox.check(Bytes.occurrences(of: "\"id\" : \"\(id)\"", in: Array(remoteList.utf8)).count == 1,
                          "list --remote does not show the session once:\n\(remoteList)")

            let token = "gh" + "p_" + SecretGuardTests.stride(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
                                                             count: 36, step: 17, start: 5)
            try a.appendStore(cwd: aCwd, "\(id).jsonl", Self.line(9, session: id, cwd: aCwd, tag: "leak", text: Array("use \(token) here".utf8)))
            let tip = try world.remoteHead()
            let refused = try a.ccsyncResult(["push"])
            sandbox.check(!refused.succeeded && refused.stderrText.contains("session \(id)") && refused.stderrText.contains(".parts/"),
                          "the secret in a part was not refused by session:\n\(refused)")
            sandbox.check(try world.remoteHead() == tip, "the secret reached the remote")
        }
    }

    /// An encrypted repository: each part is encrypted as a file of its own (bound to its own path); the
    /// remote holds no readable line of the session, and B joins the parts back byte for byte.
    @Test func partsOfAnEncryptedRepositoryAreEncryptedLikeFiles() throws {
        try Sandbox.with { sandbox in
            let (world, _, _, _) = try EncryptionTests.encryptedWorld(sandbox)
            let (a, b) = (world.a, world.b)
            for machine in [a, b] { try machine.git("config", "ccsync.maxFileSize", "1000000") }
            let id = "3c3c3c3c-7777-4777-8777-777777777777"
            let (aCwd, bCwd) = (a.projects + "/vault", b.projects + "/vault")
            try a.writeStore(cwd: aCwd, "\(id).jsonl", Self.log(session: id, cwd: aCwd, size: 3_000_000))
            try a.appendStore(cwd: aCwd, "\(id).jsonl", Self.block(tag: "secretive", count: 1, session: id, cwd: aCwd))
            try a.ccsync("push")
            try Self.require(try world.remoteFiles().filter { $0.contains("/\(id).parts/") }.count >= 12, "not in parts")
            let objects = try EncryptionTests.remoteObjects(world)
            sandbox.check(!Bytes.contains(objects, "secretive-0") && !Bytes.contains(objects, "\"sessionId\""),
                          "the remote holds readable lines of the session")
            try b.ccsync("pull")
            sandbox.expectSameBytes(try b.readStore(cwd: bCwd, "\(id).jsonl"),
                                    Self.log(session: id, cwd: bCwd, size: 3_000_000)
                                        + Self.block(tag: "secretive", count: 1, session: id, cwd: bCwd),
                                    "B's copy of the encrypted session")
            try b.expectCleanStatus("after the pull")
        }
    }

    /// What an older git-ccsync does with a session in parts: it knows nothing of `<id>.parts/` and may
    /// commit the log it has as the plain `<id>.jsonl` again (here done by hand with git, as it would).
    /// A machine of this version folds that log's new lines into the parts (each once) and removes the
    /// plain log from the repository.
    @Test func aPlainLogAnOlderVersionCommitsBesideThePartsIsFoldedIn() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            for machine in [a, b] { try machine.git("config", "ccsync.maxFileSize", "1000000") }
            let id = "4d4d4d4d-8888-4888-8888-888888888888"
            let (aCwd, bCwd) = (a.projects + "/old", b.projects + "/old")
            let base = Self.log(session: id, cwd: aCwd, size: 2_000_000)
            try a.writeStore(cwd: aCwd, "\(id).jsonl", base)
            try a.ccsync("push")
            try b.ccsync("pull")
            guard let part = try world.remotePath(endingWith: "/\(id).parts/0000.jsonl") else {
                throw HarnessError("not in parts: \(try world.remoteFiles())")
            }
            let plain = part.replacingOccurrences(of: ".parts/0000.jsonl", with: ".jsonl")
            let older = Self.block(tag: "older", count: 1, session: id, cwd: bCwd)
            // The log as it was when it was still under the limit, plus a line of the older version's.
            let bLog = try b.readStore(cwd: bCwd, "\(id).jsonl")
            let cut = (bLog[..<600_000].lastIndex(of: 0x0A) ?? 0) + 1
            try b.machine.write(plain, Array(bLog[..<cut]) + older)
            try b.git("add", plain)
            try b.git("commit", "-q", "--no-verify", "-m", "an older version's push")
            try b.git("push", "-q", "--no-verify", "origin", "HEAD:main")

            let newer = Self.block(tag: "newer", count: 1, session: id, cwd: aCwd)
            try a.appendStore(cwd: aCwd, "\(id).jsonl", newer)
            try a.ccsync("push")
            let aLog = try a.readStore(cwd: aCwd, "\(id).jsonl")
            sandbox.check(aLog.starts(with: base) && Self.lineCount(aLog) == Self.lineCount(base) + 2
                          && Bytes.occurrences(of: " older-0 ", in: aLog).count == 1 && Bytes.occurrences(of: " newer-0 ", in: aLog).count == 1,
                          "A's log does not hold each line once (\(Self.lineCount(aLog)) lines, base \(Self.lineCount(base)))")
            sandbox.check(try world.remotePath(endingWith: "/\(id).jsonl") == nil, "the plain log is still in the repository")
            try b.ccsync("pull")
            sandbox.expectSameBytes(try b.readStore(cwd: bCwd, "\(id).jsonl"), a.translated(aLog, to: b), "B's log against A's")
            try a.expectCleanStatus("at the end")
            try b.expectCleanStatus("at the end")
        }
    }

    /// `count` appended records tagged `tag-0`…; with more than one, each about 2 KB (so 150 pass a
    /// 250 KB cut).
    static func block(tag: String, count: Int, session: String, cwd: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for n in 0..<count {
            let text = "\(tag)-\(n) " + (count > 1 ? String(repeating: "long text of a long append ", count: 70) : "")
            bytes += line(n, session: session, cwd: cwd, tag: tag, text: Array(text.utf8))
        }
        return bytes
    }
}
