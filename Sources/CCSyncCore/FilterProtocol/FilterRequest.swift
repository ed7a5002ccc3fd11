/// One file git asks the filter to translate.
public struct FilterRequest: Sendable, Equatable {
    public enum Command: String, Sendable {
        case clean
        case smudge
    }

    public let command: Command
    /// Path relative to the work tree's root, as git sends it.
    public let pathname: String
    /// Every other `key=value` git sent (`ref`, `treeish`, `blob`, `can-delay`).
    public let metadata: [String: String]
    public let content: [UInt8]
}

/// How a request ended, as git's `status=` values.
public enum FilterStatus: String, Sendable {
    case success
    /// This file failed; git goes on with the others (and fails the command if the filter is required).
    case error
    /// Do not send this filter any more files in this git command.
    case abort
}
