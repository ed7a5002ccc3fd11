/// One record of a session log, located but not decoded: the top-level fields that titles and renderings
/// look at, as ranges into the buffer that holds the log.
///
/// It borrows the buffer: use it only inside the `withUnsafeBufferPointer` that produced it.
struct RawRecord {
    let p: UnsafeBufferPointer<UInt8>
    /// The whole object.
    let range: Range<Int>
    var type: Range<Int>?
    var timestamp: Range<Int>?
    var cwd: Range<Int>?
    var isMeta: Range<Int>?
    var isSidechain: Range<Int>?
    var isCompactSummary: Range<Int>?
    var message: Range<Int>?
    var summary: Range<Int>?
    var customTitle: Range<Int>?
    var subtype: Range<Int>?
    var content: Range<Int>?
    var data: Range<Int>?
    var operation: Range<Int>?
    var snapshot: Range<Int>?

    /// A line cut into what it holds: usually one record; several when a crash fused lines; a malformed
    /// rest when bytes are not a complete JSON object (a half-written line, garbage, NUL padding followed
    /// by nothing). Blank lines and the NULs and whitespace around records hold nothing.
    enum Piece {
        case record(RawRecord)
        case malformed(Range<Int>)
    }

    static func pieces(_ p: UnsafeBufferPointer<UInt8>, line: Range<Int>, _ body: (Piece) -> Void) {
        var i = RawJSON.skipBlank(p, from: line.lowerBound, to: line.upperBound)
        while i < line.upperBound {
            guard let record = RawRecord(p, from: i, to: line.upperBound) else {
                body(.malformed(i..<line.upperBound))
                return
            }
            body(.record(record))
            i = RawJSON.skipBlank(p, from: record.range.upperBound, to: line.upperBound)
        }
    }

    /// The object starting at `start`; nil unless a complete object starts there.
    init?(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        self.p = p
        var fields = Fields()
        let objectEnd = RawJSON.forEachMember(p, object: start, to: end) { key, value in
            // The last occurrence of a key wins, as with JSON.parse.
            switch key.count - 2 {
            case 3 where RawJSON.keyEquals(p, key, "cwd"): fields.cwd = value
            case 4 where RawJSON.keyEquals(p, key, "type"): fields.type = value
            case 4 where RawJSON.keyEquals(p, key, "data"): fields.data = value
            case 6 where RawJSON.keyEquals(p, key, "isMeta"): fields.isMeta = value
            case 7 where RawJSON.keyEquals(p, key, "message"): fields.message = value
            case 7 where RawJSON.keyEquals(p, key, "summary"): fields.summary = value
            case 7 where RawJSON.keyEquals(p, key, "subtype"): fields.subtype = value
            case 7 where RawJSON.keyEquals(p, key, "content"): fields.content = value
            case 8 where RawJSON.keyEquals(p, key, "snapshot"): fields.snapshot = value
            case 9 where RawJSON.keyEquals(p, key, "timestamp"): fields.timestamp = value
            case 9 where RawJSON.keyEquals(p, key, "operation"): fields.operation = value
            case 11 where RawJSON.keyEquals(p, key, "isSidechain"): fields.isSidechain = value
            case 11 where RawJSON.keyEquals(p, key, "customTitle"): fields.customTitle = value
            case 16 where RawJSON.keyEquals(p, key, "isCompactSummary"): fields.isCompactSummary = value
            default: break
            }
        }
        guard let objectEnd else { return nil }
        range = start..<objectEnd
        type = fields.type
        timestamp = fields.timestamp
        cwd = fields.cwd
        isMeta = fields.isMeta
        isSidechain = fields.isSidechain
        isCompactSummary = fields.isCompactSummary
        message = fields.message
        summary = fields.summary
        customTitle = fields.customTitle
        subtype = fields.subtype
        content = fields.content
        data = fields.data
        operation = fields.operation
        snapshot = fields.snapshot
    }

    private struct Fields {
        var type, timestamp, cwd, isMeta, isSidechain, isCompactSummary, message, summary, customTitle,
            subtype, content, data, operation, snapshot: Range<Int>?
    }

    /// The decoded text of a string field, whole if it is short (these are types, times, paths, titles).
    func string(_ value: Range<Int>?, limit: Int = 4096) -> String? {
        RawJSON.string(p, value, limit: limit)?.text
    }

    func isTrue(_ value: Range<Int>?) -> Bool { RawJSON.isTrue(p, value) }

    func typeIs(_ name: StaticString) -> Bool { RawJSON.stringEquals(p, type, name) }
}
