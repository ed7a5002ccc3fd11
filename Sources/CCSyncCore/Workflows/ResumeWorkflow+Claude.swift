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

extension ResumeWorkflow {
    /// How Claude is started for a session: the program, its arguments, where and with what added to
    /// the environment.
    public struct ClaudeLaunch: Equatable, Sendable {
        public let program: String
        public let arguments: [String]
        public let directory: String
        public let environment: [String: String]

        public init(program: String, arguments: [String], directory: String, environment: [String: String]) {
            self.program = program
            self.arguments = arguments
            self.directory = directory
            self.environment = environment
        }
    }

    /// The launch for `id`: a plain command name or path runs directly; anything else (arguments,
    /// quoting) through the shell, as git runs its configured commands. Claude's own hooks
    /// (`git ccsync claude-hooks`) see `ClaudeHookEntries.resumedEnvironment` and leave the session to us.
    public static func launch(id: String, command: String, directory: String) -> ClaudeLaunch {
        let plain = RepoLayout.shellQuoted(command) == command && !command.isEmpty
        return ClaudeLaunch(
            program: plain ? command : "/bin/sh",
            arguments: plain ? ["--resume", id] : ["-c", command + " \"$@\"", "claude", "--resume", id],
            directory: directory, environment: [ClaudeHookEntries.resumedEnvironment: id])
    }

    /// Claude in the session's directory with the lock kept alive and backups pushed; then sync, push
    /// and unlock.
    func runClaude(id: String, path: String, manager: LockManager) throws -> ResumeOutcome {
        let directory = try workingDirectory(id: id, path: path)
        let command = copy.settings.claudeCommand
        let backupInterval = try copy.settings.backupInterval()
        var backupSync = RemoteSync(copy: copy)
        backupSync.includeAll = options.all
        let keeper = LockKeeper(
            heartbeatInterval: manager.ttl / 3, backupInterval: backupInterval,
            heartbeat: { _ = try manager.heartbeat(id) },
            backup: { [backupSync] in _ = try backupSync.push(onlySessions: [id]) },
            report: { [interaction] in interaction.warn($0) })
        keeper.start()

        // Claude gets the terminal and the signals: we ignore ^C and ^\ while it runs.
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        interaction.trace("starting Claude")
        let status: Int32
        do {
            let plan = Self.launch(id: id, command: command, directory: directory)
            status = try runner.with(plan.environment.mapValues { $0 })
                .run(plan.program, plan.arguments, in: plan.directory, output: .inherit).status
        } catch {
            signal(SIGINT, SIG_DFL)
            signal(SIGQUIT, SIG_DFL)
            keeper.stop()
            try? manager.release(id)
            throw WorkflowError("could not start Claude (\(command)): \(error) (set git config ccsync.claudeCommand)")
        }
        signal(SIGINT, SIG_DFL)
        signal(SIGQUIT, SIG_DFL)
        keeper.stop()
        return try finish(id: id, claudeStatus: status, sync: backupSync, manager: manager)
    }

    /// After Claude: push everything, then let go of the lock unless a plain `claude` on this machine
    /// still has the session open (its keeper renews the lock and releases it when that Claude exits).
    func finish(id: String, claudeStatus status: Int32, sync: RemoteSync, manager: LockManager) throws -> ResumeOutcome {
        let result: RemoteSync.PushResult
        do {
            result = try sync.push()
        } catch {
            let told = copy.explained(error, retry: "git ccsync update")
            return ResumeOutcome(session: id, claudeStatus: status,
                                 failure: .pushFailed(summary: (told as? RemoteFailure)?.summary ?? "\(told)"))
        }
        interaction.pushed(result, machine: copy.machine)
        if let taker = result.lockedOut.first(where: { $0.session == id }) {
            return ResumeOutcome(session: id, claudeStatus: status, failure: .takenOver(taker))
        }
        let keeperHolds = ClaudeRunState(gitDirectory: copy.gitDirectory, session: id).runs()
            .contains { $0.isAlive && !$0.status.isDisposable }
        do {
            if !keeperHolds { try manager.release(id) }
        } catch let error as LockError {
            interaction.warn("\(error)")
        }
        return ResumeOutcome(session: id, claudeStatus: status, failure: nil)
    }

    /// `--cwd`, else the directory the session was recorded in, as this machine has it.
    func workingDirectory(id: String, path: String) throws -> String {
        if let cwd = options.cwd { return cwd }
        let cwdFile = copy.root + "/" + path.split(separator: "/").prefix(2).joined(separator: "/") + "/.cwd"
        var local = ""
        if let bytes = try? readFile(cwdFile) {
            local = String(decoding: bytes.prefix(while: { byte in byte != 0x0A }), as: UTF8.self)
        }
        guard !local.isEmpty, !local.contains("{{") else {
            throw WorkflowError("session \(id.prefix(8)) was recorded in \(local.isEmpty ? "a directory" : local), which has no path on this machine "
                                + "(map it with 'git ccsync config set-path NAME \(copy.machine) PATH', or pass --cwd DIR)")
        }
        guard FileSystem.isDirectory(local) else {
            throw WorkflowError("session \(id.prefix(8)) belongs in \(local), which does not exist here "
                                + "(create it, map its placeholder with 'git ccsync config set-path', or pass --cwd DIR)")
        }
        return local
    }
}
