import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GitCCSync {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show this machine's sync state and any problem, with the command that fixes it.",
            discussion: "Ahead/behind counts are as of the last fetch (push and pull fetch). Exit status 0 even when problems are listed."
        )

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

        func run() throws {
            let copy = try copyOptions.open()
            let report = try StatusReport.gather(copy: copy)
            if format == .json {
                try CLIContext.printJSON(report)
                return
            }
            func when(_ date: Date?) -> String {
                guard let date else { return "never" }
                let seconds = Int(Date().timeIntervalSince(date))
                let ago = seconds < 90 ? "\(seconds) s ago" : seconds < 5400 ? "\(seconds / 60) min ago"
                        : seconds < 172_800 ? "\(seconds / 3600) h ago" : "\(seconds / 86400) days ago"
                return date.formatted(.iso8601) + " (\(ago))"
            }
            CLIContext.print("machine:       \(report.machine)")
            CLIContext.print("working copy:  \(report.workingCopy)")
            CLIContext.print("claude store:  \(report.claudeStore)")
            CLIContext.print("remote:        \(report.remote ?? "(none)")")
            if let encryption = report.encryption { CLIContext.print("encryption:    \(encryption)") }
            CLIContext.print("last push:     \(when(report.lastPush))")
            CLIContext.print("last pull:     \(when(report.lastPull))")
            if let ahead = report.ahead, let behind = report.behind {
                CLIContext.print("branch:        \(ahead) commit(s) to push, \(behind) to pull (as of the last fetch)")
            }
            if report.changedSessions.isEmpty {
                CLIContext.print("local changes: none")
            } else {
                CLIContext.print("local changes: \(report.changedSessions.count) session(s) not pushed yet (git ccsync push)")
                for id in report.changedSessions.prefix(20) { CLIContext.print("  \(id)") }
            }
            let hooks = ClaudeHooks.report(copy)
            CLIContext.print("claude hooks:  \(hooks.detail)")
            let problems = report.problems + (hooks.ok ? [] : ["Claude Code hooks: \(hooks.detail)" + (hooks.fix.map { " (\($0))" } ?? "")])
            if !report.notices.isEmpty {
                CLIContext.print("notices:")
                for n in report.notices { CLIContext.print("  - \(n)") }
            }
            if !problems.isEmpty {
                CLIContext.print("problems:")
                for p in problems { CLIContext.print("  - \(p)") }
            }
        }
    }
}
