#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the SessionStart hook decides for a session a plain `claude` opens on this machine (may this
/// Claude work on it, and is this machine's copy the latest?), and the lock claim that completes a "yes".
///
/// One fetch decides, and it is the only round trip Claude waits for: the branch and this session's
/// lock (a refspec narrowed to the one lock, so it costs what a plain `git fetch` costs). Another
/// machine's live lock refuses the run; new lines of this session on the remote make it stale (they are
/// pulled into Claude's store, and the run that loaded the old copy is ended); otherwise Claude goes on
/// at once and the session's keeper takes the lock right after (`claim`), with the same compare-and-swap
/// as `resume` plus a lease on the branch as this fetch saw it. A claim that loses the race (another
/// machine locked or changed the session in between) turns the run into a refused or stale one after
/// all, with the same consequences: Claude is ended and nothing it wrote reaches the remote.
public struct ClaudeSessionStart: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The lock is free and the copy the latest as of `tip` (the remote branch as fetched, nil when
        /// the remote has none yet): Claude goes on, the keeper claims the lock.
        case free(tip: String?)
        /// This machine holds the session's live lock already (another Claude here, or `resume`).
        case locked
        /// Another machine's live lock.
        case heldByOther(LockRecord)
        /// The remote had new lines of the session; they are in Claude's store now.
        case stale
        /// The project is not synced (outside the synced directories): nothing to do.
        case notSynced
        /// No remote is configured: there is nobody to lock against.
        case noRemote
    }

    /// How a claim ended (errors, such as an unreachable remote, are thrown).
    public enum Claim: Sendable, Equatable {
        case locked
        case heldByOther(LockRecord)
        /// The remote changed the session after SessionStart judged the copy fresh.
        case stale
    }

    public let copy: WorkingCopy
    public var progress: @Sendable (String) -> Void = { _ in }

    public init(copy: WorkingCopy) {
        self.copy = copy
    }

    /// - Parameter cwd: the session's working directory (the hook's `cwd`), to tell whether its project
    ///   is synced; nil when unknown (then it is treated as synced).
    public func decide(session: String, cwd: String?) throws -> Outcome {
        let sync = RemoteSync(copy: copy)
        if let cwd, cwd.hasPrefix("/"), try !isSynced(cwd: cwd) { return .notSynced }
        guard try sync.hasRemote() else { return .noRemote }
        let manager = try copy.lockManager()
        progress("fetching \(WorkingCopy.remote)")
        try fetch(session, sync: sync)
        progress("fetched")
        if let other = try sync.lockedByOthers(manager)[session] { return .heldByOther(other) }
        if try hasNewLines(session, sync: sync) {
            progress("pulling the new lines of \(session.prefix(8))")
            _ = try sync.pull()
            return .stale
        }
        if let mirrored = try manager.mirrored()[session], mirrored.record.isHeld(by: copy.machine),
           !mirrored.record.isFree(at: Date()), try manager.held()[session] == mirrored.commit {
            return .locked
        }
        return .free(tip: try sync.revParse(sync.remoteRef))
    }

    /// Takes the lock for a run SessionStart let go on (`decide` said `.free(tip: judged)`). The first
    /// try needs no fetch: one atomic push of the lock with leases on the lock as last fetched and on
    /// the branch as `judged` (so it lands only if nobody locked or pushed anything since). When a lease
    /// fails, one fetch tells why: another machine's live lock, or new lines of this session since
    /// `judged`, end the run; a branch that moved for other sessions only is tried again.
    public func claim(session: String, judged: String?, ttl: TimeInterval) throws -> Claim {
        let sync = RemoteSync(copy: copy)
        let manager = copy.lockManager(ttl: ttl)
        var tip = judged
        for attempt in 0..<3 {
            if attempt > 0 || judged == nil {
                try fetch(session, sync: sync)
                if let other = try sync.lockedByOthers(manager)[session] { return .heldByOther(other) }
                tip = try sync.revParse(sync.remoteRef)
                if let tip, try changed(session, from: judged, to: tip) { return .stale }
            }
            guard let tip else { return try claimWithoutBranch(session, manager: manager, sync: sync) }
            guard let prepared = try manager.prepareAcquire(session, branch: RemoteSync.branchRef, tip: tip) else {
                if let other = try manager.mirrored()[session] { return .heldByOther(other.record) }
                continue
            }
            progress("taking the lock")
            if try LockManager.pushPrepared(prepared, git: manager.git) {
                _ = try manager.finishAcquire(prepared)
                return .locked
            }
        }
        throw LockError.keptChanging(session: session)
    }

    /// The remote has no branch yet, so there is no tip to lease: the lock alone, then one more look,
    /// in case a first push of this session landed meanwhile (then the lock goes again).
    func claimWithoutBranch(_ session: String, manager: LockManager, sync: RemoteSync) throws -> Claim {
        do {
            try manager.acquire(session, takeover: .expiredOnly, mirrorIsFresh: true)
        } catch LockError.heldByOther(let record) {
            return .heldByOther(record)
        }
        try fetch(session, sync: sync)
        if let tip = try sync.revParse(sync.remoteRef), try changed(session, from: nil, to: tip) {
            try? manager.release(session)
            return .stale
        }
        return .locked
    }

    /// The branch and this session's lock in one round trip, with a lock refspec that matches only this
    /// session (a pattern, so a missing lock is no error and `--prune` drops a deleted one).
    func fetch(_ session: String, sync: RemoteSync) throws {
        do {
            try sync.git.fetch(["+refs/heads/*:refs/remotes/\(WorkingCopy.remote)/*",
                                "+\(LockManager.remotePrefix)\(session)*:\(LockManager.mirrorPrefix)\(session)*"],
                               prune: true)
        } catch let error as GitRemoteError {
            throw SyncError.remoteUnreachable(WorkingCopy.remote, detail: error)
        }
    }

    /// Whether the remote branch (as just fetched) changed this session since it and HEAD parted.
    func hasNewLines(_ session: String, sync: RemoteSync) throws -> Bool {
        guard let remote = try sync.revParse(sync.remoteRef) else { return false }
        let head = try sync.revParse("HEAD")
        if let head, try copy.git.isAncestor(remote, of: head) || remote == head { return false }
        let base = head == nil ? nil : try copy.git.mergeBase("HEAD", sync.remoteRef)
        return try changed(session, from: base, to: remote)
    }

    /// Whether `session`'s files differ between two commits (`from` nil: whether `to` has them at all).
    func changed(_ session: String, from: String?, to: String) throws -> Bool {
        if from == to { return false }
        let paths = try copy.git.changedPaths(from: from, to: to, under: ["projects"])
        progress("\(paths.count) paths changed on \(WorkingCopy.remote) since \(from?.prefix(8) ?? "the start")")
        return paths.contains { StoreFileKind.sessionID(ofRepositoryPath: $0) == session }
    }

    func isSynced(cwd: String) throws -> Bool {
        let config = try copy.sharedConfig()
        let portable = String(decoding: try copy.translator(config: config).clean(Array(cwd.utf8)), as: UTF8.self)
        return WorkingCopy.isUnder(portable, anyOf: copy.syncDirectories(config: config))
    }
}
