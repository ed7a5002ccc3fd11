#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `git ccsync push` and `git ccsync pull` against the remote: `StoreTransfer` (Claude's store ⇄ work
/// tree) plus git's commit, fetch, merge and push, all through `Git`.
///
/// Never `reset --hard`, never a force push: a push that loses the race fetches, merges (session logs
/// by record, through the `ccsync-jsonl` driver) and tries again. Our own merges run with
/// `GIT_CCSYNC_INTERNAL=1`, which the hooks read as "git-ccsync is already syncing".
public struct RemoteSync {
    public let copy: WorkingCopy
    public var includeAll = false
    /// Push even when the commits add lines that look like secrets.
    public var allowSecrets = false
    /// Paths staged with every commit besides what sync wrote (`.ccsync` after a config change).
    public var alwaysStage: [String] = []
    public var progress: (String) -> Void = { _ in }
    /// Counts and percentages of the long stages (sessions collected, files staged, git's packing and
    /// sending), for a terminal; silent unless the caller provides a sink.
    public var meter = ProgressReporter.silent
    /// Finer steps than `progress`, for timing (`GIT_CCSYNC_TRACE`); never shown otherwise.
    public var trace: (String) -> Void = { _ in }

    /// Findings of what staging scanned as it wrote a pack (a first sync), for the secret guard.
    let scannedBlobs = ScannedBlobs()

    public static let maxPushAttempts = 4
    public static let internalEnvironment = Git.internalEnvironment

    public init(copy: WorkingCopy) {
        self.copy = copy
    }

    /// git as our own steps run it: hooks know git-ccsync is already syncing, no hooks run (what they
    /// would do, sync-out, lock and secret checks, is done by us, in place) and no automatic maintenance.
    var git: Git { copy.git.ownSteps }
    var remoteRef: String { "refs/remotes/\(WorkingCopy.remote)/\(WorkingCopy.branch)" }
    var lockPath: String { copy.gitDirectory + "/ccsync/sync.lock" }

    public struct PushResult {
        /// Files kept out of the commit because they exceed `ccsync.maxFileSize`: path, size, limit.
        public var tooLarge: [(path: String, size: Int64, limit: Int64)] = []
        /// Sessions with local changes left out because another machine holds their locks.
        public var lockedOut: [LockRecord] = []
        /// Our locks that another machine took over meanwhile.
        public var lostLocks: [String] = []
        public var syncIn = SyncReport()
        public var syncOut = SyncReport()
        public var committed = false
        public var pushed = false
        public var upToDate = false
        public var attempts = 0
        public var hasRemote = true
        /// Sessions in the commits this push sent.
        public var pushedSessions: [String] = []
        /// Machines that may not see the sessions kept in parts (`OlderMachines`), one line each; only
        /// when that changed since the last push told.
        public var olderMachines: [String] = []
    }

    public struct PullResult {
        public var syncIn = SyncReport()
        public var syncOut = SyncReport()
        /// Files the merge brought in (paths in the working copy).
        public var incoming: [String] = []
        public var hasRemote = true
    }

    func engine() throws -> StoreTransfer {
        var engine = try StoreTransfer(copy: copy, config: try copy.sharedConfig())
        engine.includeAll = includeAll
        engine.meter = meter
        return engine
    }

    // MARK: push

    /// - Parameter onlySessions: sync in only these sessions (resume's backups); nil for all.
    public func push(dryRun: Bool = false, onlySessions: Set<String>? = nil) throws -> PushResult {
        let lock = try FileLock(path: lockPath)
        defer { withExtendedLifetime(lock) {} }
        try clearMergeLeftovers()
        // Runs of Claude that must publish nothing (see the Claude Code hooks) first.
        let disposable = try settleClaudeRuns()
        var result = PushResult()
        var engine = try self.engine()
        let remote = try hasRemote()
        let locks = try copy.lockManager()
        // This machine's record names the version that pushes from it (once per upgrade).
        let record = dryRun ? nil : try machineRecordToStage()
        if remote, !dryRun, record == nil, try nothingToPush(&engine, onlySessions: onlySessions) {
            // Nothing new in the store, nothing staged, nothing committed since the last push: the
            // remote has all of it already, so no round trip at all.
            result.upToDate = true
            result.olderMachines = olderMachinesNews()
            return result
        }
        // One fetch brings the branch and the locks; offline, local work is still committed below and
        // the fetch's own error is reported after that.
        var fetchError: Error?
        if remote {
            progress("fetching \(WorkingCopy.remote)")
            do { try fetch() } catch { fetchError = error }
        }
        let lockedByOthers = try self.lockedByOthers(locks)
        progress("collecting sessions from \(copy.store.root)")
        if !lockedByOthers.isEmpty {
            // Only to name what stays out: a dry run sees the locked sessions' changes too.
            let pending = try engine.syncIn(dryRun: true, onlySessions: onlySessions)
            result.lockedOut = pending.sessionIDs.compactMap { lockedByOthers[$0] }
        }
        let excluded = Set(lockedByOthers.keys).union(disposable)
        result.syncIn = try engine.syncIn(dryRun: dryRun, onlySessions: onlySessions, excluding: excluded)
        if dryRun { return result }
        trace("synced in \(result.syncIn.changes.count) files")
        try engine.saveState()
        result.committed = try commitChanges(engine: &engine, excluding: excluded,
                                             heldBack: &result.tooLarge, also: record.map { [$0] } ?? [])
        if record != nil { try markers.setText(SyncMarkers.recordedVersion, CCSyncVersion.string) }
        guard remote else {
            result.hasRemote = false
            return result
        }
        if let fetchError { throw fetchError }
        while result.attempts < Self.maxPushAttempts {
            result.attempts += 1
            if result.attempts > 1 {
                progress("fetching \(WorkingCopy.remote)")
                try fetch()
            }
            let remoteBefore = try revParse(remoteRef)
            if try remoteBranchExists() {
                if try !isAncestor(remoteRef, of: "HEAD") {
                    progress("merging changes from other machines")
                    try merge(preferring: "ours")
                    let out = try engine.syncOut()
                    result.syncOut.changes += out.changes
                    result.syncOut.warnings += out.warnings
                    try engine.saveState()
                    _ = try commitChanges(engine: &engine)
                }
                if try revParse("HEAD") == revParse(remoteRef) {
                    result.upToDate = !result.committed
                    break
                }
            }
            if !allowSecrets {
                progress("checking for secrets")
                var secretGuard = SecretGuard(git: git)
                secretGuard.scanned = scannedBlobs.findings
                trace("\(scannedBlobs.findings.count) files were scanned as they were staged")
                var found = try secretGuard.findings(from: remoteBefore, to: "HEAD")
                if !found.isEmpty { found = try squashUnpushedSecrets(found, base: remoteBefore) }
                if !found.isEmpty { throw SecretsFound(findings: found) }
            }
            progress("pushing to \(WorkingCopy.remote)")
            // More than the host takes in one push goes as several, oldest commits first.
            let total = try revParse("HEAD").flatMap { try storedSize(of: $0, after: remoteBefore) }
            let stops = try pushStops(after: remoteBefore, total: total)
            let packing = try packOptions(after: remoteBefore, total: total)
            var push: PushOutcome?
            for (n, stop) in stops.enumerated() {
                if stops.count > 1 { progress("pushing part \(n + 1) of \(stops.count)") }
                // Our locks travel with the branch in one atomic push, each renewed under a lease on its
                // last value: if another machine took one over, nothing of this push lands.
                let guarded = try locks.renewals(lost: &result.lostLocks)
                // Without the pre-push hook: its checks (locks, secrets) are done here already, better.
                var request = Git.Push(["\(stop):refs/heads/\(WorkingCopy.branch)"] + guarded.refspecs, leases: guarded.leases,
                                       atomic: true)
                request.options = packing
                let outcome = try git.push(request, progress: meter)
                push = outcome
                guard outcome == .accepted else { break }
                try locks.commitRenewals(guarded)
            }
            guard let push else { break }
            switch push {
            case .accepted:
                result.pushed = true
                result.pushedSessions = try changedSessions(from: remoteBefore, to: "HEAD")
            case .staleLease:
                continue  // a lock moved between our read and the push: read the locks again
            case .refused(let error), .unreachable(let error):
                throw SyncError.remoteUnreachable(WorkingCopy.remote, detail: error)
            case .outOfDate(let lines):
                if result.attempts == Self.maxPushAttempts {
                    throw SyncError.pushRejected(attempts: result.attempts, detail: lines.joined(separator: "; "))
                }
                continue
            }
            break
        }
        try engine.saveState()
        try markers.record(.pushed)
        result.olderMachines = olderMachinesNews()
        return result
    }

    /// True when a push would send nothing: the store has no change since the last sync, sync wrote
    /// nothing uncommitted, and HEAD is what the remote had at the last fetch.
    func nothingToPush(_ engine: inout StoreTransfer, onlySessions: Set<String>?) throws -> Bool {
        guard engine.state.dirty?.isEmpty == true, alwaysStage.isEmpty,
              let head = try revParse("HEAD"), try revParse(remoteRef) == head else { return false }
        let pending = try engine.syncIn(dryRun: true, byStat: true, onlySessions: onlySessions)
        return pending.changes.isEmpty
    }

    // MARK: pull

    public func pull(dryRun: Bool = false, force: Bool = false) throws -> PullResult {
        let lock = try FileLock(path: lockPath)
        defer { withExtendedLifetime(lock) {} }
        try clearMergeLeftovers()
        let disposable = try settleClaudeRuns()
        var result = PullResult()
        let remote = try hasRemote()
        var fetchError: Error?
        if remote {
            progress("fetching \(WorkingCopy.remote)")
            do { try fetch() } catch { fetchError = error }
            trace("fetched")
        }
        let needsMerge = try remote && fetchError == nil && remoteBranchExists() && !isAncestor(remoteRef, of: "HEAD")
        // Made only when there is work for it: loading the state and the placeholders is most of what a
        // pull that finds nothing new would cost.
        var loaded: StoreTransfer?
        func engine() throws -> StoreTransfer {
            if let loaded { return loaded }
            let made = try self.engine()
            loaded = made
            return made
        }
        // Local work first goes into a commit, so the merge never meets uncommitted changes (and,
        // offline, it is at least committed). Sessions another machine has locked stay out of it, as in
        // push. With nothing to merge this is left to push: sync-out keeps the store's lines. (Skipping
        // it before a merge as well, and leaving the union to sync-out, lost lines in the crash suite.)
        let commitsFirst = !dryRun && (needsMerge || fetchError != nil || !remote)
        if commitsFirst {
            var engine = try engine()
            let locked = Set(try lockedByOthers(copy.lockManager(ttl: LockManager.defaultTTL)).keys)
                .union(disposable)
            result.syncIn = try engine.syncIn(excluding: locked)
            try engine.saveState()
            trace("synced in \(result.syncIn.changes.count) files")
            _ = try commitChanges(engine: &engine, excluding: locked)
            trace("local work committed")
            loaded = engine
        }
        if let fetchError { throw fetchError }
        result.hasRemote = remote
        let configBefore = needsMerge ? try? readFile(copy.configPath) : nil
        if needsMerge {
            result.incoming = try copy.git.changedPaths(from: copy.git.mergeBase("HEAD", remoteRef), to: remoteRef,
                                                               under: ["projects", "claude"])
            if dryRun { return result }
            progress("merging \(result.incoming.count) changed files")
            if try !fastForwardInProcess() { try merge(preferring: "theirs") }
            trace("merged")
        }
        if dryRun {
            if !remote {
                var engine = try engine()
                result.syncOut = try engine.syncOut(dryRun: true, force: force)
            }
            return result
        }
        // A merge that changed the shared config (a new placeholder, a machine's path) makes the engine
        // loaded before it stale: sync-out maps paths with the config it brought.
        if needsMerge, loaded != nil, (try? readFile(copy.configPath)) != configBefore { loaded = nil }
        result.syncOut = try syncOut(force: force, engine: loaded)
        trace("synced out \(result.syncOut.changes.count) files")
        try markers.record(.pulled)
        return result
    }

    var markers: SyncMarkers { SyncMarkers(gitDirectory: copy.gitDirectory) }

    /// What makes a complete sync-out of HEAD complete for later pulls too: the commit, and everything
    /// else that decides what sync-out writes where (machine, home, store, `--all`, the shared config as
    /// it is in the work tree).
    func syncOutKey() throws -> String? {
        guard let head = try revParse("HEAD") else { return nil }
        var bytes = Array("\(copy.machine)\n\(copy.home ?? "")\n\(copy.store.root)\n\(includeAll)\n".utf8)
        bytes += (try? readFile(copy.configPath)) ?? []
        return head + " " + Git.blobID(of: bytes)
    }

    /// Sync-out, skipped when the last complete one wrote this very commit under the same settings
    /// (a pull that brought nothing): the store already has all of it, and what Claude added there
    /// since is pushed by the next push.
    ///
    /// When the last complete one wrote an earlier commit under the same settings, only the files that
    /// differ between that commit and HEAD are looked at: everything else the store already has.
    func syncOut(force: Bool, engine loaded: StoreTransfer?) throws -> SyncReport {
        let key = try syncOutKey()
        let previous = markers.syncedOut
        if !force, let key, previous == key { return SyncReport() }
        var only: Set<String>?
        if !force, let key, let previous, let space = previous.firstIndex(of: " "),
           previous[space...] == key[(key.firstIndex(of: " ") ?? key.endIndex)...],
           let changed = try? copy.git.changedPaths(from: String(previous[..<space]), to: "HEAD",
                                                           under: ["projects", "claude"]) {
            only = Set(changed)
        }
        try markers.setSyncedOut(nil)
        var engine = try loaded ?? self.engine()
        progress("writing sessions into \(copy.store.root)")
        let report = try engine.syncOut(force: force, only: only)
        try engine.saveState()
        // Warnings (a placeholder this machine has no path for, a file that could not be written)
        // may be fixed without a new commit: then the next pull looks again.
        if report.warnings.isEmpty, let key { try markers.setSyncedOut(key) }
        return report
    }

    /// Writes HEAD into Claude's store (when the last sync-out did not already): what the post-merge,
    /// post-checkout and post-rewrite hooks do after a plain git command, and what resume does once it
    /// knows HEAD already has all of the remote.
    public func syncOutHead() throws -> SyncReport {
        let lock = try FileLock(path: lockPath)
        defer { withExtendedLifetime(lock) {} }
        let report = try syncOut(force: false, engine: nil)
        try markers.record(.pulled)
        return report
    }

    // MARK: git steps

    /// Session ids whose files differ between two commits (`from` nil: everything in `to`).
    func changedSessions(from: String?, to: String) throws -> [String] {
        var report = SyncReport()
        report.changes = try copy.git.changedPaths(from: from, to: to, under: ["projects"])
            .map { .init(repoPath: $0, action: .copied) }
        return report.sessionIDs
    }

    func hasRemote() throws -> Bool {
        try copy.config("remote.\(WorkingCopy.remote).url") != nil
    }

    /// Fetches the branch and every lock in one round trip (patterns, so an empty remote is no error);
    /// locks deleted on the remote disappear from the local mirror.
    func fetch() throws {
        do {
            try git.fetch(["+refs/heads/*:refs/remotes/\(WorkingCopy.remote)/*",
                           "+\(LockManager.remotePrefix)*:\(LockManager.mirrorPrefix)*"], prune: true, progress: meter)
        } catch let error as GitRemoteError {
            throw SyncError.remoteUnreachable(WorkingCopy.remote, detail: error)
        }
    }

    /// Live locks of other machines, as of the last fetch.
    func lockedByOthers(_ locks: LockManager) throws -> [String: LockRecord] {
        var result: [String: LockRecord] = [:]
        let now = Date()
        for (id, lock) in try locks.mirrored() where !lock.record.isHeld(by: copy.machine) && !lock.record.isFree(at: now) {
            result[id] = lock.record
        }
        return result
    }

    /// The remote branch as last fetched, when HEAD already contains it: then a lease on it tells in one
    /// round trip whether a pull would bring anything.
    public func fetchedTipInHead() throws -> String? {
        guard let tip = try revParse(remoteRef), let head = try revParse("HEAD"),
              try tip == head || copy.git.isAncestor(tip, of: head) else { return nil }
        return tip
    }

    public static var branchRef: String { "refs/heads/\(WorkingCopy.branch)" }

    func remoteBranchExists() throws -> Bool {
        try revParse(remoteRef) != nil
    }

    func revParse(_ rev: String) throws -> String? {
        try copy.git.resolve(rev)
    }

    func isAncestor(_ a: String, of b: String) throws -> Bool {
        guard let ancestor = try revParse(a), let commit = try revParse(b) else { return false }
        return try copy.git.isAncestor(ancestor, of: commit)
    }

    /// Merges the remote branch. Session logs merge by record through the driver; any other file that
    /// both sides changed takes `side`'s version (the other stays in history).
    func merge(preferring side: String) throws {
        let headExists = try revParse("HEAD") != nil
        if headExists { try recoverInterruptedMerge() }
        if !headExists {
            try git.resetIndex(to: remoteRef)
            try git.checkoutAll()
            return
        }
        // Marks the merge as ours until it is concluded, so that after a crash the next command knows
        // the merge it finds open is one it may undo (git writes MERGE_HEAD before MERGE_MSG).
        let marker = markers.mergingPath
        try FileSystem.makeDirectories(markers.directory)
        try FileSystem.writeAtomically(marker, Array(remoteRef.utf8))
        defer { _ = unlink(marker) }
        let merge = try git.merge(remoteRef, preferring: side,
                                  message: "ccsync: \(copy.machine): merge \(WorkingCopy.remote)/\(WorkingCopy.branch)")
        if merge.succeeded { return }
        let conflicted = try git.conflictedPaths()
        guard !conflicted.isEmpty else {
            throw SyncError.mergeFailed(Self.mergeRefusal(merge.text))
        }
        try git.resolve(conflicted, taking: side)
        try git.concludeMerge()
    }

    /// The largest file pushed: `git config ccsync.maxFileSize` (bytes), default 100 MB (GitHub's limit).
    /// Sessions over it go in parts; other files over it are held back.
    public func maxFileSize() throws -> Int64 {
        try copy.settings.maxFileSize()
    }

    /// The lock TTL: `git config ccsync.lockTtl` (seconds), default 10 minutes.
    public func lockTTL() throws -> TimeInterval { try copy.lockTTL() }

    /// Stages the synced folders and commits if anything changed. Returns whether a commit was made.
    /// Sessions in `excluding` (locked by another machine) are not staged.
    func commitChanges(engine: inout StoreTransfer, excluding: Set<String> = []) throws -> Bool {
        var ignored: [(path: String, size: Int64, limit: Int64)] = []
        return try commitChanges(engine: &engine, excluding: excluding, heldBack: &ignored)
    }

    /// Stages what sync wrote (the dirty folders; everything when that is unknown) and commits if
    /// anything changed. Returns whether a commit was made. Sessions in `excluding` (locked by another
    /// machine) are not staged, and their folders stay dirty for a later push. `also` is staged too,
    /// by git apart from the folders (this machine's record, after an upgrade), so that the folders still
    /// go through `stageInProcess`, which takes only them.
    func commitChanges(engine: inout StoreTransfer, excluding: Set<String> = [],
                       heldBack: inout [(path: String, size: Int64, limit: Int64)], also: [String] = []) throws -> Bool {
        let candidates = engine.state.dirty.map { Array($0) + alwaysStage }
            ?? ["projects", "claude", ".ccsync", ".gitattributes"]
        let paths = candidates.sorted().filter { FileSystem.exists(copy.root + "/" + $0) }
        /// Folders of files held back for their size: staged again by every later push, so that raising
        /// the limit (or the file shrinking, never) lets them through.
        var heldBackFolders = Set<String>()
        /// Called once the dirty folders are committed (or had nothing to commit): they need no staging
        /// again, except the folders of locked sessions and of held-back files. Not before: a failed
        /// `git add` or commit keeps them dirty, so the next command stages them instead of leaving them
        /// changed and unstaged.
        func markStaged() throws {
            var keep = heldBackFolders
            for folder in engine.state.dirty ?? [] where folder.hasPrefix("projects/") {
                if excluding.contains(where: { FileSystem.exists(copy.root + "/" + folder + "/" + $0 + ".jsonl")
                    || FileSystem.exists(copy.root + "/" + folder + "/" + $0 + SessionParts.folderSuffix) }) { keep.insert(folder) }
            }
            engine.state.dirty = keep
            try engine.saveState()
        }
        guard !paths.isEmpty || !also.isEmpty else {
            try markStaged()
            return false
        }
        let exclusions = excluding.sorted().flatMap {
            ["projects/*/\($0).jsonl", "projects/*/\($0)/**", "projects/*/\($0)\(SessionParts.folderSuffix)/**"]
        }
        trace("staging \(paths.count) folders")
        if !paths.isEmpty, try !stageInProcess(paths, excluding: excluding) {
            try git.add(paths, all: true, excluding: exclusions)
        }
        if !also.isEmpty { try git.add(also) }
        trace("staged")
        // What is staged, read from the index in process (HEAD may not exist yet in a new repository).
        var staged = try copy.git.changedPaths(from: try revParse("HEAD"), to: nil)
        if staged.isEmpty {
            try markStaged()
            return false
        }
        // Hosts refuse big files (GitHub: 100 MB) and would reject the whole push: keep those back.
        let limit = try maxFileSize()
        let oversized = staged.compactMap { path -> (String, Int64)? in
            guard let size = FileStat(path: copy.root + "/" + path)?.size, size > limit else { return nil }
            return (path, size)
        }
        if !oversized.isEmpty {
            try git.unstage(oversized.map(\.0))
            heldBack += oversized.map { ($0.0, $0.1, limit) }
            for (path, _) in oversized {
                let parts = path.split(separator: "/")
                heldBackFolders.insert(parts.first == "projects" && parts.count >= 2 ? "projects/\(parts[1])" : String(parts.first ?? ""))
            }
            staged.removeAll { path in oversized.contains { $0.0 == path } }
            if staged.isEmpty {
                try markStaged()
                return false
            }
        }
        // More than one push may carry: commits of parts first, this one the last part.
        let parts = try commitInParts(staged: staged)
        if let parts { staged = parts.rest }
        var changed = SyncReport()
        changed.changes = staged.map { .init(repoPath: $0, action: .copied) }
        let committer = try self.committer()
        let message = commitMessage(sessions: changed.sessionIDs, files: staged.count)
        _ = try copy.git.commitIndex(message: parts.map { Self.labelled(message, $0.label) } ?? message,
                                            name: committer.name, email: committer.email)
        try markStaged()
        trace("committed")
        return true
    }

    /// A sync commit's message: the machine and the sessions changed, with the `CCSync-Machine:` trailer.
    func commitMessage(sessions: [String], files: Int) -> String {
        var message = "ccsync: \(copy.machine): "
        message += sessions.isEmpty ? "update \(files) file\(files == 1 ? "" : "s")"
                                    : "\(sessions.count) session\(sessions.count == 1 ? "" : "s")"
        message += "\n\n"
        for id in sessions.prefix(50) { message += "- \(id)\n" }
        if sessions.count > 50 { message += "- and \(sessions.count - 50) more\n" }
        return message + (sessions.isEmpty ? "" : "\n") + "CCSync-Machine: \(copy.machine)\n"
    }

    /// Who our commits are by: git's `user.name` / `user.email`, else the machine.
    func committer() throws -> (name: String, email: String) {
        (try copy.config("user.name") ?? "git-ccsync (\(copy.machine))",
         try copy.config("user.email") ?? "\(copy.machine.rawValue)@git-ccsync.invalid")
    }

    /// Why git would not merge, for the error: the files in the way when it lists them (git prints
    /// them tab-indented between its explanation and "Please move or remove them"), else its last lines.
    static func mergeRefusal(_ text: String) -> String {
        let inTheWay = text.split(separator: "\n").filter { $0.hasPrefix("\t") }.map { $0.dropFirst() }
        guard !inTheWay.isEmpty else { return GitMessage.lastLines(text).joined(separator: "; ") }
        let kind = text.contains("untracked working tree files") ? "untracked files" : "local changes"
        let listed = inTheWay.prefix(5).joined(separator: ", ") + (inTheWay.count > 5 ? " and \(inTheWay.count - 5) more" : "")
        return "\(kind) in the working copy would be overwritten: \(listed); move them away or commit them"
    }
}
