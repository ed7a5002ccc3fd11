#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the working directory a session was recorded in: the first top-level `"cwd":"..."` of its log.
///
/// Only the first records are read (Claude writes `cwd` on every user/assistant record), and the value is
/// decoded from its JSON string form without decoding anything else.
public enum SessionCwd {
    static let key: [UInt8] = Array("\"cwd\":\"".utf8)

    public static func first(in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { p in
            var i = 0
            while let hit = find(key, in: p, from: i) {
                let start = hit + key.count
                // The value's range includes its quotes, as RawJSON's decoder expects; a cwd never
                // spans lines, so the search for its end stops at the line's end.
                let lineEnd = firstIndex(of: 0x0A, in: p, from: start, to: p.count) ?? p.count
                if let close = RawJSON.stringEnd(p, from: start, to: lineEnd),
                   let (value, complete) = RawJSON.string(p, (start - 1)..<(close + 1), limit: 4096),
                   complete, !value.isEmpty {
                    return value
                }
                i = start
            }
            return nil
        }
    }

    /// The first cwd in the file at `path`, reading at most `limit` bytes.
    public static func first(inFile path: String, limit: Int = 1 << 20) -> String? {
        guard let head = try? readPrefix(path, limit: limit) else { return nil }
        return first(in: head)
    }

    static func find(_ needle: [UInt8], in p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while let hit = firstIndex(of: needle[0], in: p, from: i, to: p.count) {
            if hit + needle.count <= p.count,
               needle.withUnsafeBufferPointer({ memcmp($0.baseAddress!, p.baseAddress! + hit, needle.count) }) == 0 {
                return hit
            }
            i = hit + 1
        }
        return nil
    }
}
