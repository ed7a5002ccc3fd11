#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

public enum LockError: Error, CustomStringConvertible {
    case heldByOther(LockRecord)
    case lost(session: String)
    case notHeld(session: String)
    /// A round trip to the remote failed, in git's words.
    case remote(GitRemoteError)
    /// Three attempts at taking the lock found it changed each time.
    case keptChanging(session: String)

    public var description: String {
        switch self {
        case let .heldByOther(record):
            return "session \(record.session.prefix(8)) is locked by \(record.holder) until \(LockRecord.format(record.expires)) "
                + "(wait for it to expire, run 'git ccsync update' on \(record.holder), or take it over with --force)"
        case let .lost(session):
            return "the lock on session \(session.prefix(8)) changed on the remote while we held it (another machine took it over)"
        case let .notHeld(session):
            return "this machine holds no lock on session \(session.prefix(8))"
        case let .remote(detail):
            return "updating locks on the remote failed: \(detail)"
        case let .keptChanging(session):
            return "updating locks on the remote failed: the lock on \(session.prefix(8)) kept changing"
        }
    }
}
