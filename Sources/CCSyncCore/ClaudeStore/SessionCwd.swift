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
                if let value = decodeJSONString(p, from: start), !value.isEmpty { return value }
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

    /// Decodes the JSON string body starting at `start` (just after the opening quote).
    static func decodeJSONString(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> String? {
        var out: [UInt8] = []
        var i = start
        var pendingHigh: UInt32?
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") { return String(validating: out, as: UTF8.self) }
            if c == 0x0A { return nil }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            guard i + 1 < p.count else { return nil }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard i + 4 <= p.count, let v = UInt32(String(decoding: UnsafeBufferPointer(rebasing: p[i..<(i + 4)]), as: UTF8.self), radix: 16) else { return nil }
                i += 4
                var scalarValue = v
                if (0xD800..<0xDC00).contains(v) { pendingHigh = v; continue }
                if (0xDC00..<0xE000).contains(v), let high = pendingHigh {
                    scalarValue = 0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00)
                    pendingHigh = nil
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: out.append(e)
            }
        }
        return nil
    }
}
