/// What became of a push, read once from git's report (`--porcelain` lines and stderr): the sync's
/// branch push, the lock pushes and the first push of `init` all decide with this.
public enum PushOutcome: Sendable, Equatable {
    /// Every ref landed.
    case accepted
    /// A `--force-with-lease` expectation no longer held: that ref moved since we read it.
    case staleLease
    /// The remote has moved past what we sent (not a fast-forward, the ref already exists, or the
    /// server lost a race updating it): fetch, merge or look again, then retry. With git's last lines.
    case outOfDate([String])
    /// The remote was reached and turned the push down (a hook, a permission, a quota), in its words.
    case refused(GitRemoteError)
    /// The remote could not be reached, in git's words.
    case unreachable(GitRemoteError)

    init(_ result: ProcessRunner.Result) {
        guard !result.succeeded else {
            self = .accepted
            return
        }
        let text = result.output + result.errorOutput
        let lines = GitMessage.lastLines(result.errorOutput)
        // A server hook that turns the push down is no race: retrying cannot win, and the hook's own
        // message is what the user must see.
        if text.contains("hook declined") {
            self = .refused(GitRemoteError(kind: .refused, lines: Self.serverLines(result.errorOutput, else: lines)))
        } else if text.contains("stale info") {
            self = .staleLease
        } else if ["[rejected]", "non-fast-forward", "fetch first", "already exists", "cannot lock ref", "failed to update ref"]
                    .contains(where: text.contains) {
            self = .outOfDate(lines)
        } else if Self.isRefusal(text) {
            self = .refused(GitRemoteError(kind: .refused, lines: Self.serverLines(result.errorOutput, else: lines)))
        } else {
            self = .unreachable(GitRemoteError(kind: .unreachable, lines: lines))
        }
    }

    /// A push (or fetch) that reached the remote and was turned down says so in one of these ways; a
    /// connection that failed never gets as far.
    static func isRefusal(_ text: String) -> Bool {
        ["hook declined", "remote rejected", "failed to push some refs", "denied", "[rejected]"].contains(where: text.contains)
    }

    /// The server's own lines (`remote: ...`, what its hook printed) followed by git's last line;
    /// `fallback` when the server said nothing.
    static func serverLines(_ stderr: String, else fallback: [String]) -> [String] {
        let server = GitMessage.lines(of: stderr).filter { $0.hasPrefix("remote:") }
            .filter { !$0.dropFirst("remote:".count).allSatisfy { $0 == " " } }
        guard !server.isEmpty else { return fallback }
        return Array(server.suffix(3)) + fallback.suffix(1)
    }
}
