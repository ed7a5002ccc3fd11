import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers: file contents are compared and rewritten as bytes, never decoded.
enum Bytes {
    /// Replaces every occurrence of each `from` with its `to` in one pass, trying longer `from`s first at
    /// each position (so `/home/ana/code` is not taken as `/home/ana` + `/code`). No path boundaries: this is
    /// the naive expectation the filter must agree with where the test data has no boundary cases.
    static func replacing(_ input: [UInt8], _ pairs: [(from: String, to: String)]) -> [UInt8] {
        let rules = pairs.map { (from: Array($0.from.utf8), to: Array($0.to.utf8)) }
            .filter { !$0.from.isEmpty }
            .sorted { $0.from.count > $1.from.count }
        var startsRule = [Bool](repeating: false, count: 256)
        for rule in rules { startsRule[Int(rule.from[0])] = true }
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 8)
        input.withUnsafeBufferPointer { p in
            startsRule.withUnsafeBufferPointer { startsRule in
                let n = p.count
                var i = 0
                var runStart = 0
                scan: while i < n {
                    guard startsRule[Int(p[i])] else { i += 1; continue }
                    for rule in rules where i + rule.from.count <= n {
                        let equal = rule.from.withUnsafeBufferPointer {
                            memcmp($0.baseAddress!, p.baseAddress! + i, $0.count) == 0
                        }
                        guard equal else { continue }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i]))
                        out.append(contentsOf: rule.to)
                        i += rule.from.count
                        runStart = i
                        continue scan
                    }
                    i += 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<n]))
            }
        }
        return out
    }

    /// Byte offsets of every occurrence of `needle` (memchr for its first byte, then memcmp; glibc's
    /// memmem is not visible to Swift).
    static func occurrences(of needle: String, in haystack: [UInt8]) -> [Int] {
        let n = Array(needle.utf8)
        guard let first = n.first, haystack.count >= n.count else { return [] }
        var result: [Int] = []
        haystack.withUnsafeBytes { h in
            n.withUnsafeBytes { nb in
                var offset = 0
                let last = h.count - n.count
                while offset <= last,
                      let found = memchr(h.baseAddress! + offset, Int32(first), last - offset + 1) {
                    let at = h.baseAddress!.distance(to: UnsafeRawPointer(found))
                    if memcmp(h.baseAddress! + at, nb.baseAddress!, n.count) == 0 { result.append(at) }
                    offset = at + 1
                }
            }
        }
        return result
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        !occurrences(of: needle, in: haystack).isEmpty
    }

    /// Lines split at `\n`, the terminator dropped (a trailing newline gives no extra empty line).
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { lines.removeLast() }
        return lines
    }

    static func isJSON(_ line: ArraySlice<UInt8>) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])) != nil
    }

    /// `bytes` around `offset`, printable: non-ASCII and control bytes as `\xNN`.
    static func excerpt(_ bytes: [UInt8], around offset: Int, radius: Int = 60) -> String {
        let start = max(0, offset - radius)
        let end = min(bytes.count, offset + radius)
        var text = start > 0 ? "…" : ""
        for b in bytes[start..<end] {
            switch b {
            case 0x0A: text += "\\n"
            case 0x20..<0x7F: text.append(Character(Unicode.Scalar(b)))
            default: text += String(format: "\\x%02X", b)
            }
        }
        return text + (end < bytes.count ? "…" : "")
    }

    /// nil when equal; else sizes, the first differing offset with its line number, and both sides there.
    static func describeDifference(actual: [UInt8], expected: [UInt8]) -> String? {
        guard actual != expected else { return nil }
        let common = zip(actual, expected).prefix { $0 == $1 }.count
        let line = actual[..<common].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        return """
            \(actual.count) bytes, expected \(expected.count); first difference at byte \(common) (line \(line))
              actual:   \(excerpt(actual, around: common))
              expected: \(excerpt(expected, around: common))
            """
    }
}

extension Array where Element == UInt8 {
    init(_ text: String) { self = Array(text.utf8) }
}
