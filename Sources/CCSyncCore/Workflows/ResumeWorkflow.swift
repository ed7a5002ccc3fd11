/// `git ccsync resume`: choose a session, lock it so that no other machine writes it, run Claude on it
/// here with the lock kept alive and backups pushed, then push and unlock (`ResumeWorkflow+Claude`).
public struct ResumeWorkflow {
    public struct Options: Sendable {
        /// A session id or a unique prefix of one; nil: `latest`, or the picker.
        public var session: String?
        /// The most recently changed session.
        public var latest = false
        /// Only sessions last changed by this machine id (as typed).
        public var from: String?
        /// Projects outside the synced directories too.
        public var all = false
        /// Take over a live lock of another machine without asking.
        public var force = false
        /// An absolute directory to run Claude in instead of the session's own.
        public var cwd: String?

        public init() {}
    }

    public let copy: WorkingCopy
    public let options: Options
    public let interaction: any ResumeInteraction
    /// Runs Claude (with the caller's environment).
    public let runner: ProcessRunner

    public init(copy: WorkingCopy, options: Options, interaction: any ResumeInteraction, runner: ProcessRunner) {
        self.copy = copy
        self.options = options
        self.interaction = interaction
        self.runner = runner
    }

    /// Chooses, locks and runs Claude; throws before Claude starts (nothing changed then), else tells
    /// how it ended. `ResumeCancelled` when the person cancelled the picker.
    public func run() throws -> ResumeOutcome {
        interaction.trace("repository open")
        var sync = RemoteSync(copy: copy)
        sync.includeAll = options.all
        sync.progress = { [interaction] in interaction.progress($0) }
        let manager = try copy.lockManager()
        interaction.trace("working copy open")
        if let (id, path) = try lockedWithoutPull(sync: sync, manager: manager) {
            return try runClaude(id: id, path: path, manager: manager)
        }
        var pulled = false
        do {
            interaction.pulled(try sync.pull())
            pulled = true
        } catch let error as SyncError {
            // Offline: the sessions already here can still be resumed; the lock step decides.
            let told = copy.explained(error, retry: "git ccsync pull")
            interaction.warn("pull failed, continuing with what is here: \((told as? RemoteFailure)?.summary ?? "\(told)")")
        }
        let (id, path) = try choose(manager: manager)
        try lock(id, manager: manager, mirrorIsFresh: pulled)
        return try runClaude(id: id, path: path, manager: manager)
    }

    /// The session to resume and its path in the repository.
    func choose(manager: LockManager) throws -> (id: String, path: String) {
        let catalog = try SessionCatalog(copy: copy)
        if let session = options.session, options.from == nil {
            // An id needs no summaries: directory listings find it among thousands of sessions.
            let located = catalog.locate()
            let id = try SessionIDResolver.resolve(session, among: located.map(\.id))
            return (id, located.first { $0.id == id }?.path ?? "")
        }
        var rows = try catalog.local()
        if !options.all { rows = rows.filter(\.synced) }
        if let from = options.from {
            let wanted = try MachineID(from, location: "--from")
            rows = rows.filter { $0.machine.flatMap { try? MachineID($0) } == wanted }
        }
        let id = try choose(among: rows, locks: (try? manager.mirrored()) ?? [:])
        return (id, rows.first { $0.id == id }?.path ?? "")
    }

    func choose(among rows: [SessionCatalog.Row], locks: [String: LockManager.Lock]) throws -> String {
        if let session = options.session { return try SessionIDResolver.resolve(session, among: rows.map(\.id)) }
        let none = WorkflowError("there are no sessions to resume (git ccsync list --all)")
        if options.latest {
            guard let first = rows.first else { throw none }
            return first.id
        }
        guard interaction.canPick else {
            throw WorkflowError("no session given and no terminal to pick one on (pass an id, a unique prefix, or --latest)")
        }
        guard !rows.isEmpty else { throw none }
        guard let picked = interaction.pick(rows, locks: locks) else { throw ResumeCancelled() }
        return picked
    }

    /// The lock: exactly one machine writes a conversation.
    func lock(_ id: String, manager: LockManager, mirrorIsFresh: Bool) throws {
        do {
            _ = try manager.acquire(id, takeover: options.force ? .always : .expiredOnly, mirrorIsFresh: mirrorIsFresh)
        } catch LockError.heldByOther(let record) {
            let question = "Session \(id.prefix(8)) is locked by \(record.holder) until \(LockRecord.format(record.expires)). Take it over? [y/N] "
            guard interaction.confirm(question) else { throw LockError.heldByOther(record) }
            _ = try manager.acquire(id, takeover: .always)
        } catch LockError.remote(let detail) {
            // The remote could not be reached or refused the lock: say which remote, and that
            // nothing happened yet.
            let failure = RemoteFailure(detail: detail, url: copy.remoteURL, retry: "git ccsync resume",
                                        advice: "Claude was not started and nothing changed; run "
                                            + "'git ccsync resume \(id.prefix(8))' when the remote works again")
            throw WorkflowError("cannot lock session \(id.prefix(8)): \(failure)")
        }
    }

    /// The quick way in, for a session named on the command line that is already here: take its lock
    /// with a lease on the remote branch as last fetched (`LockManager.acquireIfCurrent`). If that
    /// lands, the remote has nothing this working copy lacks and no other machine holds the session,
    /// so the pull is skipped (a fetch, a merge and a scan of the store) and Claude starts one round
    /// trip sooner. Anything else (a new commit on the remote, a lock, an ambiguous prefix, no remote,
    /// a remote error) returns nil and resume goes the ordinary way: pull, choose, lock.
    func lockedWithoutPull(sync: RemoteSync, manager: LockManager) throws -> (id: String, path: String)? {
        guard let session = options.session, options.from == nil, let tip = try sync.fetchedTipInHead() else { return nil }
        let id: String
        let path: String
        if StoreFileKind.isSessionID(session), session.utf8.count == 36,
           let prepared = try? manager.prepareAcquire(session, branch: RemoteSync.branchRef, tip: tip) {
            // A whole id: the round trip starts at once, and finding the session here overlaps it.
            interaction.trace("lock prepared")
            let git = manager.git
            let pushing = BackgroundTask { try LockManager.pushPrepared(prepared, git: git) }
            let located = try SessionCatalog(copy: copy).locate()
            interaction.trace("\(located.count) sessions located")
            guard (try? pushing.wait()) == true else { return nil }
            _ = try manager.finishAcquire(prepared)
            guard let found = located.first(where: { $0.id == session })?.path else {
                // Not a session of this repository after all (the remote has nothing we lack).
                try? manager.release(session)
                return nil
            }
            (id, path) = (session, found)
        } else {
            let located = try SessionCatalog(copy: copy).locate()
            interaction.trace("\(located.count) sessions located")
            guard let resolved = try? SessionIDResolver.resolve(session, among: located.map(\.id)),
                  let found = located.first(where: { $0.id == resolved })?.path,
                  (try? manager.acquireIfCurrent(resolved, branch: RemoteSync.branchRef, tip: tip)) != nil else { return nil }
            (id, path) = (resolved, found)
        }
        interaction.trace("locked \(id.prefix(8))")
        do {
            _ = try sync.syncOutHead()
        } catch {
            try? manager.release(id)
            throw error
        }
        return (id, path)
    }
}
