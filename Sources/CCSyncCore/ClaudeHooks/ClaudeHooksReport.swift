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

/// Whether Claude Code's hooks protect this machine's sessions, for `status` and `doctor`: installed in
/// the user settings (or enabled as the plugin), calling a binary that exists, not switched off by
/// `disableAllHooks`, and when the SessionStart hook last ran.
public struct ClaudeHooksReport: Sendable, Codable, Equatable {
    public let settingsPath: String
    /// `installed`, `plugin`, `outdated`, `missing` or `invalid` (the settings file is not JSON).
    public let state: String
    public let disabled: Bool
    public let lastSessionStart: Date?
    public let ok: Bool
    public let detail: String
    public let fix: String?

    public static func gather(copy: WorkingCopy, executable: String, directory: String?) -> ClaudeHooksReport {
        let file = ClaudeSettingsFile(claudeRoot: copy.store.root)
        let last = FileStat(path: ClaudeRunState.lastStartPath(gitDirectory: copy.gitDirectory))
            .map { Date(timeIntervalSince1970: Double($0.mtimeNanoseconds) / 1e9) }
        let ran = last.map { " (SessionStart last ran \(LockRecord.format($0)))" } ?? " (no SessionStart has run yet)"
        let status: ClaudeSettingsFile.Status
        do {
            status = try file.status(executable: executable, directory: directory)
        } catch {
            return ClaudeHooksReport(settingsPath: file.path, state: "invalid", disabled: false, lastSessionStart: last, ok: false,
                                     detail: "\(error)", fix: "fix \(file.path), then git ccsync claude-hooks install")
        }
        let plugin = ((try? readFile(file.path)).map { String(decoding: $0, as: UTF8.self).contains("\"git-ccsync@") } ?? false)
        if status.disabled {
            return ClaudeHooksReport(settingsPath: file.path, state: status.state == .missing && plugin ? "plugin" : "\(status.state)",
                                     disabled: true, lastSessionStart: last, ok: false,
                                     detail: "disableAllHooks is set in \(file.path): Claude runs no hook, plain claude sessions are not locked",
                                     fix: "remove disableAllHooks from \(file.path), or use git ccsync resume")
        }
        switch status.state {
        case .installed:
            let missing = status.commands.first.flatMap { Self.missingBinary(in: $0) }
            if let missing {
                return ClaudeHooksReport(settingsPath: file.path, state: "installed", disabled: false, lastSessionStart: last, ok: false,
                                         detail: "the hooks in \(file.path) call \(missing), which does not exist",
                                         fix: "git ccsync claude-hooks install")
            }
            return ClaudeHooksReport(settingsPath: file.path, state: "installed", disabled: false, lastSessionStart: last, ok: true,
                                     detail: "installed in \(file.path)" + ran, fix: nil)
        case .outdated:
            return ClaudeHooksReport(settingsPath: file.path, state: "outdated", disabled: false, lastSessionStart: last, ok: false,
                                     detail: "the hooks in \(file.path) are not this binary's (another path or version)",
                                     fix: "git ccsync claude-hooks install")
        case .missing where plugin:
            return ClaudeHooksReport(settingsPath: file.path, state: "plugin", disabled: false, lastSessionStart: last, ok: true,
                                     detail: "the git-ccsync plugin is enabled in \(file.path)" + ran, fix: nil)
        case .missing:
            // A choice (init --no-claude-hooks), not a fault: said, but not failed.
            return ClaudeHooksReport(settingsPath: file.path, state: "missing", disabled: false, lastSessionStart: last, ok: true,
                                     detail: "not installed: sessions opened with a plain claude are not locked or pushed "
                                         + "(git ccsync claude-hooks install)", fix: nil)
        }
    }

    /// The binary a hook command starts, when it is an absolute path that is not an executable file.
    static func missingBinary(in group: String) -> String? {
        guard let start = group.firstRange(of: "\"command\": \"")?.upperBound else { return nil }
        var word = String(group[start...].prefix { $0 != " " && $0 != "\"" })
        if word.hasPrefix("'") { word = String(group[start...].dropFirst().prefix { $0 != "'" }) }
        guard word.hasPrefix("/") else { return nil }
        return access(word, X_OK) == 0 ? nil : word
    }
}
