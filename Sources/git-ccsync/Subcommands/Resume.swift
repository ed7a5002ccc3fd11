import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GitCCSync {
    struct Resume: FastDispatchable {
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

        /// The command with its options as plain values, their defaults declared here (`FastDispatch`
        /// builds one without any parser).
        struct Invocation: Equatable {
            var dir: String?
            var session: String?
            var latest = false
            var from: String?
            var all = false
            var force = false
            var cwd: String?

            func run() throws {
                let copy = try WorkingCopyOptions.open(dir: dir)
                var options = ResumeWorkflow.Options()
                options.session = session
                options.latest = latest
                options.from = from
                options.all = all
                options.force = force
                options.cwd = cwd.map(CLIContext.absolute)
                let workflow = ResumeWorkflow(copy: copy, options: options, interaction: TerminalResume(),
                                              runner: CLIContext.runner)
                let outcome: ResumeOutcome
                do {
                    outcome = try workflow.run()
                } catch is ResumeCancelled {
                    throw ExitCode(130)
                }
                Resume.report(outcome)
                if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
            }
        }

        var invocation: FastDispatch.Invocation {
            .resume(Invocation(dir: copyOptions.dir, session: session, latest: latest, from: from, all: all,
                               force: force, cwd: cwd))
        }

        /// Why Claude's lines did not get out, if they did not.
        static func report(_ outcome: ResumeOutcome) {
            let id = outcome.session.prefix(8)
            switch outcome.failure {
            case .pushFailed(let summary):
                writeStderr("git-ccsync: error: Claude exited, but pushing session \(id) failed: \(summary)\n"
                            + "git-ccsync: its lines are committed here and its lock is kept until it expires; "
                            + "run 'git ccsync update' when the remote is reachable\n")
            case .takenOver(let taker):
                // Our new lines wait in Claude's store (nothing is lost) and are merged in once that machine lets go.
                writeStderr("git-ccsync: error: \(taker.holder) took session \(id) over while Claude ran here; "
                            + "the lines written here stay in Claude's store and are merged, not overwritten, by "
                            + "'git ccsync push' once \(taker.holder)'s lock ends (until \(LockRecord.format(taker.expires)))\n")
            case nil:
                break
            }
        }
    }
}

/// The resume workflow's questions answered at the terminal, its reports printed.
struct TerminalResume: ResumeInteraction {
    var canPick: Bool { CLIContext.stdinIsTerminal && Terminal.isTerminal(1) }

    func pick(_ rows: [SessionCatalog.Row], locks: [String: LockManager.Lock]) -> String? {
        let now = Date()
        let items = rows.map { row -> Picker.Item in
            var line = GitCCSync.List.line(row)
            if let lock = locks[row.id], !lock.record.isFree(at: now) {
                line = "[locked: \(lock.record.holder)] " + line
            }
            return Picker.Item(id: row.id, line: line, haystack: (line + " " + row.id).lowercased())
        }
        return Picker(items: items, title: "Resume which session?").run()
    }

    func confirm(_ question: String) -> Bool {
        guard CLIContext.stdinIsTerminal, let answer = CLIContext.ask(question) else { return false }
        return answer.lowercased().hasPrefix("y")
    }

    func warn(_ message: String) { CLIContext.warn(message) }
    func trace(_ step: String) { CLIContext.trace(step) }
    func progress(_ message: String) { CLIContext.progress(message) }
    func pulled(_ result: RemoteSync.PullResult) { GitCCSync.Pull.report(result) }
    func pushed(_ result: RemoteSync.PushResult, machine: MachineID) { GitCCSync.Push.report(result, machine: machine) }
}
