import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GitCCSync {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create or join a sync repository and set this machine up.",
            discussion: """
                With --remote, an empty repository is filled with the layout and an existing one is cloned; \
                this machine is registered and everything is pushed. Without a remote, a bare repository \
                beside the working copy (~/.ccsync.git) is the embedded default: one machine works at once, \
                and 'git ccsync config set-remote URL' moves it later. Running init again is harmless.

                Examples:
                  git ccsync init --add-placeholder PROJECTS=$HOME/code
                  git ccsync init --remote git@example.com:ana/sessions.git --machine macbook
                  git ccsync init --github ana/claude-sessions
                """
        )

        @Option(help: ArgumentHelp("A git URL or a path to a bare repository.", valueName: "url"))
        var remote: String?

        @Option(help: ArgumentHelp("Create a private GitHub repository with gh and use it.", valueName: "owner/repo"))
        var github: String?

        @Option(help: ArgumentHelp("This machine's id (default: the short host name).", valueName: "id"))
        var machine: String?

        @Option(help: ArgumentHelp("The sync working copy (default: $CCSYNC_DIR or ~/.ccsync).", valueName: "dir"))
        var dir: String?

        @Option(name: .customLong("add-placeholder"), parsing: .singleValue,
                help: ArgumentHelp("This machine's path for {{NAME}}; repeatable.", valueName: "NAME=PATH"))
        var placeholders: [String] = []

        @Flag(help: "Create the repository encrypted: the remote stores no readable line (see README, Encryption).")
        var encrypt = false

        @Flag(help: "Only set up; do not sync sessions now.")
        var noSync = false

        @Flag(name: .shortAndLong, help: "Show no progress (it is shown only on a terminal anyway).")
        var quiet = false

        @Option(name: .customLong("import"),
                help: ArgumentHelp("Take machine id and placeholders from claude-session-sync's config.json.", valueName: "config.json"))
        var importPath: String?

        @Flag(inversion: .prefixedNo,
              help: "Install the Claude Code hooks that lock, refresh, back up and push sessions opened with a plain 'claude' (asked on a terminal).")
        var claudeHooks: Bool?

        func validate() throws {
            if remote != nil && github != nil { throw ValidationError("use either --remote or --github, not both") }
            for p in placeholders where !p.contains("=") {
                throw ValidationError("--add-placeholder takes NAME=PATH, got '\(p)'")
            }
        }

        func run() throws {
            let directory = dir.map(CLIContext.absolute) ?? CLIContext.defaultDirectory
            let imported = try importPath.map { try LegacyConfig.read(CLIContext.absolute($0)) }
            let machineName = machine ?? imported?.machine ?? Self.defaultMachineID()
            let machineID = try MachineID(machineName, location: machine == nil ? (imported?.machine != nil ? "machine_id in \(importPath ?? "")" : "the host name (pass --machine)") : "--machine")
            var remoteURL = remote.map { $0.hasPrefix("/") || $0.contains(":") ? $0 : CLIContext.absolute($0) }
            if let github {
                var repository = GitHubRepository(runner: CLIContext.runner)
                repository.progress = CLIContext.progress
                remoteURL = try repository.createPrivate(github)
            }
            var options = Initializer.Options(directory: directory, remote: remoteURL, machine: machineID,
                                              claudeRoot: CLIContext.claudeRoot, home: CLIContext.home,
                                              executable: CLIContext.executable)
            options.encrypt = encrypt
            options.identityPath = CLIContext.identityPath(machine: machineID)
            options.placeholders = (imported?.placeholders ?? []).map { ($0.name, $0.path) } + placeholders.map { p in
                let eq = p.firstIndex(of: "=")!
                return (String(p[..<eq]), CLIContext.placeholderPath(String(p[p.index(after: eq)...])))
            }
            if CLIContext.stdinIsTerminal {
                options.ask = { name in
                    CLIContext.ask("Path of {{\(name)}} on \(machineID) (empty to skip): ").map(CLIContext.placeholderPath)
                }
            }
            let meter = CLIContext.reporter(quiet: quiet)
            var initializer = Initializer(options: options, runner: CLIContext.runner)
            initializer.meter = meter
            initializer.progress = CLIContext.steps(meter)
            let result = try initializer.run()
            for note in result.notes { CLIContext.print(note) }
            CLIContext.print(result.created ? "created \(directory), syncing with \(result.remote)"
                                            : "set up \(directory) for \(machineID), syncing with \(result.remote)")
            let copy = try WorkingCopyOptions(dir: directory).open()
            try offerClaudeHooks(copy)
            guard !noSync else { return }
            var sync = RemoteSync(copy: copy)
            sync.meter = meter
            sync.progress = CLIContext.steps(meter)
            sync.trace = { CLIContext.trace($0) }
            let pulled = try sync.pull()
            Pull.report(pulled)
            let pushed = try sync.push()
            Push.report(pushed, machine: copy.machine)
        }

        /// `--claude-hooks`, or the question on a terminal (yes by default): plain `claude` is protected too.
        func offerClaudeHooks(_ copy: WorkingCopy) throws {
            var wanted = claudeHooks
            if wanted == nil, CLIContext.stdinIsTerminal {
                let answer = CLIContext.ask("Install Claude Code hooks, so that a plain 'claude' locks, refreshes and pushes its sessions too? [Y/n] ")
                wanted = answer.map { !$0.lowercased().hasPrefix("n") }
            }
            guard wanted == true else { return }
            let file = ClaudeSettingsFile(claudeRoot: copy.store.root)
            if try ClaudeHooks.install(copy) {
                CLIContext.print("installed the Claude Code hooks in \(file.path)")
            }
        }

        /// A valid machine id from the host name: lower-case, other characters as `-`, starting with a letter.
        static func defaultMachineID() -> String {
            var id = String(CLIContext.shortHostName.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII ? $0 : "-" })
            if id.first?.isLetter != true { id = "m-" + id }
            return String(id.prefix(64))
        }
    }
}

extension WorkingCopyOptions {
    init(dir: String) {
        self.init()
        self.dir = dir
    }
}
