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
    /// `<id>.parts/NNNN.jsonl`: one part of a session too big for one file in the repository
    /// (`SessionParts`); only the working copy and the repository hold these, never Claude's store.
    case sessionPart

    /// Classifies a relative path (components joined by `/`); nil when it is not a synced file or is not
    /// safe to write: empty, `.` or `..` components, hidden components, NULs, backslashes, overlong names.
    ///
    /// Works on the UTF-8 bytes: sync classifies every file of the store on every push.
    public static func classify(_ relativePath: String) -> StoreFileKind? {
        let bytes = Array(relativePath.utf8)
        guard !bytes.isEmpty, bytes.count <= 1024 else { return nil }
        let components = bytes.split(separator: 0x2F, omittingEmptySubsequences: false)
        guard components.allSatisfy(isSafeComponent) else { return nil }
        if components.count == 1 {
            let name = components[0]
            guard name.count > 6, name.suffix(6).elementsEqual(jsonl), isSessionID(name.dropLast(6)) else { return nil }
            return .session
        }
        if components.count == 2, isPartName(components[1]), components[0].count > partsSuffix.count,
           components[0].suffix(partsSuffix.count).elementsEqual(partsSuffix),
           isSessionID(components[0].dropLast(partsSuffix.count)) { return .sessionPart }
        if components.count == 2, components[0].elementsEqual(memoryFolder), components[1].count > 3,
           components[1].suffix(3).elementsEqual(md) { return .memory }
        if components.count >= 3, isSessionID(components[0]) {
            if components[1].elementsEqual(subagents) { return .subagent }
            if components[1].elementsEqual(toolResults) { return .toolResult }
        }
        return nil
    }

    private static let jsonl = Array(".jsonl".utf8)
    private static let md = Array(".md".utf8)
    /// The folder that holds a session kept in parts in the repository, `<id>.parts` (`SessionParts`).
    public static let partsFolderSuffix = ".parts"
    private static let partsSuffix = Array(partsFolderSuffix.utf8)

    /// Whether a file name is a part's: four to ten digits, then `.jsonl` (`0000.jsonl`).
    static func isPartName(_ name: ArraySlice<UInt8>) -> Bool {
        name.count >= 10 && name.count <= 16 && name.suffix(6).elementsEqual(".jsonl".utf8)
            && name.dropLast(6).allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
    private static let memoryFolder = Array("memory".utf8)
    private static let subagents = Array("subagents".utf8)
    private static let toolResults = Array("tool-results".utf8)

    static func isSessionID(_ s: ArraySlice<UInt8>) -> Bool {
        !s.isEmpty && s.count <= 128 && s.allSatisfy {
            $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
        }
    }

    static func isSafeComponent(_ c: ArraySlice<UInt8>) -> Bool {
        guard !c.isEmpty, c.count <= 255, c.first != UInt8(ascii: ".") else { return false }
        return !c.contains { $0 == 0 || $0 == UInt8(ascii: "\\") || $0 < 0x20 }
    }

    /// Session ids are UUIDs; accept the characters they and Claude's other ids use.
    public static func isSessionID(_ s: String) -> Bool {
        isSessionID(ArraySlice(s.utf8))
    }

    /// The name a project folder's entry has for its session: `<id>.jsonl` (the log), `<id>.parts` (the
    /// log kept in parts) and `<id>` (the folder of its subagents and tool results) all give `<id>`; any
    /// other entry gives its own name.
    public static func sessionName(ofEntry entry: some StringProtocol) -> String {
        if entry.hasSuffix(".jsonl") { return String(entry.dropLast(6)) }
        if entry.hasSuffix(partsFolderSuffix) { return String(entry.dropLast(partsFolderSuffix.count)) }
        return String(entry)
    }

    /// The session a repository path (`projects/<key>/<id>.jsonl`, `projects/<key>/<id>.parts/…`,
    /// `projects/<key>/<id>/…`) belongs to;
    /// nil for memory, a project's cwd file, or anything outside `projects/`.
    public static func sessionID(ofRepositoryPath path: some StringProtocol) -> String? {
        let parts = path.split(separator: "/")
        guard parts.count >= 3, parts[0] == "projects" else { return nil }
        let id = sessionName(ofEntry: parts[2])
        return isSessionID(id) && id != "memory" ? id : nil
    }
}
