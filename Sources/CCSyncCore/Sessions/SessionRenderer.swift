/// A session log as text a person can read: one line per record,
/// `<HH:MM:SS>  <type>  <role>  <excerpt>`. It is `git-ccsync textconv`, git's `diff.ccsync.textconv`, so
/// `git log -p` and `git diff` on a session show the conversation instead of kilobyte-long JSON lines.
///
/// For those diffs to show only what changed, the rendering is line-local and deterministic: each log
/// line renders on its own, to zero lines (blank), one line (a record) or more (records fused by a crash),
/// so appending lines to a log only appends lines to its rendering. Times are the log's own `HH:MM:SS`
/// (UTC as Claude writes them), never converted to the local zone. It never fails: a line that is not a
/// JSON object renders as `! malformed: <its first bytes>`, and a record type it does not know shows its
/// time and type only.
public enum SessionRenderer {
    /// Text for the excerpt column, and whether the source went on beyond it.
    typealias Excerpt = (text: String, more: Bool)

    /// The longest excerpt, in characters.
    public static let excerptLimit = 120
    /// How many bytes of a malformed line are shown.
    public static let malformedPreview = 60

    /// How much of a string is decoded for an excerpt, in UTF-8 bytes: 120 characters of CJK text and
    /// room for leading blank lines and indentation.
    static let decodeLimit = 1024

    /// The rendering of a whole log, one `\n`-terminated line per record.
    public static func render(_ bytes: [UInt8]) -> String {
        var out = ""
        bytes.withUnsafeBufferPointer { p in
            forEachLine(p) { line in
                out += line
                out += "\n"
            }
        }
        return out
    }

    /// Calls `body` with each rendered line (without its `\n`), in order.
    static func forEachLine(_ p: UnsafeBufferPointer<UInt8>, _ body: (String) -> Void) {
        var start = 0
        while start < p.count {
            let end = firstIndex(of: UInt8(ascii: "\n"), in: p, from: start, to: p.count) ?? p.count
            RawRecord.pieces(p, line: start..<end) { piece in
                switch piece {
                case .record(let record):
                    body(line(record))
                case .malformed(let range):
                    let shown = range.lowerBound..<min(range.upperBound, range.lowerBound + malformedPreview)
                    body("! malformed: " + ReadableText.bytes(p[shown]))
                }
            }
            start = end + 1
        }
    }

    /// One record's line.
    static func line(_ r: RawRecord) -> String {
        let p = r.p
        let time = clock(r.string(r.timestamp, limit: 64))
        guard let typeName = r.string(r.type, limit: 256), case let type = ReadableText.oneLine(typeName, limit: 40),
              !type.isEmpty
        else { return "\(time)  ?" }
        let role: String?
        let excerpt: Excerpt?
        switch typeName {
        case "user", "assistant":
            var name = r.string(RawJSON.member(p, "role", of: r.message), limit: 64) ?? typeName
            let flags = [
                r.isTrue(r.isMeta) ? "meta" : nil,
                r.isTrue(r.isSidechain) ? "sidechain" : nil,
                r.isTrue(r.isCompactSummary) ? "compact" : nil,
            ].compactMap { $0 }
            if !flags.isEmpty { name += "(" + flags.joined(separator: ",") + ")" }
            role = name
            excerpt = messageExcerpt(p, RawJSON.member(p, "content", of: r.message))
        case "system":
            role = r.string(r.subtype, limit: 64)
            excerpt = text(p, r.content)
        case "progress":
            role = r.string(RawJSON.member(p, "type", of: r.data), limit: 64)
            excerpt = progressExcerpt(p, r.data)
        case "queue-operation":
            role = r.string(r.operation, limit: 64)
            excerpt = text(p, r.content)
        case "summary":
            role = nil
            excerpt = text(p, r.summary)
        case "custom-title":
            role = nil
            excerpt = text(p, r.customTitle)
        case "file-history-snapshot":
            role = nil
            var files = 0
            if let tracked = RawJSON.member(p, "trackedFileBackups", of: r.snapshot), RawJSON.isObject(p, tracked) {
                RawJSON.forEachMember(p, object: tracked.lowerBound, to: tracked.upperBound) { _, _ in files += 1 }
            }
            excerpt = ("\(files) tracked file" + (files == 1 ? "" : "s"), false)
        default:
            return "\(time)  \(type)"
        }
        let roleText = role.map { ReadableText.oneLine($0, limit: 40) } ?? ""
        var out = "\(time)  \(type)  \(roleText.isEmpty ? "-" : roleText)"
        if let excerpt {
            let shown = ReadableText.oneLine(excerpt.text, limit: excerptLimit, more: excerpt.more)
            if !shown.isEmpty { out += "  " + shown }
        }
        return out
    }

    /// A string value's text (decoded up to `decodeLimit`); nil if it is not a string.
    static func text(_ p: UnsafeBufferPointer<UInt8>, _ value: Range<Int>?) -> Excerpt? {
        RawJSON.string(p, value, limit: decodeLimit).map { ($0.text, !$0.complete) }
    }

    /// `HH:MM:SS` of an ISO 8601 timestamp, `-` padded to the same width when there is none.
    static func clock(_ timestamp: String?) -> String {
        let utf8 = Array((timestamp ?? "").utf8.prefix(19))
        guard utf8.count == 19, utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: " "),
              utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":")
        else { return "-       " }
        return String(decoding: utf8[11..<19], as: UTF8.self)
    }

    /// The text of `message.content`: the string itself, else the first text block, else the first
    /// tool use, tool result or thinking block, else the first block's type (`image`).
    static func messageExcerpt(_ p: UnsafeBufferPointer<UInt8>, _ content: Range<Int>?) -> Excerpt? {
        guard let content else { return nil }
        if RawJSON.isString(p, content) {
            return text(p, content)
        }
        var firstText: Excerpt?
        var toolUse: Excerpt?
        var toolResult: Excerpt?
        var thinking: Excerpt?
        var other: String?
        RawJSON.forEachElement(p, array: content) { block in
            let type = RawJSON.member(p, "type", of: block)
            if RawJSON.stringEquals(p, type, "text") {
                firstText = text(p, RawJSON.member(p, "text", of: block))
                return firstText == nil
            }
            if toolUse == nil, RawJSON.stringEquals(p, type, "tool_use") {
                toolUse = toolUseExcerpt(p, block)
            } else if toolResult == nil, RawJSON.stringEquals(p, type, "tool_result") {
                toolResult = toolResultExcerpt(p, block)
            } else if thinking == nil, RawJSON.stringEquals(p, type, "thinking") {
                let body = RawJSON.string(p, RawJSON.member(p, "thinking", of: block), limit: decodeLimit)
                thinking = ("thinking: " + (body?.text ?? ""), body.map { !$0.complete } ?? false)
            } else if other == nil {
                other = RawJSON.string(p, type, limit: 64)?.text
            }
            return true
        }
        return firstText ?? toolUse ?? toolResult ?? thinking ?? other.map { ($0, false) }
    }

    /// Input members that say best what a tool call does, best first.
    private static let inputSummaryKeys: [StaticString] = [
        "file_path", "notebook_path", "command", "pattern", "url", "query", "description", "path", "prompt",
        "skill", "subagent_type",
    ]

    /// `tool_use: <name> <the input's most telling string>`.
    static func toolUseExcerpt(_ p: UnsafeBufferPointer<UInt8>, _ block: Range<Int>) -> Excerpt {
        let name = RawJSON.string(p, RawJSON.member(p, "name", of: block), limit: 256)?.text ?? "?"
        var best: (rank: Int, value: Range<Int>)?
        if let input = RawJSON.member(p, "input", of: block), RawJSON.isObject(p, input) {
            RawJSON.forEachMember(p, object: input.lowerBound, to: input.upperBound) { key, value in
                guard RawJSON.isString(p, value) else { return }
                let rank = inputSummaryKeys.firstIndex { RawJSON.keyEquals(p, key, $0) } ?? inputSummaryKeys.count
                if let current = best, current.rank <= rank { return }
                best = (rank, value)
            }
        }
        guard let best, let value = RawJSON.string(p, best.value, limit: decodeLimit) else {
            return ("tool_use: " + name, false)
        }
        return ("tool_use: " + name + " " + value.text, !value.complete)
    }

    /// `tool_result: <first line>`, or `tool_result (error): …` when the tool failed.
    static func toolResultExcerpt(_ p: UnsafeBufferPointer<UInt8>, _ block: Range<Int>) -> Excerpt {
        let label = RawJSON.isTrue(p, RawJSON.member(p, "is_error", of: block)) ? "tool_result (error):" : "tool_result:"
        var body: (text: String, complete: Bool)?
        if let content = RawJSON.member(p, "content", of: block) {
            if RawJSON.isString(p, content) {
                body = RawJSON.string(p, content, limit: decodeLimit)
            } else {
                RawJSON.forEachElement(p, array: content) { inner in
                    guard RawJSON.stringEquals(p, RawJSON.member(p, "type", of: inner), "text") else { return true }
                    body = RawJSON.string(p, RawJSON.member(p, "text", of: inner), limit: decodeLimit)
                    return false
                }
            }
        }
        guard let body else { return (label, false) }
        let (line, more) = ReadableText.firstLine(body.text)
        return (label + " " + line, more || !body.complete)
    }

    /// A progress record's news: a subagent's message, a hook's name, a task, or the first line of output.
    static func progressExcerpt(_ p: UnsafeBufferPointer<UInt8>, _ data: Range<Int>?) -> Excerpt? {
        if let nested = RawJSON.member(p, "message", of: data),
           let message = RawJSON.member(p, "message", of: nested) {
            return messageExcerpt(p, RawJSON.member(p, "content", of: message))
        }
        for key: StaticString in ["hookName", "taskDescription", "command"] {
            if let value = text(p, RawJSON.member(p, key, of: data)) { return value }
        }
        if let output = RawJSON.string(p, RawJSON.member(p, "output", of: data), limit: decodeLimit) {
            let (line, more) = ReadableText.firstLine(output.text)
            return (String(line), more || !output.complete)
        }
        return nil
    }
}
