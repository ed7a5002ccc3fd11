#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the SessionStart hook decides for a session a plain `claude` opens on this machine: may this
/// Claude work on it, and is this machine's copy the latest?
///
/// Cheapest first: one push that takes the lock with a lease on the remote branch as last fetched
/// (`LockManager.acquireIfCurrent`, as `resume` does). If it lands, the remote has nothing this working
/// copy lacks and no other machine holds the session: done in one round trip. Otherwise one fetch of
/// the branch and every lock decides: another machine's live lock refuses the run; new lines of this
/// session on the remote make it stale (they are pulled into Claude's store, and the run that loaded the
/// old copy is ended); anything else takes the lock the ordinary way.
public struct ClaudeSessionStart: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// This machine holds the lock; `fetched` tells whether the slow path (a fetch) was needed.
        case locked(fetched: Bool)
        /// Another machine's live lock.
        case heldByOther(LockRecord)
        /// The remote had new lines of the session; they are in Claude's store now.
        case stale
        /// The project is not synced (outside the synced directories): nothing to do.
        case notSynced
        /// No remote is configured: there is nobody to lock against.
        case noRemote
    }

    public let copy: WorkingCopy
    public var progress: @Sendable (String) -> Void = { _ in }

    public init(copy: WorkingCopy) {
        self.copy = copy
    }

    /// - Parameter cwd: the session's working directory (the hook's `cwd`), to tell whether its project
    ///   is synced; nil when unknown (then it is treated as synced).
    public func decide(session: String, cwd: String?) throws -> Outcome {
        let sync = Synchronizer(copy: copy)
        if let cwd, cwd.hasPrefix("/"), try !isSynced(cwd: cwd) { return .notSynced }
        guard try sync.hasRemote() else { return .noRemote }
        let manager = try copy.lockManager()
        if let tip = try sync.fetchedTipInHead(),
           let prepared = try manager.prepareAcquire(session, branch: Synchronizer.branchRef, tip: tip) {
            progress("taking the lock")
            if try LockManager.pushPrepared(prepared, git: manager.git) {
                _ = try manager.finishAcquire(prepared)
                return .locked(fetched: false)
            }
        }
        progress("fetching \(WorkingCopy.remote)")
        try sync.fetch()
        if let other = try sync.lockedByOthers(manager)[session] { return .heldByOther(other) }
        if try hasNewLines(session, sync: sync) {
            progress("pulling the new lines of \(session.prefix(8))")
            _ = try sync.pull()
            return .stale
        }
        do {
            try manager.acquire(session, takeover: .expiredOnly, mirrorIsFresh: true)
        } catch LockError.heldByOther(let record) {
            return .heldByOther(record)
        }
        return .locked(fetched: true)
    }

    /// Whether the remote branch (as just fetched) changed this session since it and HEAD parted.
    func hasNewLines(_ session: String, sync: Synchronizer) throws -> Bool {
        guard let remote = try sync.revParse(sync.remoteRef) else { return false }
        let head = try sync.revParse("HEAD")
        if let head, try copy.repository.isAncestor(remote, of: head) || remote == head { return false }
        let base = head == nil ? nil : try copy.repository.mergeBase("HEAD", sync.remoteRef)
        let changed = try copy.repository.changedPaths(from: base, to: remote, under: ["projects"])
        progress("\(changed.count) paths changed on \(WorkingCopy.remote) since \(base?.prefix(8) ?? "the start")")
        return changed.contains { path in
            path.split(separator: "/").dropFirst(2).first.map { StoreFileKind.sessionName(ofEntry: $0) == session } ?? false
        }
    }

    func isSynced(cwd: String) throws -> Bool {
        let config = try copy.sharedConfig()
        let portable = String(decoding: try copy.translator(config: config).clean(Array(cwd.utf8)), as: UTF8.self)
        return WorkingCopy.isUnder(portable, anyOf: copy.syncDirectories(config: config))
    }
}
