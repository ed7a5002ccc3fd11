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
}
