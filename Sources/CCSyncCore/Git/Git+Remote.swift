/// The network: always git itself, so that the user's credential helpers, SSH configuration and
/// proxies apply.
extension Git {
    /// Fetches `refspecs` from `remote`; `prune` drops local refs whose remote ones went.
    /// - Throws: `GitRemoteError` when the round trip fails.
    public func fetch(_ refspecs: [String], from remote: String = Git.remote, prune: Bool = false,
                      progress: ProgressReporter? = nil) throws {
        let flags = [progress?.isEnabled == true ? "--progress" : "--quiet", "--no-tags"] + (prune ? ["--prune"] : [])
        let fetch = try cli.attempt(["fetch"] + flags + ["--no-auto-maintenance", "--no-write-fetch-head", remote] + refspecs,
                                    progress: progress)
        guard fetch.succeeded else { throw GitRemoteError(failure: fetch) }
    }

    /// What a push sends: refspecs, leases, and how.
    public struct Push: Sendable {
        /// `<source>:<destination>` (an empty source deletes).
        public var refspecs: [String]
        /// Destination ref → the value it must still have on the remote ("" = must not exist).
        public var leases: [(ref: String, expected: String)] = []
        /// All refs land or none (`--atomic`).
        public var atomic = false
        /// Sets the branch's upstream (`--set-upstream`).
        public var setUpstream = false
        /// Extra git options before `push` (`-c pack.window=0`, ...).
        public var options: [String] = []
        /// `--quiet`: only what went wrong is reported.
        public var quiet = false

        public init(_ refspecs: [String], leases: [(ref: String, expected: String)] = [], atomic: Bool = false) {
            self.refspecs = refspecs
            self.leases = leases
            self.atomic = atomic
        }

        var arguments: [String] {
            leases.map { "--force-with-lease=\($0.ref):\($0.expected)" } + refspecs
        }
    }

    /// Pushes. Without the local pre-push hook (our callers do its checks themselves), except for the
    /// first push of a new working copy (`setUpstream`), which is git's ordinary push.
    /// - Parameter progress: git's packing and sending progress, when enabled.
    public func push(_ push: Push, to remote: String = Git.remote, progress: ProgressReporter? = nil) throws -> PushOutcome {
        let shown = progress?.isEnabled == true
        var arguments = push.options + ["push"]
        if push.setUpstream {
            arguments += [shown ? "--progress" : "--quiet", "--set-upstream"]
        } else {
            arguments += (push.quiet ? ["--quiet"] : []) + ["--no-verify", "--porcelain"] + (push.atomic ? ["--atomic"] : [])
                + (shown ? ["--progress"] : [])
        }
        arguments += [remote] + push.arguments
        return PushOutcome(try cli.attempt(arguments, progress: progress))
    }

    /// The refs of `remote` matching `patterns` (`git ls-remote`), by name.
    /// - Throws: `GitRemoteError` when the remote cannot be asked.
    public func listRemote(_ remote: String = Git.remote, heads: Bool = false, _ patterns: [String] = []) throws -> [String: String] {
        let listed = try cli.attempt(["ls-remote"] + (heads ? ["--heads"] : []) + [remote] + patterns)
        guard listed.succeeded else { throw GitRemoteError(failure: listed) }
        var refs: [String: String] = [:]
        for line in listed.output.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 2 { refs[String(fields[1])] = String(fields[0]) }
        }
        return refs
    }

    /// Clones `url`'s `branch` into `target` without checking anything out.
    public func clone(_ url: String, into target: String, branch: String, origin: String = Git.remote,
                      progress: ProgressReporter) throws {
        let clone = try cli.attempt(["clone", progress.isEnabled ? "--progress" : "--quiet", "--no-checkout", "--origin", origin,
                                     "--branch", branch, url, target], progress: progress)
        guard clone.succeeded else { throw GitCommandError(arguments: ["clone", url], result: clone) }
    }
}
