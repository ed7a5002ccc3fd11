import ArgumentParser
import CCSyncCore

extension GitCCSync {
    struct Push: FastDispatchable {
        static let configuration = CommandConfiguration(
            commandName: "push",
            abstract: "Copy this machine's sessions into the repository, commit and push.",
            discussion: """
                Collects new and changed sessions from Claude's store, commits them with a message naming \
                this machine and the sessions, merges what other machines pushed meanwhile (session logs \
                record by record, never with conflict markers) and pushes, retrying when another machine \
                wins the race. Never force-pushes.
                """
        )

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Flag(help: "Show what would be pushed; change nothing.")
        var dryRun = false

        @Flag(help: "Include projects outside the synced directories.")
        var all = false

        @Flag(help: "Push even if the new lines contain what look like secrets (tokens, keys).")
        var allowSecrets = false

        @Flag(name: .shortAndLong, help: "Show no progress (it is shown only on a terminal anyway).")
        var quiet = false

        /// The command with its options as plain values, their defaults declared here (`FastDispatch`
        /// builds one without any parser).
        struct Invocation: Equatable {
            var dir: String?
            var dryRun = false
            var all = false
            var allowSecrets = false
            var quiet = false

            func run() throws {
                try Push.execute(copy: WorkingCopyOptions.open(dir: dir), dryRun: dryRun, all: all,
                                 allowSecrets: allowSecrets, quiet: quiet)
            }
        }

        var invocation: FastDispatch.Invocation {
            .push(Invocation(dir: copyOptions.dir, dryRun: dryRun, all: all, allowSecrets: allowSecrets, quiet: quiet))
        }

        static func execute(copy: WorkingCopy, dryRun: Bool, all: Bool, allowSecrets: Bool, quiet: Bool) throws {
            var sync = RemoteSync(copy: copy)
            sync.includeAll = all
            sync.allowSecrets = allowSecrets
            sync.meter = CLIContext.reporter(quiet: quiet)
            sync.progress = CLIContext.steps(sync.meter)
            sync.trace = { CLIContext.trace($0) }
            let result: RemoteSync.PushResult
            do {
                result = try sync.push(dryRun: dryRun)
            } catch {
                throw copy.explained(error, retry: "git ccsync push")
            }
            if dryRun {
                let ids = result.syncIn.sessionIDs
                CLIContext.print(ids.isEmpty ? "nothing new to push"
                                             : "would push \(ids.count) session\(ids.count == 1 ? "" : "s"): " + ids.map { String($0.prefix(8)) }.joined(separator: " "))
                for w in result.syncIn.warnings { CLIContext.warn(w) }
                return
            }
            Self.report(result, machine: copy.machine)
        }

        static func report(_ result: RemoteSync.PushResult, machine: MachineID) {
            for w in result.syncIn.warnings + result.syncOut.warnings { CLIContext.warn(w) }
            for record in result.lockedOut {
                CLIContext.print("left out session \(record.session.prefix(8)): locked by \(record.holder) until \(LockRecord.format(record.expires))")
            }
            for file in result.tooLarge {
                CLIContext.warn("not pushing \(file.path): \(ByteCount.short(Int(file.size))) is over the \(ByteCount.short(Int(file.limit))) limit "
                                + "(hosts such as GitHub refuse such files; raise git config ccsync.maxFileSize if your remote accepts them)")
            }
            for id in result.lostLocks {
                CLIContext.warn("another machine took over the lock on \(id.prefix(8)); this machine no longer holds it "
                                + "(its lines were merged with that machine's, not overwritten)")
            }
            let ids = result.hasRemote ? result.pushedSessions : result.syncIn.sessionIDs
            if !result.hasRemote {
                CLIContext.print(result.committed ? "committed \(ids.count) session(s); no remote is configured (git ccsync config set-remote URL)"
                                                  : "nothing to push; no remote is configured")
                return
            }
            if result.pushed {
                let names = ids.prefix(5).map { String($0.prefix(8)) }.joined(separator: " ")
                CLIContext.print(ids.isEmpty ? "pushed" : "pushed \(ids.count) session\(ids.count == 1 ? "" : "s")" + (names.isEmpty ? "" : ": \(names)") + (ids.count > 5 ? " …" : ""))
            } else {
                CLIContext.print("everything is up to date")
            }
            let merged = result.syncOut.sessionIDs
            if !merged.isEmpty { CLIContext.print("merged \(merged.count) session(s) from other machines into Claude's store") }
            for line in result.olderMachines { CLIContext.warn(line) }
        }
    }

    struct Pull: FastDispatchable {
        static let configuration = CommandConfiguration(
            commandName: "pull",
            abstract: "Fetch other machines' sessions and write them into Claude's store.",
            discussion: """
                Commits local changes first (so nothing is lost), fetches, merges, and writes changed \
                sessions into the store under this machine's folder names and paths. A session changed \
                here and elsewhere keeps every record of both. A plain 'git pull' in the working copy does \
                the same through the hooks.
                """
        )

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Flag(help: "Show what would change; change nothing.")
        var dryRun = false

        @Flag(help: "Overwrite the store's copy of sessions changed on both sides instead of merging them.")
        var force = false

        @Flag(help: "Include projects outside the synced directories.")
        var all = false

        @Flag(name: .shortAndLong, help: "Show no progress (it is shown only on a terminal anyway).")
        var quiet = false

        /// The command with its options as plain values, their defaults declared here (`FastDispatch`
        /// builds one without any parser).
        struct Invocation: Equatable {
            var dir: String?
            var dryRun = false
            var force = false
            var all = false
            var quiet = false

            func run() throws {
                try Pull.execute(copy: WorkingCopyOptions.open(dir: dir), dryRun: dryRun, force: force, all: all, quiet: quiet)
            }
        }

        var invocation: FastDispatch.Invocation {
            .pull(Invocation(dir: copyOptions.dir, dryRun: dryRun, force: force, all: all, quiet: quiet))
        }

        static func execute(copy: WorkingCopy, dryRun: Bool, force: Bool, all: Bool, quiet: Bool) throws {
            var sync = RemoteSync(copy: copy)
            sync.includeAll = all
            sync.meter = CLIContext.reporter(quiet: quiet)
            sync.progress = CLIContext.steps(sync.meter)
            sync.trace = { CLIContext.trace($0) }
            let result: RemoteSync.PullResult
            do {
                result = try sync.pull(dryRun: dryRun, force: force)
            } catch {
                throw copy.explained(error, retry: "git ccsync pull")
            }
            if dryRun {
                CLIContext.print(result.incoming.isEmpty ? "nothing new to pull"
                                                         : "would bring \(result.incoming.count) changed file(s):")
                for path in result.incoming { CLIContext.print("  \(path)") }
                return
            }
            Self.report(result)
        }

        static func report(_ result: RemoteSync.PullResult) {
            for w in result.syncOut.warnings { CLIContext.warn(w) }
            let ids = result.syncOut.sessionIDs
            let merged = result.syncOut.changes.filter { $0.action == .merged }.count
            if ids.isEmpty && result.syncOut.changes.isEmpty {
                CLIContext.print(result.hasRemote ? "already up to date" : "already up to date; no remote is configured")
            } else {
                CLIContext.print("updated \(ids.count) session\(ids.count == 1 ? "" : "s") in Claude's store"
                                 + (merged > 0 ? " (\(merged) merged with local changes)" : ""))
            }
        }
    }
}
