import Foundation

/// Big stores for the tests of issue 14: many sessions, or one very long one, whose content compresses
/// about as badly as real tool output does (random text), so that pack sizes mean something.
enum BulkStore {
    /// A session id of `n` (distinct for distinct `n` and `tag`).
    static func sessionID(_ n: Int, tag: Int = 0) -> String {
        String(format: "%08x-%04x-4000-8000-%012x", n, tag, n)
    }

    /// Records for session `id` in `cwd` totalling at least `size` bytes, each line about `lineSize`
    /// bytes (`\n`-terminated), their text random (seeded).
    static func log(id: String, cwd: String, size: Int, lineSize: Int = 2_000, seed: UInt64, first: Int = 0) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ./".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + lineSize)
        var n = first
        while bytes.count < size {
            let uuid = String(format: "%08x-0000-4000-8000-%012x", Int(seed & 0xFFFF_FFFF), n)
            let head = #"{"parentUuid":null,"cwd":"\#(cwd)","sessionId":"\#(id)","type":"user","message":{"role":"user","content":"see \#(cwd)/lib/x.swift "#
            let tail = #""},"uuid":"\#(uuid)","timestamp":"2025-06-02T10:00:00.000Z"}"# + "\n"
            bytes += Array(head.utf8)
            for _ in 0..<max(16, lineSize - head.utf8.count - tail.utf8.count) {
                bytes.append(alphabet[Int(random.next() % UInt64(alphabet.count))])
            }
            bytes += Array(tail.utf8)
            n += 1
        }
        return bytes
    }

    /// `count` sessions of about `size` bytes each in `machine`'s store, in `projects` folders below
    /// its `PROJECTS`; returns (cwd, file name, bytes) for each.
    @discardableResult
    static func fill(_ machine: SyncMachine, count: Int, size: Int, projects: Int = 4, tag: Int = 0)
        throws -> [(cwd: String, file: String, bytes: [UInt8])] {
        var made: [(cwd: String, file: String, bytes: [UInt8])] = []
        for n in 0..<count {
            let cwd = machine.projects + "/bulk\(n % projects)"
            let id = sessionID(n, tag: tag)
            let bytes = log(id: id, cwd: cwd, size: size, seed: UInt64(tag << 32 | n) &+ 1)
            try machine.writeStore(cwd: cwd, "\(id).jsonl", bytes)
            made.append((cwd, "\(id).jsonl", bytes))
        }
        return made
    }
}
