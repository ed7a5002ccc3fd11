/// A round trip to a remote that failed, in git's own words, already told apart: the remote could
/// not be reached, or it was reached and turned down what we sent (a server hook, a permission, a
/// quota). `PushOutcome` and `Git.fetch` are the only places that decide which.
public struct GitRemoteError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case unreachable, refused }

    public let kind: Kind
    /// git's last lines of stderr (`fatal: ` and `error: ` dropped), oldest first; for a refusal the
    /// server's own lines (`remote: ...`) come first.
    public let lines: [String]

    public init(kind: Kind, lines: [String]) {
        self.kind = kind
        self.lines = lines
    }

    /// A failed fetch, ls-remote or clone: refused when the remote said so, else unreachable.
    init(failure result: ProcessRunner.Result) {
        let text = result.output + result.errorOutput
        self.init(kind: PushOutcome.isRefusal(text) ? .refused : .unreachable, lines: GitMessage.lastLines(result.errorOutput))
    }

    /// Whether git's words contain `text` (for callers that look for one wording).
    public func contains(_ text: String) -> Bool { lines.contains { $0.contains(text) } }

    public var description: String { lines.joined(separator: "; ") }
}

/// git's stderr as lines.
enum GitMessage {
    /// Every non-empty line.
    static func lines(of text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// The last two lines, without git's `fatal: ` / `error: ` prefixes: where git says what failed.
    static func lastLines(_ text: String) -> [String] {
        text.split(separator: "\n").map { String($0.trimmingPrefix("fatal: ").trimmingPrefix("error: ")) }
            .filter { !$0.isEmpty }.suffix(2).map { $0 }
    }
}
