#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A command hook's answer, printed as one JSON object on stdout (Claude Code parses stdout as JSON when
/// it starts with `{`). Fields left nil are not written.
///
/// - `systemMessage` is shown to the user in Claude (SessionStart cannot refuse a session, so this is
///   how the user learns why this Claude is about to close);
/// - `decision: "block"` with `reason` refuses a UserPromptSubmit: the prompt is not sent, and
///   `suppressOriginalPrompt` keeps its text out of the system row Claude writes about the refusal.
public struct ClaudeHookReply: Encodable, Sendable, Equatable {
    public var systemMessage: String?
    public var decision: String?
    public var reason: String?
    public var hookSpecificOutput: Specific?

    public struct Specific: Encodable, Sendable, Equatable {
        public var hookEventName: String
        public var suppressOriginalPrompt: Bool?
        public var additionalContext: String?
    }

    public init(systemMessage: String? = nil) {
        self.systemMessage = systemMessage
    }

    /// Refuses a prompt and keeps its text out of the transcript where Claude allows it.
    public static func blockPrompt(_ reason: String) -> ClaudeHookReply {
        var reply = ClaudeHookReply()
        reply.decision = "block"
        reply.reason = reason
        reply.hookSpecificOutput = Specific(hookEventName: "UserPromptSubmit", suppressOriginalPrompt: true)
        return reply
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
