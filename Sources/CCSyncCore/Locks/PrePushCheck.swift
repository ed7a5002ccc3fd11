#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The pre-push hook's lock check for a plain `git push` in the working copy.
///
/// git runs `pre-push <remote-name> <remote-url>` and writes one line per ref to push on its stdin:
/// ```
/// <local ref> SP <local sha> SP <remote ref> SP <remote sha> LF
/// ```
/// A deletion has an all-zero local sha; a new remote ref has an all-zero remote sha. Every session
/// changed by the commits being pushed to a branch is checked against the remote's locks: a live lock
/// of another machine refuses the push. (`git ccsync push` guards itself with an atomic push instead;
/// `GIT_CCSYNC_SKIP_LOCKS=1` or `--no-verify` skip this advisory check.)
public struct PrePushCheck {
    public struct RefUpdate: Equatable, Sendable {
        public let localRef: String
        public let localSHA: String
        public let remoteRef: String
        public let remoteSHA: String
    }

    public let git: Git
    public let locks: LockManager

    public init(git: Git, locks: LockManager) {
        self.git = git
        self.locks = locks
    }

    public static func parse(_ input: String) -> [RefUpdate] {
        input.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count == 4 else { return nil }
            return RefUpdate(localRef: String(f[0]), localSHA: String(f[1]), remoteRef: String(f[2]), remoteSHA: String(f[3]))
        }
    }

    static func isZero(_ sha: String) -> Bool { !sha.isEmpty && sha.allSatisfy { $0 == "0" } }

    /// The commits a ref update sends, as `git log` arguments. When the remote's value is new or not
    /// known here (another machine pushed since our last fetch; git will refuse the push as
    /// non-fast-forward anyway), everything not yet on a remote-tracking branch.
    public static func range(_ update: RefUpdate, remoteName: String, git: Git) throws -> [String] {
        if !isZero(update.remoteSHA), try git.exists(update.remoteSHA + "^{commit}") {
            return ["\(update.remoteSHA)..\(update.localSHA)"]
        }
        return [update.localSHA, "--not", "--remotes=\(remoteName)"]
    }

    /// Sessions changed by the pushed commits of branch updates (deletions and non-branch refs skipped).
    public func changedSessions(_ updates: [RefUpdate], remoteName: String) throws -> Set<String> {
        var sessions = Set<String>()
        for update in updates where update.remoteRef.hasPrefix("refs/heads/") && !Self.isZero(update.localSHA) {
            let range = try Self.range(update, remoteName: remoteName, git: git)
            var report = SyncReport()
            report.changes = try git.changedPaths(range: range, under: ["projects"]).map { .init(repoPath: $0, action: .copied) }
            sessions.formUnion(report.sessionIDs)
        }
        return sessions
    }

    /// The live locks of other machines on sessions this push changes.
    public func violations(_ updates: [RefUpdate], remoteName: String, now: Date = Date()) throws -> [LockRecord] {
        let changed = try changedSessions(updates, remoteName: remoteName)
        guard !changed.isEmpty else { return [] }
        let remote = try locks.fetchAll()
        return changed.sorted().compactMap { id in
            guard let lock = remote[id], !lock.record.isHeld(by: locks.machine), !lock.record.isFree(at: now) else { return nil }
            return lock.record
        }
    }
}
