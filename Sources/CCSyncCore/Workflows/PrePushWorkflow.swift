/// What the pre-push hook checks of a plain `git push` from the working copy: no new line that looks
/// like a secret, and no session locked by another machine changed. `git ccsync push` checks the same
/// itself; this keeps a push by hand as safe.
public struct PrePushWorkflow {
    /// Why a push is refused.
    public enum Refusal: Error {
        /// New lines that look like secrets (`SecretsFound` tells them, with the way out).
        case secrets(SecretsFound)
        /// Sessions another machine holds the lock of, which the push changes.
        case locked([LockRecord])
    }

    public let copy: WorkingCopy
    /// The remote the push goes to (the hook's first argument).
    public let remoteName: String
    /// `GIT_CCSYNC_ALLOW_SECRETS=1`: the secret scan is skipped.
    public var allowSecrets = false
    /// `GIT_CCSYNC_SKIP_LOCKS=1`: the lock check is skipped.
    public var skipLocks = false

    public init(copy: WorkingCopy, remoteName: String?) {
        self.copy = copy
        self.remoteName = remoteName ?? WorkingCopy.remote
    }

    /// Checks the ref updates git hands the hook on stdin (`<local ref> <local sha> <remote ref> <remote
    /// sha>` per line); throws `Refusal` when the push must not go.
    public func check(_ input: String) throws {
        let updates = PrePushCheck.parse(input)
        if !allowSecrets {
            var found: [SecretGuard.Finding] = []
            for update in updates where update.remoteRef.hasPrefix("refs/heads/") && !update.localSHA.allSatisfy({ $0 == "0" }) {
                let range = try PrePushCheck.range(update, remoteName: remoteName, git: copy.git)
                found += try SecretGuard(git: copy.git.withoutRepository).findings(range: range)
            }
            if !found.isEmpty {
                throw Refusal.secrets(SecretsFound(findings: found, override: "GIT_CCSYNC_ALLOW_SECRETS=1 git push"))
            }
        }
        if skipLocks { return }
        let check = PrePushCheck(git: copy.git, locks: try copy.lockManager())
        let violations = try check.violations(updates, remoteName: remoteName)
        if !violations.isEmpty { throw Refusal.locked(violations) }
    }
}
