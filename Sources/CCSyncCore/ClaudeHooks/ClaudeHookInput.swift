#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What Claude Code writes on a command hook's standard input: one JSON object. Every event has
/// `session_id`, `transcript_path`, `cwd` and `hook_event_name`; SessionStart adds `source`
/// (`startup|resume|clear|compact|fork`), SessionEnd `reason`, UserPromptSubmit `prompt`.
/// Unknown fields are ignored, so newer versions of Claude Code keep working.
public struct ClaudeHookInput: Decodable, Sendable, Equatable {
    public let sessionID: String
    public let transcriptPath: String?
    public let cwd: String?
    public let event: String?
    public let source: String?
    public let reason: String?

    enum CodingKeys: String, CodingKey {
        case sessionID = "session_id"
        case transcriptPath = "transcript_path"
        case cwd
        case event = "hook_event_name"
        case source
        case reason
    }

    public init(sessionID: String, transcriptPath: String? = nil, cwd: String? = nil, event: String? = nil,
                source: String? = nil, reason: String? = nil) {
        self.sessionID = sessionID
        self.transcriptPath = transcriptPath
        self.cwd = cwd
        self.event = event
        self.source = source
        self.reason = reason
    }

    /// Parses the hook's stdin; a session id that is not one of Claude's (a UUID) is refused, since it
    /// names files and refs.
    public init(parsing bytes: [UInt8]) throws(ClaudeHookError) {
        let decoded: ClaudeHookInput
        do {
            decoded = try JSONDecoder().decode(ClaudeHookInput.self, from: Data(bytes))
        } catch {
            throw .badInput("the hook's input is not the JSON object Claude Code sends (\(error))")
        }
        guard StoreFileKind.isSessionID(decoded.sessionID) else {
            throw .badInput("the hook's input names no valid session id ('\(decoded.sessionID.prefix(60))')")
        }
        self = decoded
    }
}

public enum ClaudeHookError: Error, CustomStringConvertible {
    case badInput(String)
    case settings(String)

    public var description: String {
        switch self {
        case let .badInput(detail): return detail
        case let .settings(detail): return detail
        }
    }
}
