/// What makes two lines of a session log the same record, for the union merge.
///
/// Claude Code gives almost every record a top-level `"uuid"`. Two machines that both hold a record hold it
/// under the same uuid even when its bytes differ (a path another machine's map translated differently), so
/// the uuid, not the bytes, says "already there". Lines without one — summaries, file-history snapshots,
/// malformed lines, NUL padding, a half-written last line, two records fused on one line — are identified
/// by their exact bytes, so nothing is ever taken for a record it is not.
public enum RecordIdentity: Hashable, Sendable {
    /// The raw bytes between the quotes of the top-level `"uuid"` string (escapes are not decoded).
    case uuid([UInt8])
    /// The whole line, without its `\n`.
    case line([UInt8])

    /// The identity of one line (without its `\n`).
    public init(line: [UInt8]) {
        self = line.withUnsafeBufferPointer { p in
            if let range = Self.uuidRange(in: p) { return .uuid(Array(p[range])) }
            return .line(Array(p))
        }
    }

    /// Where the value of the line's top-level `"uuid"` key lies, between its quotes; nil unless the line
    /// is exactly one JSON object (surrounding whitespace allowed) whose `uuid` member is a non-empty string.
    ///
    /// A byte-level scan, not a JSON parse: it follows strings (with their escapes) and `{}`/`[]` depth only,
    /// so a `"uuid"` inside message content or a nested object never counts, a 12 MB line costs one pass with
    /// `memchr` over its strings, and invalid UTF-8 or NULs inside strings are no obstacle. A line whose
    /// object never closes (a crash mid-write) or that has bytes after it (fused records) has no uuid: taking
    /// the first record's uuid for the whole line would let the merge drop the rest. If the key occurs twice,
    /// the last one counts, as with `JSON.parse`.
    public static func uuidRange(in p: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let n = p.count
        var i = RawJSON.skipWhitespace(p, from: 0, to: p.count)
        guard i < n, p[i] == JSONByte.openBrace else { return nil }
        i += 1
        var depth = 1
        var expectingKey = true
        var found: Range<Int>?
        while i < n {
            switch p[i] {
            case JSONByte.quote:
                let start = i + 1
                guard let end = RawJSON.stringEnd(p, from: start, to: p.count) else { return nil }
                let isKey = depth == 1 && expectingKey
                i = end + 1
                guard isKey else { continue }
                expectingKey = false
                guard isUUIDKey(p, from: start, to: end) else { continue }
                i = RawJSON.skipWhitespace(p, from: i, to: p.count)
                guard i < n, p[i] == JSONByte.colon else { return nil }
                i = RawJSON.skipWhitespace(p, from: i + 1, to: p.count)
                if i < n, p[i] == JSONByte.quote {
                    guard let valueEnd = RawJSON.stringEnd(p, from: i + 1, to: p.count) else { return nil }
                    found = valueEnd > i + 1 ? (i + 1)..<valueEnd : nil
                    i = valueEnd + 1
                } else {
                    found = nil
                }
            case JSONByte.openBrace, JSONByte.openBracket:
                depth += 1
                i += 1
            case JSONByte.closeBrace, JSONByte.closeBracket:
                depth -= 1
                i += 1
                if depth == 0 {
                    return RawJSON.skipWhitespace(p, from: i, to: p.count) == n ? found : nil
                }
            case JSONByte.comma:
                if depth == 1 { expectingKey = true }
                i += 1
            default:
                i += 1
            }
        }
        return nil
    }

    @inline(__always)
    private static func isUUIDKey(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        end - start == 4 && p[start] == 0x75 && p[start + 1] == 0x75 && p[start + 2] == 0x69 && p[start + 3] == 0x64
    }
}

