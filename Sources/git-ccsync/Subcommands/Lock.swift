import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GitCCSync {
    struct Lock: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lock",
            abstract: "Show, release or clean up the per-session locks on the remote.",
            discussion: """
                A lock is a ref on the remote (refs/ccsync/locks/<session>) changed only by compare-and-swap \
                pushes, so two machines never write one conversation. Locks expire after ccsync.lockTtl \
                seconds (default 600) unless renewed.
                """,
            subcommands: [Show.self, Release.self, Cleanup.self],
            defaultSubcommand: Show.self
        )

        static func manager(_ copy: WorkingCopy) throws -> LockManager {
            try copy.lockManager()
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "List the locks on the remote.")

            @OptionGroup var copyOptions: WorkingCopyOptions

            @Option(help: "Output format: table or json.")
            var format: GitCCSync.List.Format = .table

            struct Row: Codable {
                let session: String
                let project: String?
                let holder: String
                let acquired: Date
                let expires: Date
                let expired: Bool
                let mine: Bool
            }

            func run() throws {
                let copy = try copyOptions.open()
                let locks = try Lock.manager(copy).fetchAll()
                let projects = Dictionary((try? SessionCatalog(copy: copy).local())?.map { ($0.id, $0.project) } ?? [],
                                          uniquingKeysWith: { a, _ in a })
                let now = Date()
                let rows = locks.values.sorted { $0.record.expires < $1.record.expires }.map { lock in
                    Row(session: lock.record.session, project: projects[lock.record.session], holder: lock.record.holder,
                        acquired: lock.record.acquired, expires: lock.record.expires, expired: lock.record.isFree(at: now),
                        mine: lock.record.isHeld(by: copy.machine))
                }
                if format == .json {
                    try CLIContext.printJSON(rows)
                    return
                }
                guard !rows.isEmpty else { CLIContext.print("no locks"); return }
                let time = LocalTime.minutes
                CLIContext.print("SESSION   HOLDER        ACQUIRED          EXPIRES           PROJECT")
                for row in rows {
                    let holder = row.holder + (row.mine ? " (me)" : "")
                    let state = row.expired ? "expired" : time(row.expires)
                    let line = GitCCSync.List.pad(String(row.session.prefix(8)), 10) + GitCCSync.List.pad(holder, 14)
                        + GitCCSync.List.pad(time(row.acquired), 18) + GitCCSync.List.pad(state, 18)
                        + (row.project ?? "-").replacing("{{", with: "").replacing("}}", with: "")
                    CLIContext.print(GitCCSync.List.fit(line, TerminalWidth.columns))
                }
            }
        }

        struct Release: ParsableCommand {
            static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Release this machine's lock on a session (all of them without an id).",
                discussion: "Another machine's lock is released only with --force (use it when that machine is gone).")

            @OptionGroup var copyOptions: WorkingCopyOptions

            @Argument(help: "A session id or unique prefix.") var session: String?

            @Flag(help: "Release even if another machine holds the lock.") var force = false

            func run() throws {
                let copy = try copyOptions.open()
                let manager = try Lock.manager(copy)
                let remote = try manager.fetchAll()
                guard let session else {
                    let held = try manager.held()
                    if held.isEmpty { CLIContext.print("this machine holds no locks"); return }
                    for id in held.keys.sorted() {
                        do {
                            try manager.release(id)
                            CLIContext.print("released \(id.prefix(8))")
                        } catch let error as LockError {
                            CLIContext.warn("\(error)")
                        }
                    }
                    return
                }
                let id = try SessionIDResolver.resolve(session, among: Array(remote.keys) + Array(try manager.held().keys))
                if try manager.held()[id] != nil {
                    try manager.release(id)
                    CLIContext.print("released \(id.prefix(8))")
                    return
                }
                guard let lock = remote[id] else { CLIContext.print("session \(id.prefix(8)) is not locked"); return }
                guard force else { throw LockError.heldByOther(lock.record) }
                if try manager.forceRelease(id) {
                    CLIContext.print("released \(lock.record.holder)'s lock on \(id.prefix(8))")
                } else {
                    throw CLIError(message: "the lock on \(id.prefix(8)) changed while releasing it (run 'git ccsync lock show')")
                }
            }
        }

        struct Cleanup: ParsableCommand {
            static let configuration = CommandConfiguration(
            commandName: "cleanup",
            abstract: "Delete every expired or released lock on the remote.")

            @OptionGroup var copyOptions: WorkingCopyOptions

            func run() throws {
                let copy = try copyOptions.open()
                let removed = try Lock.manager(copy).cleanup()
                CLIContext.print(removed.isEmpty ? "no expired locks" : "removed \(removed.count) expired lock(s): "
                                 + removed.map { String($0.prefix(8)) }.joined(separator: " "))
            }
        }
    }
}
