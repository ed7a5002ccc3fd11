#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Claude Code's user settings file (`$CLAUDE_CONFIG_DIR/settings.json`, else `~/.claude/settings.json`)
/// and git-ccsync's hooks in it: install, uninstall, status.
///
/// Writes are atomic (a temporary file renamed over the real one, so Claude never reads half a file),
/// the previous version is kept as `settings.json.ccsync-backup`, and a symlinked settings file (a
/// dotfiles repository) is edited where the link points. A file that is not valid JSON is an error and
/// stays untouched.
public struct ClaudeSettingsFile {
    public let path: String

    public init(claudeRoot: String) {
        path = claudeRoot + "/settings.json"
    }

    public var backupPath: String { target + ".ccsync-backup" }

    /// Where writes go: the link's target for a symlinked settings file.
    var target: String {
        guard FileStat(path: path)?.kind == .symlink, let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public enum State: Equatable, Sendable {
        /// Every hook is there, as this binary would write it.
        case installed
        /// Some of ours are there, but not exactly these (another binary's path, an older version).
        case outdated
        case missing
    }

    public struct Status: Equatable, Sendable {
        public var state: State
        /// `disableAllHooks` is set: Claude runs no hook at all.
        public var disabled: Bool
        /// The commands of ours found in the file.
        public var commands: [String]
    }

    func editor() throws(ClaudeHookError) -> ClaudeSettingsEditor? {
        guard FileSystem.exists(path) else { return nil }
        let bytes: [UInt8]
        do { bytes = try readFile(path) } catch { throw .settings("cannot read \(path): \(error)") }
        do {
            return try ClaudeSettingsEditor(bytes: bytes)
        } catch {
            throw .settings("\(path) is not valid JSON, so its hooks were left alone (\(error.description.replacing("it is not a JSON object: ", with: "")); fix the file, then try again)")
        }
    }

    public func status(executable: String, directory: String?) throws(ClaudeHookError) -> Status {
        guard let editor = try editor() else { return Status(state: .missing, disabled: false, commands: []) }
        let found = editor.ours
        let wanted = ClaudeHookEntries.groups(executable: executable, directory: directory)
        var state: State = found.isEmpty ? .missing : .installed
        if !found.isEmpty {
            for group in wanted where found[group.event] != [group.json] { state = .outdated }
            if found.values.reduce(0, { $0 + $1.count }) != wanted.count { state = .outdated }
        }
        let commands = found.keys.sorted().flatMap { found[$0] ?? [] }
        return Status(state: state, disabled: editor.hooksDisabled, commands: commands)
    }

    /// Adds (or replaces) our hooks. Returns false when the file already had exactly them.
    @discardableResult
    public func install(executable: String, directory: String?) throws(ClaudeHookError) -> Bool {
        var editor: ClaudeSettingsEditor
        if let existing = try self.editor() { editor = existing } else { editor = try ClaudeSettingsEditor(bytes: []) }
        let before = FileSystem.exists(path) ? editor.bytes : nil
        editor.install(ClaudeHookEntries.groups(executable: executable, directory: directory))
        guard editor.bytes != before else { return false }
        try write(editor.bytes, previous: before)
        return true
    }

    /// Removes our hooks. Returns false when there were none.
    @discardableResult
    public func uninstall() throws(ClaudeHookError) -> Bool {
        guard var editor = try self.editor() else { return false }
        let before = editor.bytes
        editor.uninstall()
        guard editor.bytes != before else { return false }
        try write(editor.bytes, previous: before)
        return true
    }

    func write(_ bytes: [UInt8], previous: [UInt8]?) throws(ClaudeHookError) {
        let target = self.target
        do {
            try FileSystem.makeDirectories(FileSystem.dirname(of: target))
            if let previous { try FileSystem.writeAtomically(backupPath, previous, mode: mode(of: target)) }
            try FileSystem.writeAtomically(target, bytes, mode: mode(of: target))
        } catch {
            throw .settings("cannot write \(target): \(error)")
        }
    }

    /// The file's permission bits (settings may be private), 0644 for a new file.
    func mode(of path: String) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0o644 }
        return info.st_mode & 0o777
    }
}
