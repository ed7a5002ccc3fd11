/// Writes the lines of one Claude Code log the way Claude Code does: one JSON object per line, keys in
/// its order, the common fields (`parentUuid`, `cwd`, `sessionId`, ...) first, `uuid` and `timestamp` last.
/// Everything comes from a seeded generator, so the same seed gives the same bytes on every machine.
final class LogWriter {
    private(set) var lines: [[UInt8]] = []
    var random: SeededRandom
    let sessionID: String
    var cwd: String
    let version: String
    let gitBranch: String
    /// Set in subagent logs: every record is a sidechain and names its agent.
    var agentID: String?
    /// Claude's name for the conversation, written from the second turn on (as newer versions do).
    var slug: String?
    private var parent: String?
    private var seconds: Int
    private var millis = 0
    private let day: String

    /// `day` is `YYYY-MM-DD`; the clock starts at `startSeconds` after its midnight and stays within the day.
    init(random: SeededRandom, sessionID: String, cwd: String, version: String, gitBranch: String,
         day: String, startSeconds: Int) {
        self.random = random
        self.sessionID = sessionID
        self.cwd = cwd
        self.version = version
        self.gitBranch = gitBranch
        self.day = day
        self.seconds = startSeconds
    }

    var bytes: [UInt8] { lines.flatMap { $0 + [0x0A] } }

    // MARK: clock and ids

    /// The next timestamp, `min...max` milliseconds after the previous one.
    func tick(_ min: Int = 30, _ max: Int = 4_000) -> String {
        let step = min + Int(random.next() % UInt64(max - min + 1))
        millis += step
        seconds += millis / 1000
        millis %= 1000
        let s = Swift.min(seconds, 86_399)
        return day + "T" + pad(s / 3600) + ":" + pad(s / 60 % 60) + ":" + pad(s % 60) + "." + pad(millis, 3) + "Z"
    }

    func uuid() -> String { random.uuid() }

    func toolID() -> String { "toolu_01" + random.base62(22) }

    func messageID() -> String { "msg_01" + random.base62(22) }

    func requestID() -> String { "req_011C" + random.base62(20) }

    // MARK: records

    private func common(parent: String?) -> String {
        var text = #""parentUuid":\#(parent.map(q) ?? "null"),"isSidechain":\#(agentID != nil),"userType":"external","cwd":\#(q(cwd)),"sessionId":\#(q(sessionID)),"version":\#(q(version)),"gitBranch":\#(q(gitBranch))"#
        if let agentID { text += #","agentId":\#(q(agentID))"# }
        if let slug { text += #","slug":\#(q(slug))"# }
        return text
    }

    /// A record in the conversation's chain: it follows the previous one.
    @discardableResult
    func chained(_ body: String, parent explicit: String?? = .none, trailer: String = "", time: String? = nil) -> String {
        let id = uuid()
        let parentID: String? = explicit ?? parent
        append("{" + common(parent: parentID) + "," + body + #","uuid":\#(q(id)),"timestamp":\#(q(time ?? tick()))"# + trailer + "}")
        parent = id
        return id
    }

    func append(_ line: String) { lines.append(Array(line.utf8)) }

    func append(bytes line: [UInt8]) { lines.append(line) }

    /// A typed prompt (a plain string, as Claude Code stores what the user typed).
    @discardableResult
    func prompt(_ text: String, extra: String = "") -> String {
        chained(#"\#(extra)"type":"user","message":{"role":"user","content":\#(q(text))}"#)
    }

    /// A user record whose content is blocks (`text`, `tool_result`, images).
    @discardableResult
    func userBlocks(_ blocks: String, extra: String = "", trailer: String = "") -> String {
        chained(#"\#(extra)"type":"user","message":{"role":"user","content":[\#(blocks)]}"#, trailer: trailer)
    }

    /// One assistant record per content block, as Claude Code writes a streamed message.
    @discardableResult
    func assistant(_ block: String, model: String = "claude-opus-4-5", message: String? = nil, outputTokens: Int? = nil) -> String {
        let id = message ?? messageID()
        let out = outputTokens ?? (8 + Int(random.next() % 900))
        let cacheRead = 10_000 + Int(random.next() % 90_000)
        return chained(#""message":{"model":\#(q(model)),"id":\#(q(id)),"type":"message","role":"assistant","content":[\#(block)],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"cache_creation_input_tokens":\#(Int(random.next() % 4000)),"cache_read_input_tokens":\#(cacheRead),"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":\#(out),"service_tier":"standard"}},"requestId":\#(q(requestID())),"type":"assistant""#)
    }

    func text(_ text: String) -> String { #"{"type":"text","text":\#(q(text))}"# }

    func thinking(_ text: String) -> String {
        #"{"type":"thinking","thinking":\#(q(text)),"signature":\#(q(random.base62(64)))}"#
    }

    /// An assistant tool call; returns the tool use id for its result.
    func toolUse(_ name: String, _ input: String, message: String? = nil) -> String {
        let id = toolID()
        assistant(#"{"type":"tool_use","id":\#(q(id)),"name":\#(q(name)),"input":\#(input)}"#, message: message)
        return id
    }

    /// The result of a tool call, with Claude Code's structured copy (`toolUseResult`) when given.
    @discardableResult
    func toolResult(_ id: String, _ content: String, toolUseResult: String? = nil, isError: Bool = false) -> String {
        let error = isError ? #","is_error":true"# : ""
        return userBlocks(#"{"tool_use_id":\#(q(id)),"type":"tool_result","content":\#(q(content))\#(error)}"#,
                          trailer: toolUseResult.map { #","toolUseResult":\#($0)"# } ?? "")
    }

    func progress(_ data: String, toolUseID: String, parentToolUseID: String) {
        chained(#""type":"progress","data":\#(data),"toolUseID":\#(q(toolUseID)),"parentToolUseID":\#(q(parentToolUseID))"#)
    }

    func hookProgress(event: String, name: String, command: String) {
        let id = uuid()
        progress(#"{"type":"hook_progress","hookEvent":\#(q(event)),"hookName":\#(q(name)),"command":\#(q(command))}"#,
                 toolUseID: id, parentToolUseID: id)
    }

    func system(_ subtype: String, _ fields: String, meta: Bool = false) {
        chained(#""type":"system","subtype":\#(q(subtype)),\#(fields),"isMeta":\#(meta)"#)
    }

    /// Records outside the chain: no `parentUuid`, their own key order.
    func snapshot(for message: String, backups: String = "{}", update: Bool = false) {
        append(#"{"type":"file-history-snapshot","messageId":\#(q(message)),"snapshot":{"messageId":\#(q(message)),"trackedFileBackups":\#(backups),"timestamp":\#(q(tick(1, 20)))},"isSnapshotUpdate":\#(update)}"#)
    }

    func queue(_ operation: String, content: String? = nil) {
        let body = content.map { #","content":\#(q($0))"# } ?? ""
        append(#"{"type":"queue-operation","operation":\#(q(operation)),"timestamp":\#(q(tick(1, 50))),"sessionId":\#(q(sessionID))\#(body)}"#)
    }

    func summary(_ text: String, leaf: String) {
        append(#"{"type":"summary","summary":\#(q(text)),"leafUuid":\#(q(leaf))}"#)
    }

    /// Compaction: the boundary starts a new chain (`parentUuid` null, `logicalParentUuid` the old leaf),
    /// then the summary of the conversation so far as a user record.
    func compact(summary text: String, preTokens: Int) {
        let leaf = parent
        parent = nil
        chained(#""logicalParentUuid":\#(leaf.map(q) ?? "null"),"type":"system","subtype":"compact_boundary","content":"Conversation compacted","isMeta":false,"level":"info","compactMetadata":{"trigger":"auto","preTokens":\#(preTokens)}"#,
                parent: .some(nil))
        chained(#""type":"user","message":{"role":"user","content":\#(q(text))},"isVisibleInTranscriptOnly":true,"isCompactSummary":true"#)
    }
}

/// A JSON string literal for `text` (quotes, backslashes and control characters escaped, the rest as is).
func q(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

func pad(_ n: Int, _ width: Int = 2) -> String {
    let text = String(n)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}
