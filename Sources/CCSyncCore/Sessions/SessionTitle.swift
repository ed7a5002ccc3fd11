/// What a user record offers as the title of its session, when Claude has not named the session itself.
///
/// Many "user" records are not something the user typed: tool results, meta records that expand a slash
/// command into its prompt, command echoes (`<command-name>/mcp</command-name>`), the stdout of local
/// commands, hook reminders, "[Request interrupted by user]", the summary that continues a compacted
/// session. A slash command with arguments is what the user typed, though, and often the only request a
/// session holds (`/orchestrator create TODO app by Next.js`); a bare `/init` is a title of last resort.
enum SessionTitle: Equatable {
    /// Something the user asked for.
    case prompt(String)
    /// A slash command without arguments.
    case bareCommand(String)

    static let limit = 80
    /// How much of a message is decoded to find its title: enough to skip leading whitespace and tags.
    static let decodeLimit = 8192

    /// The title a user record offers; nil for records that carry nothing the user typed.
    static func candidate(_ record: RawRecord) -> SessionTitle? {
        guard record.typeIs("user"), !record.isTrue(record.isMeta), !record.isTrue(record.isCompactSummary),
              case let (text, complete)? = typedText(record)
        else { return nil }
        let trimmed = text.drop(while: \.isWhitespace)
        if trimmed.hasPrefix("<command-") {
            return command(String(trimmed))
        }
        if trimmed.isEmpty || trimmed.hasPrefix("[Request interrupted") || startsWithNoiseTag(trimmed) {
            return nil
        }
        return .prompt(ReadableText.oneLine(String(trimmed), limit: limit, more: !complete))
    }

    /// The text of `message.content`: the string itself, or the first text block; nil when any block is
    /// a tool result (the user's turn only carries what a tool answered).
    private static func typedText(_ record: RawRecord) -> (String, Bool)? {
        let p = record.p
        guard let content = RawJSON.member(p, "content", of: record.message) else { return nil }
        if RawJSON.isString(p, content) {
            return RawJSON.string(p, content, limit: decodeLimit)
        }
        var text: (String, Bool)?
        var toolResult = false
        RawJSON.forEachElement(p, array: content) { block in
            let type = RawJSON.member(p, "type", of: block)
            if RawJSON.stringEquals(p, type, "tool_result") {
                toolResult = true
                return false
            }
            if text == nil, RawJSON.stringEquals(p, type, "text") {
                text = RawJSON.string(p, RawJSON.member(p, "text", of: block), limit: decodeLimit)
            }
            return true
        }
        return toolResult ? nil : text
    }

    /// `/name args` from Claude Code's command echo
    /// `<command-message>…</command-message><command-name>/name</command-name><command-args>…</command-args>`.
    private static func command(_ text: String) -> SessionTitle? {
        guard var name = between(text, "<command-name>", "</command-name>").map(trimmed), !name.isEmpty else {
            return nil
        }
        if !name.hasPrefix("/") { name = "/" + name }
        let arguments = between(text, "<command-args>", "</command-args>").map(trimmed) ?? ""
        if arguments.isEmpty {
            return .bareCommand(ReadableText.oneLine(name, limit: limit))
        }
        return .prompt(ReadableText.oneLine(name + " " + arguments, limit: limit))
    }

    private static func between(_ text: String, _ open: String, _ close: String) -> Substring? {
        guard let start = text.firstRange(of: open)?.upperBound else { return nil }
        let end = text[start...].firstRange(of: close)?.lowerBound ?? text.endIndex
        return text[start..<end]
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// Tags Claude Code wraps around text the user did not type as a request.
    private static let noiseTags = [
        "<local-command-stdout>", "<local-command-stderr>", "<local-command-caveat>", "<system-reminder>",
        "<task-notification>", "<bash-input>", "<bash-stdout>", "<bash-stderr>", "<user-prompt-submit-hook>",
    ]

    private static func startsWithNoiseTag(_ text: Substring) -> Bool {
        text.first == "<" && noiseTags.contains { text.hasPrefix($0) }
    }
}
