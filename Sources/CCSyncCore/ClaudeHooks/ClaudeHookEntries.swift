/// git-ccsync's hooks for Claude Code: which events, which commands, how long Claude may wait for each.
///
/// Every command is `<git-ccsync> hook claude-<name>` (plus `--dir` for a working copy that is not the
/// default); the text `hook claude-` marks a matcher group as ours, so install, reinstall and uninstall
/// touch nothing else in the user's settings.
public enum ClaudeHookEntries {
    public static let marker = " hook claude-"
    /// Set by `git ccsync resume` for the Claude it runs: the hooks leave that session to it (it holds
    /// the lock, backs up and pushes already), so nothing is locked or pushed twice.
    public static let resumedEnvironment = "GIT_CCSYNC_RESUMED"

    public struct Hook: Sendable, Equatable {
        public let event: String
        public let name: String
        /// Seconds Claude waits; SessionStart's covers its fetch and, for a stale copy, a pull.
        public let timeout: Int
    }

    public static let all: [Hook] = [
        Hook(event: "SessionStart", name: "claude-session-start", timeout: 60),
        Hook(event: "UserPromptSubmit", name: "claude-prompt", timeout: 10),
        Hook(event: "PreCompact", name: "claude-pre-compact", timeout: 10),
        Hook(event: "Stop", name: "claude-stop", timeout: 10),
        Hook(event: "SessionEnd", name: "claude-session-end", timeout: 5),
    ]

    /// The command line a hook runs: shell-quoted, since Claude runs it through the shell.
    public static func command(_ hook: Hook, executable: String, directory: String?) -> String {
        var command = RepoLayout.shellQuoted(executable) + " hook " + hook.name
        if let directory { command += " --dir " + RepoLayout.shellQuoted(directory) }
        return command
    }

    /// The matcher groups to install.
    public static func groups(executable: String, directory: String?) -> [ClaudeSettingsEditor.Group] {
        all.map { hook in
            let command = Self.command(hook, executable: executable, directory: directory)
            return ClaudeSettingsEditor.Group(
                event: hook.event,
                json: "{\"hooks\": [{\"type\": \"command\", \"command\": \(ClaudeSettingsEditor.quoted(command)), \"timeout\": \(hook.timeout)}]}")
        }
    }
}
