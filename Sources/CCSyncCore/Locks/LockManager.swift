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
    public static let defaultTTL: TimeInterval = 600

    public let git: GitCLI
    public let machine: MachineID
    /// Reads the mirrored lock refs in process when given.
    public let repository: GitRepository?
    public var ttl: TimeInterval
    public var now: () -> Date = Date.init

    public init(git: GitCLI, machine: MachineID, ttl: TimeInterval = LockManager.defaultTTL,
                repository: GitRepository? = nil) {
        self.git = git.with(environment: [Synchronizer.internalEnvironment: "1"])
        self.repository = repository
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
        let fetch = try git.attempt(["fetch", "--quiet", "--prune", "--no-tags", WorkingCopy.remote,
                                     "+\(Self.remotePrefix)*:\(Self.mirrorPrefix)*"])
        guard fetch.succeeded else { throw LockError.remote(Synchronizer.lastLines(fetch.errorOutput)) }
        return try mirrored()
    }

    /// The locks as of the last fetch.
    public func mirrored() throws -> [String: Lock] {
        if let repository {
            var locks: [String: Lock] = [:]
            for (ref, commit) in try repository.references(under: Self.mirrorPrefix) {
                let id = String(ref.dropFirst(Self.mirrorPrefix.count))
                guard let record = LockRecord(message: try repository.commitMessage(commit)), record.session == id else { continue }
                locks[id] = Lock(record: record, commit: commit)
            }
            return locks
        }
        let out = try git.run(["for-each-ref", "--format=%(refname)%00%(objectname)%00%(contents)%1e", Self.mirrorPrefix]).output
        var locks: [String: Lock] = [:]
        for entry in out.split(separator: "\u{1E}") {
            let fields = entry.split(separator: "\0", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let ref = fields[0].trimmed
            let id = String(ref.dropFirst(Self.mirrorPrefix.count))
            guard let record = LockRecord(message: String(fields[2])), record.session == id else { continue }
            locks[id] = Lock(record: record, commit: String(fields[1]))
        }
        return locks
    }

    /// Locks this machine believes it holds (its leases), by session id.
    public func held() throws -> [String: String] {
        if let repository {
            var result: [String: String] = [:]
            for (ref, commit) in try repository.references(under: Self.heldPrefix) {
                result[String(ref.dropFirst(Self.heldPrefix.count))] = commit
            }
            return result
        }
        let out = try git.run(["for-each-ref", "--format=%(refname) %(objectname)", Self.heldPrefix]).output
        var result: [String: String] = [:]
        for line in out.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { continue }
            result[String(parts[0].dropFirst(Self.heldPrefix.count))] = String(parts[1])
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
        throw LockError.remote("the lock on \(session.prefix(8)) kept changing")
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
        let arguments: [String]
    }

    /// nil when the mirror shows another machine's live lock.
    public func prepareAcquire(_ session: String, branch: String, tip: String) throws -> PreparedLock? {
        let current = try mirrored()[session]
        if let current, !current.record.isHeld(by: machine), !current.record.isFree(at: now()) { return nil }
        let record = LockRecord(session: session, holder: machine.rawValue, acquired: now(),
                                expires: now().addingTimeInterval(ttl))
        let commit = try makeCommit(record)
        let ref = Self.remotePrefix + session
        return PreparedLock(session: session, record: record, commit: commit,
                            arguments: ["push", "--quiet", "--no-verify", "--porcelain", "--atomic",
                                        "--force-with-lease=\(branch):\(tip)", "--force-with-lease=\(ref):\(current?.commit ?? "")",
                                        WorkingCopy.remote, "\(tip):\(branch)", "\(commit):\(ref)"])
    }

    /// The push; false when a lease failed (the branch or the lock moved).
    public static func pushPrepared(_ prepared: PreparedLock, git: GitCLI) throws -> Bool {
        let result = try git.with(environment: [Synchronizer.internalEnvironment: "1"]).attempt(prepared.arguments)
        guard result.succeeded else {
            if isLeaseFailure(result) || result.output.contains("atomic push failed") { return false }
            throw LockError.remote(Synchronizer.lastLines(result.errorOutput))
        }
        return true
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
        public var arguments: [String] = []
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
            renewals.arguments += ["--force-with-lease=\(Self.remotePrefix)\(id):\(ours)", "\(commit):\(Self.remotePrefix)\(id)"]
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

    /// Moves (or with nil deletes) a local ref: in process when we have the repository.
    func updateRef(_ name: String, _ target: String?) throws {
        if let repository {
            try repository.setReference(name, to: target, log: "git-ccsync lock")
        } else if let target {
            try git.run(["update-ref", name, target])
        } else {
            _ = try git.attempt(["update-ref", "-d", name])
        }
    }

    func fetchOne(_ session: String) throws -> Lock? {
        let ref = Self.remotePrefix + session
        let listed = try git.attempt(["ls-remote", WorkingCopy.remote, ref])
        guard listed.succeeded else { throw LockError.remote(Synchronizer.lastLines(listed.errorOutput)) }
        guard let oid = listed.trimmed.split(separator: "\t").first.map(String.init), !oid.isEmpty else {
            try? updateRef(Self.mirrorPrefix + session, nil)
            return nil
        }
        let fetch = try git.attempt(["fetch", "--quiet", "--no-tags", WorkingCopy.remote, "+\(ref):\(Self.mirrorPrefix)\(session)"])
        guard fetch.succeeded else { throw LockError.remote(Synchronizer.lastLines(fetch.errorOutput)) }
        let message = try git.run(["log", "-1", "--format=%B", oid]).output
        guard let record = LockRecord(message: message) else {
            // Not a lock we understand: treat as held by an unknown machine forever (never trample it).
            return Lock(record: LockRecord(session: session, holder: "unknown", acquired: .distantPast, expires: .distantFuture),
                        commit: oid)
        }
        return Lock(record: record, commit: oid)
    }

    func makeCommit(_ record: LockRecord) throws -> String {
        if let repository {
            return try repository.createEmptyCommit(message: record.message, author: "git-ccsync (\(machine))",
                                                    email: "\(machine.rawValue)@git-ccsync.invalid")
        }
        let tree = try git.run(["hash-object", "-t", "tree", "-w", "--stdin"], input: []).trimmed
        return try git.run(["commit-tree", tree, "-F", "-"], input: Array(record.message.utf8)).trimmed
    }

    func casPush(_ session: String, commit: String, expected: String?) throws -> Bool {
        let ref = Self.remotePrefix + session
        let result = try git.attempt(["push", "--quiet", "--no-verify", "--porcelain",
                                      "--force-with-lease=\(ref):\(expected ?? "")", WorkingCopy.remote, "\(commit):\(ref)"])
        if result.succeeded { return true }
        if Self.isLeaseFailure(result) { return false }
        throw LockError.remote(Synchronizer.lastLines(result.errorOutput))
    }

    func casDelete(_ session: String, expected: String) throws -> Bool {
        let ref = Self.remotePrefix + session
        let result = try git.attempt(["push", "--quiet", "--no-verify", "--porcelain",
                                      "--force-with-lease=\(ref):\(expected)", WorkingCopy.remote, ":\(ref)"])
        if result.succeeded {
            try? updateRef(Self.mirrorPrefix + session, nil)
            return true
        }
        if Self.isLeaseFailure(result) { return false }
        throw LockError.remote(Synchronizer.lastLines(result.errorOutput))
    }

    static func isLeaseFailure(_ result: ProcessRunner.Result) -> Bool {
        let text = result.output + result.errorOutput
        // A server hook that turns the push down is no race: retrying cannot win, and the hook's own
        // message is what the user must see.
        if text.contains("hook declined") { return false }
        return text.contains("stale info") || text.contains("[rejected]") || text.contains("already exists")
            || text.contains("cannot lock ref") || text.contains("failed to update ref") || text.contains("[remote rejected]")
    }
}
