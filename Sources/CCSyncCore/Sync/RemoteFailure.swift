#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A round trip to the remote that failed, told the way its user needs it: which remote (its URL, not
/// just `origin`), whether it could not be reached or was reached and refused what we sent (a server
/// hook, a permission, a quota), the remote's own words without git's boilerplate, and what to do.
///
/// Whether the remote was reached is decided once, where git's report is read (`PushOutcome`,
/// `Git.fetch`); this only tells it.
public struct RemoteFailure: Error, CustomStringConvertible {
    public enum Kind: Sendable { case unreachable, refused }

    public let kind: Kind
    /// The remote's name (`origin`).
    public let remote: String
    /// The remote's URL, credentials removed; nil when unknown.
    public let url: String?
    /// Why, in git's or the server's words; empty when they gave none worth showing.
    public let reason: String
    /// What to do, the part in parentheses.
    public let advice: String

    /// - Parameters:
    ///   - detail: the failed round trip, as `SyncError` and `LockError` carry it.
    ///   - advice: what to do; nil for the default: the work is committed, run `retry` once the remote works.
    public init(detail: GitRemoteError, remote: String = WorkingCopy.remote, url: String?, retry: String, advice: String? = nil) {
        kind = detail.kind == .refused ? .refused : .unreachable
        self.remote = remote
        self.url = url.map(Self.withoutCredentials)
        reason = detail.lines.map { $0.trimmed }.compactMap(Self.meaningful).joined(separator: "; ")
        let work = "your work is committed locally"
        self.advice = advice ?? (kind == .refused ? "\(work); run '\(retry)' once the remote accepts it again"
                                                  : "\(work); run '\(retry)' when the remote is back")
    }

    /// The failure of `error` if it is a failed round trip of the sync code; nil for any other error.
    public init?(_ error: any Error, url: String?, retry: String) {
        guard case let SyncError.remoteUnreachable(remote, detail) = error else { return nil }
        self.init(detail: detail, remote: remote, url: url, retry: retry)
    }

    /// What happened, without the advice.
    public var summary: String {
        let name = url.map { "\(remote) (\($0))" } ?? remote
        switch kind {
        case .unreachable:
            return "cannot reach \(name)" + (reason.isEmpty ? "" : ": \(reason)")
        case .refused:
            return "\(name) refused the push" + (reason.isEmpty ? " without saying why" : ": \(reason)")
        }
    }

    public var description: String { "\(summary) (\(advice))" }

    /// A line of git's stderr worth showing, without the server's `remote:` prefix; nil for git's
    /// boilerplate, which would crowd out the reason.
    static func meaningful(_ line: String) -> String? {
        var text = line
        if text.hasPrefix("remote:") { text = text.dropFirst("remote:".count).trimmed }
        let boilerplate = ["Please make sure you have the correct access rights", "and the repository exists",
                           "Could not read from remote repository", "failed to push some refs to"]
        guard !text.isEmpty, !boilerplate.contains(where: { text.hasPrefix($0) }) else { return nil }
        return text
    }

    /// `https://ana:token@host/x` → `https://ana@host/x`: an error message must not print a password.
    static func withoutCredentials(_ url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@") else { return url }
        let userInfo = authority[..<at]
        let user = userInfo.prefix { $0 != ":" }
        return String(url[..<scheme.upperBound]) + user + String(rest[at...])
    }
}
