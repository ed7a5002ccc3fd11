import ArgumentParser
import CCSyncCore
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

extension GitCCSync {
    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume",
            abstract: "Pick a session, lock it, run Claude on it here, then push and unlock.",
            discussion: """
                Pulls, chooses the session (an id or unique prefix, --latest, or a picker on a terminal), \
                takes its lock so no other machine writes it, writes it into Claude's store, and runs \
                'claude --resume <id>' in the session's directory with the terminal handed over. While \
                Claude runs the lock is renewed every TTL/3 and the session is backed up every \
                ccsync.backupInterval seconds (default 300). When Claude exits: sync, commit, push, unlock, \
                and exit with Claude's exit status. If the push fails the commit and the lock are kept: \
                'git ccsync update' finishes the job.

                The Claude command is git config ccsync.claudeCommand, else $CCSYNC_CLAUDE, else 'claude'.
                """
        )

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Argument(help: "A session id or a unique prefix of one.")
        var session: String?

        @Flag(help: "Resume the most recently changed session.")
        var latest = false

        @Option(help: ArgumentHelp("Only sessions last changed by this machine.", valueName: "machine"))
        var from: String?

        @Flag(help: "Include projects outside the synced directories.")
        var all = false

        @Flag(help: "Take over a live lock of another machine without asking.")
        var force = false

        @Option(help: ArgumentHelp("Run Claude in this directory instead of the session's own.", valueName: "dir"))
        var cwd: String?

        func run() throws {
            let copy = try copyOptions.open()
            CLIContext.trace("repository open")
            var sync = Synchronizer(copy: copy)
            sync.includeAll = all
            sync.progress = CLIContext.progress
            let manager = try Lock.manager(copy)
            CLIContext.trace("working copy open")
            if let (id, path) = try lockedWithoutPull(sync: sync, copy: copy, manager: manager) {
                try runClaude(id: id, path: path, copy: copy, manager: manager)
                return
            }
            var pulled = false
            do {
                Pull.report(try sync.pull())
                pulled = true
            } catch let error as SyncError {
                // Offline: the sessions already here can still be resumed; the lock step decides.
                let told = copy.explained(error, retry: "git ccsync pull")
                CLIContext.warn("pull failed, continuing with what is here: \((told as? RemoteFailure)?.summary ?? "\(told)")")
            }
            let catalog = try SessionCatalog(copy: copy)
            let id: String
            let path: String
            if let session, from == nil {
                // An id needs no summaries: directory listings find it among thousands of sessions.
                let located = catalog.locate()
                id = try Resolve.session(session, among: located.map(\.id))
                path = located.first { $0.id == id }?.path ?? ""
            } else {
                var rows = try catalog.local()
                if !all { rows = rows.filter(\.synced) }
                if let from {
                    let wanted = try MachineID(from, location: "--from")
                    rows = rows.filter { $0.machine.flatMap { try? MachineID($0) } == wanted }
                }
                id = try choose(rows, locks: (try? manager.mirrored()) ?? [:])
                path = rows.first { $0.id == id }?.path ?? ""
            }

            // The lock: exactly one machine writes a conversation.
            do {
                try manager.acquire(id, takeover: force ? .always : .expiredOnly, mirrorIsFresh: pulled)
            } catch LockError.heldByOther(let record) {
                let question = "Session \(id.prefix(8)) is locked by \(record.holder) until \(LockRecord.format(record.expires)). Take it over? [y/N] "
                guard CLIContext.stdinIsTerminal, let answer = CLIContext.ask(question), answer.lowercased().hasPrefix("y") else {
                    throw LockError.heldByOther(record)
                }
                try manager.acquire(id, takeover: .always)
            } catch LockError.remote(let detail) where !detail.contains("kept changing") {
                // The remote could not be reached or refused the lock: say which remote, and that
                // nothing happened yet.
                let failure = RemoteFailure(detail: detail, url: copy.remoteURL, retry: "git ccsync resume",
                                            advice: "Claude was not started and nothing changed; run "
                                                + "'git ccsync resume \(id.prefix(8))' when the remote works again")
                throw CLIError(message: "cannot lock session \(id.prefix(8)): \(failure)")
            }
            try runClaude(id: id, path: path, copy: copy, manager: manager)
        }

        /// The quick way in, for a session named on the command line that is already here: take its lock
        /// with a lease on the remote branch as last fetched (`LockManager.acquireIfCurrent`). If that
        /// lands, the remote has nothing this working copy lacks and no other machine holds the session,
        /// so the pull is skipped (a fetch, a merge and a scan of the store) and Claude starts one round
        /// trip sooner. Anything else (a new commit on the remote, a lock, an ambiguous prefix, no remote,
        /// a remote error) returns nil and resume goes the ordinary way: pull, choose, lock.
        func lockedWithoutPull(sync: Synchronizer, copy: WorkingCopy,
                               manager: LockManager) throws -> (id: String, path: String)? {
            guard let session, from == nil, let tip = try sync.fetchedTipInHead() else { return nil }
            let id: String
            let path: String
            if StoreFileKind.isSessionID(session), session.utf8.count == 36,
               let prepared = try? manager.prepareAcquire(session, branch: Synchronizer.branchRef, tip: tip) {
                // A whole id: the round trip starts at once, and finding the session here overlaps it.
                CLIContext.trace("lock prepared")
                let git = manager.git
                let pushing = BackgroundTask { try LockManager.pushPrepared(prepared, git: git) }
                let located = try SessionCatalog(copy: copy).locate()
                CLIContext.trace("\(located.count) sessions located")
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
                CLIContext.trace("\(located.count) sessions located")
                guard let resolved = try? Resolve.session(session, among: located.map(\.id)),
                      let found = located.first(where: { $0.id == resolved })?.path,
                      (try? manager.acquireIfCurrent(resolved, branch: Synchronizer.branchRef, tip: tip)) != nil else { return nil }
                (id, path) = (resolved, found)
            }
            CLIContext.trace("locked \(id.prefix(8))")
            do {
                _ = try sync.syncOutHead()
            } catch {
                try? manager.release(id)
                throw error
            }
            return (id, path)
        }

        /// Steps 4 to 7: Claude in the session's directory with the lock kept alive and backups pushed;
        /// then sync, push and unlock.
        func runClaude(id: String, path: String, copy: WorkingCopy, manager: LockManager) throws {
            let directory = try workingDirectory(id: id, path: path, copy: copy)
            let command = try claudeCommand(copy)
            let ttl = manager.ttl
            let backupInterval = try backupSeconds(copy)
            var backupSync = Synchronizer(copy: copy)
            backupSync.includeAll = all
            let keeper = LockKeeper(
                heartbeatInterval: ttl / 3, backupInterval: backupInterval,
                heartbeat: { try manager.heartbeat(id) },
                backup: { _ = try backupSync.push(onlySessions: [id]) },
                report: { CLIContext.warn($0) })
            keeper.start()

            // Claude gets the terminal and the signals: we ignore ^C and ^\ while it runs.
            signal(SIGINT, SIG_IGN)
            signal(SIGQUIT, SIG_IGN)
            CLIContext.trace("starting Claude")
            let status: Int32
            do {
                // A plain command name or path runs directly; anything else (arguments, quoting) through
                // the shell, as git runs its configured commands.
                let plain = RepoLayout.shellQuoted(command) == command && !command.isEmpty
                // Claude's own hooks (git ccsync claude-hooks) leave this session to us.
                let runner = CLIContext.runner.with([ClaudeHookEntries.resumedEnvironment: id])
                status = try plain
                    ? runner.run(command, ["--resume", id], in: directory, output: .inherit).status
                    : runner.run("/bin/sh", ["-c", command + " \"$@\"", "claude", "--resume", id],
                                 in: directory, output: .inherit).status
            } catch {
                keeper.stop()
                try? manager.release(id)
                throw CLIError(message: "could not start Claude (\(command)): \(error) (set git config ccsync.claudeCommand)")
            }
            signal(SIGINT, SIG_DFL)
            signal(SIGQUIT, SIG_DFL)
            keeper.stop()

            let result: Synchronizer.PushResult
            do {
                result = try backupSync.push()
            } catch {
                let told = copy.explained(error, retry: "git ccsync update")
                writeStderr("git-ccsync: error: Claude exited, but pushing session \(id.prefix(8)) failed: "
                            + "\((told as? RemoteFailure)?.summary ?? "\(told)")\n"
                            + "git-ccsync: its lines are committed here and its lock is kept until it expires; "
                            + "run 'git ccsync update' when the remote is reachable\n")
                throw ExitCode(status == 0 ? 1 : status)
            }
            Push.report(result, machine: copy.machine)
            if let taker = result.lockedOut.first(where: { $0.session == id }) {
                // Another machine took the session over while Claude ran here: our new lines wait in
                // Claude's store (nothing is lost) and are merged in once that machine lets go.
                writeStderr("git-ccsync: error: \(taker.holder) took session \(id.prefix(8)) over while Claude ran here; "
                            + "the lines written here stay in Claude's store and are merged, not overwritten, by "
                            + "'git ccsync push' once \(taker.holder)'s lock ends (until \(LockRecord.format(taker.expires)))\n")
                throw ExitCode(status == 0 ? 1 : status)
            }
            // A plain `claude` on this machine still has the session open (its keeper renews the lock and
            // lets go when that Claude exits): the lock is the keeper's to release.
            let keeperHolds = ClaudeRunState(gitDirectory: copy.gitDirectory, session: id).runs()
                .contains { $0.isAlive && !$0.status.isDisposable }
            do {
                if !keeperHolds { try manager.release(id) }
            } catch let error as LockError {
                CLIContext.warn("\(error)")
            }
            if status != 0 { throw ExitCode(status) }
        }

        func choose(_ rows: [SessionCatalog.Row], locks: [String: LockManager.Lock]) throws -> String {
            if let session { return try Resolve.session(session, among: rows.map(\.id)) }
            if latest {
                guard let first = rows.first else { throw CLIError(message: "there are no sessions to resume (git ccsync list --all)") }
                return first.id
            }
            guard CLIContext.stdinIsTerminal, isatty(1) != 0 else {
                throw CLIError(message: "no session given and no terminal to pick one on (pass an id, a unique prefix, or --latest)")
            }
            guard !rows.isEmpty else { throw CLIError(message: "there are no sessions to resume (git ccsync list --all)") }
            let now = Date()
            let items = rows.map { row -> Picker.Item in
                var line = GitCCSync.List.line(row)
                if let lock = locks[row.id], !lock.record.isFree(at: now) {
                    line = "[locked: \(lock.record.holder)] " + line
                }
                return Picker.Item(id: row.id, line: line, haystack: (line + " " + row.id).lowercased())
            }
            guard let picked = Picker(items: items, title: "Resume which session?").run() else { throw ExitCode(130) }
            return picked
        }

        func workingDirectory(id: String, path: String, copy: WorkingCopy) throws -> String {
            if let cwd { return CLIContext.absolute(cwd) }
            let cwdFile = copy.root + "/" + path.split(separator: "/").prefix(2).joined(separator: "/") + "/.cwd"
            var local = ""
            if let bytes = try? readFile(cwdFile) {
                local = String(decoding: bytes.prefix(while: { byte in byte != 0x0A }), as: UTF8.self)
            }
            guard !local.isEmpty, !local.contains("{{") else {
                throw CLIError(message: "session \(id.prefix(8)) was recorded in \(local.isEmpty ? "a directory" : local), which has no path on this machine "
                               + "(map it with 'git ccsync config set-path NAME \(copy.machine) PATH', or pass --cwd DIR)")
            }
            guard FileSystem.isDirectory(local) else {
                throw CLIError(message: "session \(id.prefix(8)) belongs in \(local), which does not exist here "
                               + "(create it, map its placeholder with 'git ccsync config set-path', or pass --cwd DIR)")
            }
            return local
        }

        func claudeCommand(_ copy: WorkingCopy) throws -> String {
            if let configured = try copy.config("ccsync.claudeCommand"), !configured.isEmpty { return configured }
            if let env = CLIContext.env("CCSYNC_CLAUDE") { return env }
            return "claude"
        }

        func backupSeconds(_ copy: WorkingCopy) throws -> TimeInterval {
            guard let value = try copy.config("ccsync.backupInterval") else { return 300 }
            guard let seconds = Double(value), seconds > 0 else {
                throw CLIError(message: "ccsync.backupInterval must be a number of seconds, got '\(value)'")
            }
            return seconds
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Push and release every lock this machine holds (after a crash or a lost network).")

        @OptionGroup var copyOptions: WorkingCopyOptions

        func run() throws {
            try Self.execute(copy: copyOptions.open())
        }

        /// The command with its options as plain values (`FastDispatch` calls it without any parser).
        static func execute(copy: WorkingCopy) throws {
            var sync = Synchronizer(copy: copy)
            sync.progress = CLIContext.progress
            let result: Synchronizer.PushResult
            do {
                result = try sync.push()
            } catch {
                // The locks stay: they guard lines that are committed here but not on the remote yet.
                throw copy.explained(error, retry: "git ccsync update")
            }
            Push.report(result, machine: copy.machine)  // which also names each lock another machine took over
            let manager = try Lock.manager(copy)
            for id in try manager.held().keys.sorted() {
                do {
                    try manager.release(id)
                    CLIContext.print("released the lock on \(id.prefix(8))")
                } catch let error as LockError {
                    CLIContext.warn("\(error)")
                }
            }
        }
    }
}
