/// Why a sync command could not do its work; each message says what to do.
public enum SyncError: Error, CustomStringConvertible {
    case notAWorkingCopy(String)
    case noMachineID(String)
    case noSharedConfig(String)
    case pushRejected(attempts: Int, detail: String)
    /// The remote could not be reached, or refused what we sent (`detail.kind` tells which).
    case remoteUnreachable(String, detail: GitRemoteError)
    case mergeFailed(String)
    case mergeInProgress(String)
    case unmappedPlaceholders([String], machine: MachineID)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .notAWorkingCopy(dir):
            return "\(dir) is not a git-ccsync working copy (run 'git ccsync init', or pass --dir)"
        case let .noMachineID(dir):
            return "\(dir) has no machine id (run 'git ccsync init' there, or 'git config ccsync.machine ID')"
        case let .noSharedConfig(path):
            return "cannot read \(path) (run 'git ccsync init' to repair the working copy)"
        case let .pushRejected(attempts, detail):
            return "push rejected \(attempts) times: \(detail) (your commits are kept; run 'git ccsync push' again)"
        case let .remoteUnreachable(remote, detail):
            return "cannot reach \(remote): \(detail) (your work is committed locally; run 'git ccsync push' when the remote is back)"
        case let .mergeFailed(detail):
            return "merging the remote's changes failed: \(detail) (resolve with git in the working copy, then 'git ccsync push')"
        case let .mergeInProgress(dir):
            return "a merge that git-ccsync did not start is in progress in \(dir) (finish it with 'git commit' or "
                + "undo it with 'git merge --abort' there, then run the command again)"
        case let .unmappedPlaceholders(names, machine):
            let flags = names.map { "--add-placeholder \($0)=PATH" }.joined(separator: " ")
            return "this machine (\(machine)) has no path for \(names.map { "{{\($0)}}" }.joined(separator: ", ")) (pass \(flags))"
        case let .invalidArgument(message):
            return message
        }
    }
}
