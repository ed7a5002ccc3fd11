#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `list` shows of one session log: which project, what it is about, when, how big.
///
/// Reading a summary must stay cheap for a thousand sessions and for a 100 MB log, so it decodes no line in
/// full: named titles are found with `memmem`, the working directory, first timestamp and title candidates
/// come from the first few records, the last record type and timestamp from walking back from the end,
/// and every other line costs one `memchr`. Logs are whatever a crash left: malformed lines, invalid
/// UTF-8, NUL padding and a half-written last line are skipped, never an error.
public struct SessionSummary: Sendable, Hashable, Codable {
    /// The session id: the log's file name without `.jsonl`.
    public var id: String
    /// The first top-level `cwd` in the log, as written there (on the repository side that can be
    /// placeholder form such as `{{PROJECTS}}/shop`).
    public var cwd: String?
    /// One line, at most 80 characters: the custom title the user gave the session, else Claude's last summary
    /// record, else the first request the user typed (see `SessionTitle`); nil if the log has none.
    public var title: String?
    /// The first and last top-level `timestamp`, ISO 8601 as Claude writes them (`2026-02-12T16:02:23.545Z`).
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    /// Lines that hold anything but whitespace and NULs: one record each, malformed ones included.
    public var recordCount: Int
    /// The log's size in bytes.
    public var size: Int
    /// The `type` of the last well-formed record (`assistant`, `system`, ...).
    public var lastRecordType: String?

    public init(
        id: String, cwd: String? = nil, title: String? = nil, firstTimestamp: String? = nil,
        lastTimestamp: String? = nil, recordCount: Int = 0, size: Int = 0, lastRecordType: String? = nil
    ) {
        self.id = id
        self.cwd = cwd
        self.title = title
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.recordCount = recordCount
        self.size = size
        self.lastRecordType = lastRecordType
    }

    /// The summary of a log's bytes. Never fails: whatever cannot be read is left out.
    public static func read(from bytes: [UInt8], id: String) -> SessionSummary {
        bytes.withUnsafeBufferPointer { read(p: $0, id: id) }
    }

    /// Reads the log at `path`; its id is the file name without `.jsonl`.
    public static func read(contentsOf path: String) throws(FileIOError) -> SessionSummary {
        read(from: try readFile(path), id: id(forFile: path))
    }

    /// `…/<id>.jsonl` → `<id>`.
    public static func id(forFile path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        return StoreFileKind.sessionName(ofEntry: name)
    }

    private static func read(p: UnsafeBufferPointer<UInt8>, id: String) -> SessionSummary {
        var summary = SessionSummary(id: id, size: p.count)
        let named = namedTitle(p)
        var prompt: String?
        var sidechainPrompt: String?
        var bareCommand: String?
        var searching = true
        var start = 0
        while start < p.count {
            let end = firstIndex(of: newline, in: p, from: start, to: p.count) ?? p.count
            defer { start = end + 1 }
            guard RawJSON.skipBlank(p, from: start, to: end) < end else { continue }
            summary.recordCount += 1
            guard searching else { continue }
            RawRecord.pieces(p, line: start..<end) { piece in
                guard case .record(let record) = piece else { return }
                if summary.cwd == nil { summary.cwd = record.string(record.cwd) }
                if summary.firstTimestamp == nil { summary.firstTimestamp = record.string(record.timestamp) }
                guard named == nil, prompt == nil, let candidate = SessionTitle.candidate(record) else { return }
                switch candidate {
                case .prompt(let text) where record.isTrue(record.isSidechain):
                    if sidechainPrompt == nil { sidechainPrompt = text }
                case .prompt(let text):
                    prompt = text
                case .bareCommand(let text):
                    if bareCommand == nil { bareCommand = text }
                }
            }
            searching = summary.cwd == nil || summary.firstTimestamp == nil || (named == nil && prompt == nil)
        }
        summary.title = named ?? prompt ?? sidechainPrompt ?? bareCommand
        (summary.lastRecordType, summary.lastTimestamp) = lastTypeAndTimestamp(p)
        return summary
    }

    /// The title the session was given: the last custom title, else the last summary record.
    private static func namedTitle(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        lastRecordString(p, marker: "\"type\":\"custom-title\"", type: "custom-title", field: \.customTitle)
            ?? lastRecordString(p, marker: "\"type\":\"summary\"", type: "summary", field: \.summary)
    }

    /// The one-line text of `field` in the last record of `type` whose line contains `marker`.
    ///
    /// Claude writes compact JSON, so `"type":"summary"` appears verbatim in a summary record; the same
    /// bytes inside a conversation are escaped (`\"type\":\"summary\"`) and never match.
    private static func lastRecordString(
        _ p: UnsafeBufferPointer<UInt8>, marker: StaticString, type: StaticString, field: KeyPath<RawRecord, Range<Int>?>
    ) -> String? {
        let needle = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        let search = Horspool(needle)
        var found: String?
        var from = 0
        while from < p.count, let at = search.firstIndex(in: p, from: from) {
            let lineStart = (lastIndex(of: newline, in: p, before: at) ?? -1) + 1
            let lineEnd = firstIndex(of: newline, in: p, from: at, to: p.count) ?? p.count
            RawRecord.pieces(p, line: lineStart..<lineEnd) { piece in
                guard case .record(let record) = piece, record.typeIs(type),
                      case let (text, complete)? = RawJSON.string(p, record[keyPath: field], limit: SessionTitle.decodeLimit)
                else { return }
                let title = ReadableText.oneLine(text, limit: SessionTitle.limit, more: !complete)
                if !title.isEmpty { found = title }
            }
            from = lineEnd + 1
        }
        return found
    }

    /// Walks back from the end past blank and malformed lines (a half-written last line).
    private static func lastTypeAndTimestamp(_ p: UnsafeBufferPointer<UInt8>) -> (type: String?, timestamp: String?) {
        var type: String?
        var timestamp: String?
        var end = p.count
        while end > 0, type == nil || timestamp == nil {
            let newlineBefore = lastIndex(of: newline, in: p, before: end)
            let start = (newlineBefore ?? -1) + 1
            var records: [RawRecord] = []
            RawRecord.pieces(p, line: start..<end) { piece in
                if case .record(let record) = piece { records.append(record) }
            }
            for record in records.reversed() {
                if type == nil { type = record.string(record.type) }
                if timestamp == nil { timestamp = record.string(record.timestamp) }
            }
            end = newlineBefore ?? 0
        }
        return (type, timestamp)
    }
}

private let newline = UInt8(ascii: "\n")

/// Boyer-Moore-Horspool search: `memmem` is not in every C library Swift imports (glibc hides it behind
/// `_GNU_SOURCE`), and for markers of 16 and more bytes Horspool skips about that many bytes per step.
private struct Horspool {
    let needle: UnsafeBufferPointer<UInt8>
    var shift = [Int](repeating: 0, count: 256)

    init(_ needle: UnsafeBufferPointer<UInt8>) {
        self.needle = needle
        for i in 0..<256 { shift[i] = needle.count }
        for i in 0..<max(needle.count - 1, 0) { shift[Int(needle[i])] = needle.count - 1 - i }
    }

    func firstIndex(in p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let m = needle.count
        guard m > 0, let base = p.baseAddress, let n = needle.baseAddress else { return nil }
        var i = start
        while i + m <= p.count {
            let last = p[i + m - 1]
            if last == needle[m - 1], memcmp(base + i, n, m - 1) == 0 { return i }
            i += shift[Int(last)]
        }
        return nil
    }
}
