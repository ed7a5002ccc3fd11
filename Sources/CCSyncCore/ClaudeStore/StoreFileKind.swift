/// The files of a Claude project that are synced, by their path inside the project folder. Anything
/// else in a project folder (or in the repository) is not ours to copy.
public enum StoreFileKind: String, Sendable, Codable {
    /// `<id>.jsonl`
    case session
    /// `<id>/subagents/**`
    case subagent
    /// `<id>/tool-results/**`
    case toolResult
    /// `memory/*.md`
    case memory

    /// Classifies a relative path (components joined by `/`); nil when it is not a synced file or is not
    /// safe to write: empty, `.` or `..` components, hidden components, NULs, backslashes, overlong names.
    public static func classify(_ relativePath: String) -> StoreFileKind? {
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !components.isEmpty, relativePath.utf8.count <= 1024,
              components.allSatisfy(isSafeComponent) else { return nil }
        if components.count == 1 {
            let name = components[0]
            guard name.hasSuffix(".jsonl"), isSessionID(String(name.dropLast(6))) else { return nil }
            return .session
        }
        if components.count == 2, components[0] == "memory", components[1].hasSuffix(".md") { return .memory }
        if components.count >= 3, isSessionID(components[0]) {
            switch components[1] {
            case "subagents": return .subagent
            case "tool-results": return .toolResult
            default: return nil
            }
        }
        return nil
    }

    /// Session ids are UUIDs; accept the characters they and Claude's other ids use.
    public static func isSessionID(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 128 && s.utf8.allSatisfy {
            $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
        }
    }

    static func isSafeComponent(_ c: String) -> Bool {
        guard !c.isEmpty, c.utf8.count <= 255, !c.hasPrefix(".") else { return false }
        return !c.utf8.contains { $0 == 0 || $0 == UInt8(ascii: "\\") || $0 < 0x20 }
    }
}
