#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Per-session locks as refs on the remote, `refs/ccsync/locks/<session-id>`, each pointing at a small
/// commit whose message is a `LockRecord`.
///
/// Every change is a compare-and-swap push: `--force-with-lease=<ref>:<expected>` (empty = must not
/// exist), so of any number of machines racing for one lock the git server lets exactly one win. The
/// commit we last pushed for a lock is kept locally as `refs/ccsync/held/<id>`: it is our lease for
/// heartbeats, releases and the guarded push of the branch.
public struct LockManager {
    public static let remotePrefix = "refs/ccsync/locks/"
    public static let heldPrefix = "refs/ccsync/held/"
    public static let mirrorPrefix = "refs/ccsync/remote-locks/"
    public static var defaultTTL: TimeInterval { Settings.defaultLockTTL }

    /// Lock refs, lock commits and the round trips; in process (libgit2) where `Git` can, which for a
    /// working copy's git (`WorkingCopy.lockManager`) is every local step.
    public let git: Git
    public let machine: MachineID
    public var ttl: TimeInterval
    public var now: () -> Date = Date.init

    public init(git: Git, machine: MachineID, ttl: TimeInterval = LockManager.defaultTTL) {
        self.git = git.internal
        self.machine = machine
        self.ttl = ttl
    }

    public struct Lock: Sendable {
        public let record: LockRecord
        public let commit: String
    }

    // MARK: reading

    /// Every lock on the remote, fetched now (deleted locks disappear from the local mirror).
    public func fetchAll() throws -> [String: Lock] {
        do {
            try git.fetch(["+\(Self.remotePrefix)*:\(Self.mirrorPrefix)*"], prune: true)
        } catch let error as GitRemoteError {
            throw LockError.remote(error)
        }
        return try mirrored()
    }

    /// The locks as of the last fetch.
    public func mirrored() throws -> [String: Lock] {
        var locks: [String: Lock] = [:]
        for (ref, commit) in try git.references(under: Self.mirrorPrefix) {
            let id = String(ref.dropFirst(Self.mirrorPrefix.count))
            guard let record = LockRecord(message: try git.message(of: commit)), record.session == id else { continue }
            locks[id] = Lock(record: record, commit: commit)
        }
        return locks
    }

    /// Locks this machine believes it holds (its leases), by session id.
    public func held() throws -> [String: String] {
        var result: [String: String] = [:]
        for (ref, commit) in try git.references(under: Self.heldPrefix) {
            result[String(ref.dropFirst(Self.heldPrefix.count))] = commit
        }
        return result
    }

    // MARK: changing

    /// Whether a live lock of another machine is taken over (`resume --force`) or refused.
    public enum Takeover { case expiredOnly, always }

    /// Takes the lock for `session`. A live lock of another machine is taken over only with `.always`.
    /// - Parameter mirrorIsFresh: the lock refs were just fetched (a pull did it): the first attempt uses
    ///   the mirror as its lease instead of asking the remote again; a stale mirror only costs a retry,
    ///   since the push itself is the compare-and-swap.
    @discardableResult
    public func acquire(_ session: String, takeover: Takeover = .expiredOnly, mirrorIsFresh: Bool = false) throws -> Lock {
        for attempt in 0..<3 {
            let current = attempt == 0 && mirrorIsFresh ? try mirrored()[session] : try fetchOne(session)
            if let current, !current.record.isHeld(by: machine), !current.record.isFree(at: now()) {
                guard takeover == .always else { throw LockError.heldByOther(current.record) }
            }
            let record = LockRecord(session: session, holder: machine.rawValue, acquired: now(),
                                    expires: now().addingTimeInterval(ttl))
            let commit = try makeCommit(record)
            if try casPush(session, commit: commit, expected: current?.commit) {
                try updateRef(Self.heldPrefix + session, commit)
                try updateRef(Self.mirrorPrefix + session, commit)
                return Lock(record: record, commit: commit)
            }
            // Someone else moved the ref between our read and our push: look again.
        }
        if let current = try fetchOne(session) { throw LockError.heldByOther(current.record) }
        throw LockError.keptChanging(session: session)
    }

    /// Takes the lock in one round trip, together with a lease on the remote branch: the push lands only
    /// if the remote's `branch` is still `tip` (what the last fetch saw) and the lock is still what the
    /// local mirror says. Then this machine already has every commit of the remote and holds the lock, so
    /// resume needs no fetch at all. Returns nil when either has moved, or the lock is another machine's
    /// live lock: the caller then fetches and takes the lock the ordinary way.
    ///
    /// Why a lease on a ref the push leaves alone is enough: git checks leases against the refs the
    /// server advertises, read in name order, so lock refs (`refs/ccsync/…`) before `refs/heads/…`. A
    /// machine that finishes with a session pushes the branch first and releases the lock after; an
    /// advertisement without that lock was read after the release, so its branch is the new one, and
    /// our lease on the old tip fails.
    public func acquireIfCurrent(_ session: String, branch: String, tip: String) throws -> Lock? {
        guard let prepared = try prepareAcquire(session, branch: branch, tip: tip) else { return nil }
        guard try Self.pushPrepared(prepared, git: git) else { return nil }
        return try finishAcquire(prepared)
    }

    /// `acquireIfCurrent` in three steps, so that the round trip (the middle one, which needs no
    /// repository handle) can run on another thread while this one does other work.
    public struct PreparedLock: Sendable {
        public let session: String
        let record: LockRecord
        let commit: String
        let push: Git.Push
    }

    /// nil when the mirror shows another machine's live lock.
    public func prepareAcquire(_ session: String, branch: String, tip: String) throws -> PreparedLock? {
        let current = try mirrored()[session]
        if let current, !current.record.isHeld(by: machine), !current.record.isFree(at: now()) { return nil }
        let record = LockRecord(session: session, holder: machine.rawValue, acquired: now(),
                                expires: now().addingTimeInterval(ttl))
        let commit = try makeCommit(record)
        let ref = Self.remotePrefix + session
        var push = Git.Push(["\(tip):\(branch)", "\(commit):\(ref)"],
                            leases: [(branch, tip), (ref, current?.commit ?? "")], atomic: true)
        push.quiet = true
        return PreparedLock(session: session, record: record, commit: commit, push: push)
    }

    /// The push; false when a lease failed (the branch or the lock moved).
    public static func pushPrepared(_ prepared: PreparedLock, git: Git) throws -> Bool {
        try landed(git.internal.withoutRepository.push(prepared.push))
    }

    /// Records a landed lock as ours.
    public func finishAcquire(_ prepared: PreparedLock) throws -> Lock {
        try updateRef(Self.heldPrefix + prepared.session, prepared.commit)
        try updateRef(Self.mirrorPrefix + prepared.session, prepared.commit)
        return Lock(record: prepared.record, commit: prepared.commit)
    }

    /// Extends our lock's expiry; fails with `.lost` if another machine took it over.
    @discardableResult
    public func heartbeat(_ session: String) throws -> Lock {
        guard let ours = try held()[session] else { throw LockError.notHeld(session: session) }
        let record = LockRecord(session: session, holder: machine.rawValue, acquired: now(),
                                expires: now().addingTimeInterval(ttl))
        let commit = try makeCommit(record)
        guard try casPush(session, commit: commit, expected: ours) else {
            try? updateRef(Self.heldPrefix + session, nil)
            throw LockError.lost(session: session)
        }
        try updateRef(Self.heldPrefix + session, commit)
        try updateRef(Self.mirrorPrefix + session, commit)
        return Lock(record: record, commit: commit)
    }

    /// Deletes our lock on the remote (compare-and-swap on our lease) and forgets it.
    public func release(_ session: String) throws {
        guard let ours = try held()[session] else { throw LockError.notHeld(session: session) }
        let deleted = try casDelete(session, expected: ours)
        try updateRef(Self.heldPrefix + session, nil)
        if !deleted { throw LockError.lost(session: session) }
    }

    /// Deletes another machine's lock (or a stale one) as observed now.
    public func forceRelease(_ session: String) throws -> Bool {
        guard let current = try fetchOne(session) else { return false }
        let deleted = try casDelete(session, expected: current.commit)
        try? updateRef(Self.heldPrefix + session, nil)
        return deleted
    }

    /// Deletes every expired or released lock; returns the sessions whose locks went.
    public func cleanup() throws -> [String] {
        var removed: [String] = []
        for (id, lock) in try fetchAll() where lock.record.isFree(at: now()) {
            if try casDelete(id, expected: lock.commit) { removed.append(id) }
        }
        return removed.sorted()
    }

    public struct Renewals {
        /// `<commit>:<lock ref>` for each renewed lock.
        public var refspecs: [String] = []
        /// Each lock ref's lease: our last value.
        public var leases: [(ref: String, expected: String)] = []
        var commits: [String: String] = [:]
    }

    /// Renewed lock commits for every lock we hold, as push arguments (refspec plus lease on our last
    /// value) to send with a branch push (`git push --atomic`). Locks whose remote value is no longer our
    /// lease (taken over, or cleaned up) are forgotten and listed in `lost`. Uses the last `fetchAll`.
    public func renewals(lost: inout [String]) throws -> Renewals {
        let remote = try mirrored()
        var renewals = Renewals()
        for (id, ours) in try held().sorted(by: { $0.key < $1.key }) {
            guard remote[id]?.commit == ours else {
                try? updateRef(Self.heldPrefix + id, nil)
                lost.append(id)
                continue
            }
            let record = LockRecord(session: id, holder: machine.rawValue, acquired: remote[id]?.record.acquired ?? now(),
                                    expires: now().addingTimeInterval(ttl))
            let commit = try makeCommit(record)
            renewals.leases.append((Self.remotePrefix + id, ours))
            renewals.refspecs.append("\(commit):\(Self.remotePrefix)\(id)")
            renewals.commits[id] = commit
        }
        return renewals
    }

    /// Records renewed locks as ours after their push landed.
    public func commitRenewals(_ renewals: Renewals) throws {
        for (id, commit) in renewals.commits {
            try updateRef(Self.heldPrefix + id, commit)
            try updateRef(Self.mirrorPrefix + id, commit)
        }
    }

    // MARK: primitives

    /// Moves (or with nil deletes) a local ref.
    func updateRef(_ name: String, _ target: String?) throws {
        try git.setReference(name, to: target, log: "git-ccsync lock")
    }

    func fetchOne(_ session: String) throws -> Lock? {
        let ref = Self.remotePrefix + session
        let oid: String
        do {
            guard let listed = try git.listRemote(WorkingCopy.remote, [ref])[ref], !listed.isEmpty else {
                try? updateRef(Self.mirrorPrefix + session, nil)
                return nil
            }
            oid = listed
            try git.fetch(["+\(ref):\(Self.mirrorPrefix)\(session)"])
        } catch let error as GitRemoteError {
            throw LockError.remote(error)
        }
        let message = try git.message(of: oid)
        guard let record = LockRecord(message: message) else {
            // Not a lock we understand: treat as held by an unknown machine forever (never trample it).
            return Lock(record: LockRecord(session: session, holder: "unknown", acquired: .distantPast, expires: .distantFuture),
                        commit: oid)
        }
        return Lock(record: record, commit: oid)
    }

    func makeCommit(_ record: LockRecord) throws -> String {
        try git.emptyCommit(message: record.message, author: "git-ccsync (\(machine))", email: "\(machine.rawValue)@git-ccsync.invalid")
    }

    func casPush(_ session: String, commit: String, expected: String?) throws -> Bool {
        let ref = Self.remotePrefix + session
        var push = Git.Push(["\(commit):\(ref)"], leases: [(ref, expected ?? "")])
        push.quiet = true
        return try Self.landed(git.push(push))
    }

    func casDelete(_ session: String, expected: String) throws -> Bool {
        let ref = Self.remotePrefix + session
        var push = Git.Push([":\(ref)"], leases: [(ref, expected)])
        push.quiet = true
        guard try Self.landed(git.push(push)) else { return false }
        try? updateRef(Self.mirrorPrefix + session, nil)
        return true
    }

    /// A compare-and-swap push's result: true when it landed, false when it lost the race (a lease
    /// failed or the ref moved); a refusal or an unreachable remote is an error, since retrying cannot win.
    static func landed(_ outcome: PushOutcome) throws -> Bool {
        switch outcome {
        case .accepted: return true
        case .staleLease, .outOfDate: return false
        case .refused(let error), .unreachable(let error): throw LockError.remote(error)
        }
    }
}
