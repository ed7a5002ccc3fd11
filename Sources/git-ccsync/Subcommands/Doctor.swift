import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GitCCSync {
    struct Doctor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Check this machine's setup; each problem comes with the command that fixes it.",
            discussion: "Checks git's version, the filter and driver settings, the hooks (also under core.hooksPath), placeholders, the Claude command, the remote, the lock refs and the working copy. Exit status 1 when anything fails."
        )

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Option(help: "Output format: text or json.")
        var format: Status.OutputFormat = .text

        func run() throws {
            let copy = try copyOptions.open()
            var doctor = CCSyncCore.Doctor(copy: copy, claudeCommand: copy.settings.claudeCommand)
            doctor.claudeHooks = ClaudeHooks.report(copy)
            let checks = doctor.run()
            if format == .json {
                try CLIContext.printJSON(checks)
            } else {
                for check in checks {
                    CLIContext.print((check.notice ? "note  " : check.ok ? "ok    " : "FAIL  ") + check.name + ": " + check.detail)
                    if let fix = check.fix { CLIContext.print("      fix: \(fix)") }
                }
            }
            let failed = checks.filter { !$0.ok }.count
            if failed > 0 {
                if format == .text { CLIContext.print("\(failed) problem\(failed == 1 ? "" : "s") found") }
                throw ExitCode(1)
            }
        }
    }
}
