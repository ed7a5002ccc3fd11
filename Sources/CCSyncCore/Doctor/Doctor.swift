#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `git ccsync doctor`: every check a working copy needs to pass, each failure with the command that
/// fixes it.
public struct Doctor {
    public struct Check: Sendable, Codable {
        public let name: String
        public let ok: Bool
        public let detail: String
        /// The command (or action) that fixes a failure.
        public let fix: String?
        /// A passed check that still has something to say (`detail`); it fails nothing.
        public var notice = false
    }

    public let copy: WorkingCopy
    /// The Claude command this machine would run (from config or environment), and PATH to look it up in.
    public let claudeCommand: String
    public let minimumGit = (2, 11)
    /// Claude Code's hooks as the command line found them (it knows this binary's path).
    public var claudeHooks: ClaudeHooksReport?

    public init(copy: WorkingCopy, claudeCommand: String) {
        self.copy = copy
        self.claudeCommand = claudeCommand
    }

    public func run() -> [Check] {
        var checks: [Check] = []
        func add(_ name: String, _ ok: Bool, _ detail: String, fix: String? = nil) {
            checks.append(Check(name: name, ok: ok, detail: detail, fix: ok ? nil : fix))
        }
        let git = copy.git

        // git itself: the long-running filter protocol needs 2.11.
        let version = git.version()
        let numbers = version.map(Self.versionNumbers) ?? []
        let gitOK = numbers.count >= 2 && (numbers[0], numbers[1]) >= minimumGit
        add("git version", gitOK, version ?? "git not found", fix: "install git 2.11 or newer")

        // Encrypted repository: identity present, this machine trusted, the keyring opens.
        if let problems = EncryptionAdmin(copy: copy).problems() {
            add("encryption keys", problems.isEmpty, problems.first ?? "identity present, trusted, repository key opens",
                fix: "on a trusted machine: git ccsync trust \(copy.machine) <this machine's age1... recipient>")
        }

        // Filter and drivers, pointing at a binary that exists.
        let settings = ["filter.ccsync.process", "filter.ccsync.required", "merge.ccsync-jsonl.driver", "diff.ccsync.textconv"]
        let values = settings.map { key in ((try? git.config(key)) ?? nil) }
        let missing = zip(settings, values).filter { $0.1 == nil }.map(\.0)
        add("filter and driver settings", missing.isEmpty && values[1] == "true",
            missing.isEmpty ? "filter-process, merge-jsonl and textconv configured" : "missing: " + missing.joined(separator: ", "),
            fix: "git ccsync init")
        if let process = values[0] {
            let binary = Self.firstWord(process)
            let exists = binary.hasPrefix("/") ? FileStat(path: binary)?.kind == .regular : true
            add("filter binary", exists, binary, fix: "reinstall git-ccsync (make install), then git ccsync init")
        }

        // ccsync.* values: a bad one stops the commands that read it, and the unattended ones fall back
        // to its default, so this is where it shows.
        let badSettings = copy.settings.problems
        add("settings", badSettings.isEmpty,
            badSettings.isEmpty ? "every ccsync.* value set is usable" : badSettings.map(\.description).joined(separator: "; "),
            fix: badSettings.first.map { "git config \($0.key) <\($0.expected)>, or git config --unset \($0.key) for the default" })

        // Hooks, where git looks for them (core.hooksPath respected).
        let binary = values[0].map(Self.firstWord) ?? "git-ccsync"
        let installer = HookInstaller(git: git, executable: binary)
        let hooksDir = (try? installer.hooksDirectory()) ?? "?"
        var hookProblems: [String] = []
        for name in HookScripts.names {
            switch (try? installer.status(of: name)) ?? .missing {
            case .installed:
                if access(hooksDir + "/" + name, X_OK) != 0 { hookProblems.append("\(name) is not executable") }
            case .outdated: hookProblems.append("\(name) is outdated")
            case .missing: hookProblems.append("\(name) is missing")
            case .foreign: hookProblems.append("\(name) is not git-ccsync's")
            }
        }
        add("hooks", hookProblems.isEmpty, hookProblems.isEmpty ? "installed in \(hooksDir)" : hookProblems.joined(separator: "; ") + " (in \(hooksDir))",
            fix: "git ccsync init")

        // Placeholders.
        do {
            let config = try copy.sharedConfig()
            let unmapped = config.names(unmappedFor: copy.machine)
            add("placeholders", unmapped.isEmpty,
                unmapped.isEmpty ? "\(config.placeholders.count) mapped on \(copy.machine)" : "no path here for " + unmapped.map { "{{\($0)}}" }.joined(separator: ", "),
                fix: unmapped.first.map { "git ccsync config set-path \($0) \(copy.machine) PATH" })
        } catch {
            add("placeholders", false, "\(error)", fix: "fix .ccsync/config (the message names the line), or git ccsync init")
        }

        // Claude.
        let word = Self.firstWord(claudeCommand)
        let found = (try? copy.git.runner.run("/bin/sh", ["-c", "command -v \"$1\"", "sh", word]))?.succeeded ?? false
        add("claude command", found, found ? claudeCommand : "'\(word)' not found on PATH",
            fix: "install Claude Code, or git config ccsync.claudeCommand '/path/to/claude'")

        if let claudeHooks {
            add("Claude Code hooks", claudeHooks.ok, claudeHooks.detail, fix: claudeHooks.fix)
        }

        // Remote and locks.
        let remote = (try? git.remoteURL()) ?? nil
        if let remote {
            var failure: String?
            do { _ = try git.listRemote(heads: true) } catch { failure = "\(error)" }
            let reachable = failure == nil
            add("remote", reachable, reachable ? remote : "\(remote): " + (failure ?? ""),
                fix: "check the network or credentials, or git ccsync config set-remote URL")
            if reachable {
                do {
                    let locks = try copy.lockManager(ttl: LockManager.defaultTTL).fetchAll()
                    add("lock refs", true, "\(locks.count) lock(s) readable")
                } catch {
                    add("lock refs", false, "\(error)", fix: "check that the remote accepts refs/ccsync/* (git ls-remote origin 'refs/ccsync/*')")
                }
            }
        } else {
            add("remote", false, "no remote configured", fix: "git ccsync config set-remote URL")
        }

        // Other machines that may run a version that cannot see the sessions kept in parts: a notice
        // (this machine is fine), with what to do on those machines.
        if let older = OlderMachines.find(copy: copy) {
            var check = Check(name: "other machines' versions", ok: true, detail: older.messages.joined(separator: "; "), fix: nil)
            check.notice = true
            checks.append(check)
        } else if OlderMachines.sessionsInParts(projects: copy.projectsPath) > 0 {
            add("other machines' versions", true, "every machine has pushed with a version that sees sessions kept in parts")
        }

        // The working copy itself.
        let clean = git.isClean() == true
        add("working copy clean", clean, clean ? copy.root : "uncommitted changes in \(copy.root)",
            fix: "git ccsync push (or inspect with git -C \(copy.root) status)")
        return checks
    }

    static func versionNumbers(_ text: String) -> [Int] {
        let digits = text.split(separator: " ").first { $0.first?.isNumber == true } ?? ""
        return digits.split(separator: ".").compactMap { Int($0.prefix { $0.isNumber }) }
    }

    static func firstWord(_ command: String) -> String {
        let trimmed = command.trimmingPrefix(while: { $0 == " " })
        if trimmed.hasPrefix("'"), let end = trimmed.dropFirst().firstIndex(of: "'") {
            return String(trimmed[trimmed.index(after: trimmed.startIndex)..<end])
        }
        return String(trimmed.prefix { $0 != " " })
    }
}
