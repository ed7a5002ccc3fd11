/// A session named on the command line: its whole id, or a prefix that names exactly one session.
public enum SessionIDResolver {
    public static func resolve(_ typed: String, among ids: [String]) throws -> String {
        let unique = Array(Set(ids)).sorted()
        if unique.contains(typed) { return typed }
        let matches = unique.filter { $0.hasPrefix(typed) }
        switch matches.count {
        case 1: return matches[0]
        case 0: throw WorkflowError("no session matches '\(typed)' (see 'git ccsync list')")
        default:
            throw WorkflowError("'\(typed)' matches \(matches.count) sessions: "
                                + matches.prefix(8).joined(separator: ", ") + (matches.count > 8 ? ", …" : "") + " (type more of the id)")
        }
    }
}
