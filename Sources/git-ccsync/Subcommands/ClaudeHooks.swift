import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GitCCSync {
    /// `git ccsync claude-hooks install|uninstall|status`: git-ccsync's hooks in Claude Code's user settings.
    struct ClaudeHooks: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "claude-hooks",
            abstract: "Install, remove or check the Claude Code hooks that protect sessions opened with a plain 'claude'.",
            discussion: """
                The hooks lock a session when Claude opens it (ending this Claude, with a message, when another \
                machine has it open or this machine's copy is stale), back it up after each turn and push and \
                unlock it when Claude exits. They go into $CLAUDE_CONFIG_DIR/settings.json (else \
                ~/.claude/settings.json); only entries running 'git-ccsync hook claude-…' are added, replaced or \
                removed, every other byte of the file stays, and the previous version is kept as \
                settings.json.ccsync-backup. The same hooks ship as a Claude Code plugin (see the README).
                """
        )

        enum Action: String, ExpressibleByArgument, CaseIterable { case install, uninstall, status }

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Argument(help: "install, uninstall or status")
        var action: Action = .status

        func run() throws {
            let copy = try copyOptions.open()
            let file = ClaudeSettingsFile(claudeRoot: copy.store.root)
            switch action {
            case .install:
                let changed = try Self.install(copy)
                CLIContext.print(changed ? "installed the Claude Code hooks in \(file.path)" : "the Claude Code hooks are already installed in \(file.path)")
            case .uninstall:
                let changed = try file.uninstall()
                CLIContext.print(changed ? "removed the Claude Code hooks from \(file.path)" : "no Claude Code hooks of git-ccsync in \(file.path)")
            case .status:
                let report = Self.report(copy)
                CLIContext.print("\(report.state): \(report.detail)")
                if let fix = report.fix { CLIContext.print("fix: \(fix)") }
                if !report.ok { throw ExitCode(1) }
            }
        }

        /// Installs (or updates) the hooks for this binary and working copy; true when the file changed.
        static func install(_ copy: WorkingCopy) throws -> Bool {
            let file = ClaudeSettingsFile(claudeRoot: copy.store.root)
            return try file.install(executable: CLIContext.executable, directory: directory(copy))
        }

        static func report(_ copy: WorkingCopy) -> ClaudeHooksReport {
            ClaudeHooksReport.gather(copy: copy, executable: CLIContext.executable, directory: directory(copy))
        }

        /// The working copy as the hooks must name it: nothing for the default one (`~/.ccsync`); Claude's
        /// hooks do not see a CCSYNC_DIR set in some shell.
        static func directory(_ copy: WorkingCopy) -> String? {
            copy.root == (CLIContext.home ?? "/") + "/.ccsync" ? nil : copy.root
        }
    }
}
