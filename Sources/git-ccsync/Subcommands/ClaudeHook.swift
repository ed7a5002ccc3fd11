import ArgumentParser
import CCSyncCore
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

/// `git ccsync hook claude-*`: what Claude Code's hooks call (installed by `git ccsync claude-hooks
/// install`, or shipped as a plugin). Input is Claude's hook JSON on stdin, output a JSON reply on stdout.
/// The work is `CCSyncCore.ClaudeSessionStartHook` and `ClaudeSessionKeeper`; this file reads the
/// environment (`CLAUDE_PID`, `CLAUDE_PROJECT_DIR`), prints the replies and starts the keeper.
///
/// A hook never fails Claude: problems become a message to the user, and the exit status stays 0
/// (except PreCompact's 2, which is how that hook refuses).
enum ClaudeHook {
    static let names = ["claude-session-start", "claude-prompt", "claude-pre-compact", "claude-stop",
                        "claude-session-end", "claude-keeper"]

    static func run(_ name: String, arguments: [String]) throws {
        var directory = CLIContext.defaultDirectory
        var session: String?
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--dir" where index + 1 < arguments.count:
                directory = CLIContext.absolute(arguments[index + 1])
                index += 1
            case "--session" where index + 1 < arguments.count:
                session = arguments[index + 1]
                index += 1
            default:
                throw ValidationError("unexpected argument '\(arguments[index])' for hook \(name)")
            }
            index += 1
        }
        if name == "claude-keeper" {
            guard let session, StoreFileKind.isSessionID(session) else { throw ValidationError("claude-keeper needs --session <id>") }
            try keeper(session: session, directory: directory)
            return
        }
        let input: ClaudeHookInput
        do {
            input = try ClaudeHookInput(parsing: readAll(fd: 0, path: "standard input"))
        } catch {
            writeStderr("git-ccsync: \(error)\n")
            return
        }
        // `git ccsync resume` runs this Claude and does all of it itself.
        if CLIContext.env(ClaudeHookEntries.resumedEnvironment) == input.sessionID { return }
        guard FileSystem.isDirectory(directory) else {
            if name == "claude-session-start" {
                reply(ClaudeHookReply(systemMessage: "ccsync: session \(input.sessionID.prefix(8)) is not synced: there is no "
                                      + "git-ccsync working copy at \(directory) (run 'git ccsync init', or 'git ccsync claude-hooks uninstall')"))
            }
            return
        }
        let pid = claudePID
        switch name {
        case "claude-session-start":
            try sessionStart(input, directory: directory, pid: pid)
        case "claude-prompt", "claude-pre-compact":
            let state = try runState(directory: directory, session: input.sessionID)
            // A run whose lock claim is under way waits for it: a lost claim refuses this prompt.
            guard let run = state.settledRun(pid: pid, timeout: 5), run.status.isDisposable else { return }
            let message = ClaudeSessionStartHook.refusal(run, session: input.sessionID)
            if name == "claude-prompt" {
                reply(.blockPrompt(message))
            } else {
                writeStderr(message + "\n")
                throw ExitCode(2)
            }
        case "claude-stop":
            let state = try runState(directory: directory, session: input.sessionID)
            guard let run = state.run(pid: pid), !run.status.isDisposable else { return }
            try state.requestBackup()
            try ensureKeeper(state, directory: directory)
        case "claude-session-end":
            // Only a hand-over: the keeper notices this Claude is gone and pushes (1.5 s is too short).
            let state = try runState(directory: directory, session: input.sessionID)
            guard let run = state.run(pid: pid) else { return }
            if ["clear", "resume", "logout"].contains(input.reason ?? ""), !run.status.isDisposable, run.status != .claiming {
                // This Claude goes on with another session: this one is done, and its keeper may push
                // and let go now rather than when Claude exits.
                state.forget(run)
            }
            try ensureKeeper(state, directory: directory)
        default:
            throw ValidationError("unknown hook '\(name)'")
        }
    }

    /// The Claude process the hooks act for: `CLAUDE_PID` (set by Claude Code for its hooks), else our
    /// parent.
    static var claudePID: Int32 {
        CLIContext.env("CLAUDE_PID").flatMap { Int32($0) } ?? getppid()
    }

    /// The per-session state, found without opening the repository when it is a plain clone (the
    /// prompt and stop hooks run on every turn).
    static func runState(directory: String, session: String) throws -> ClaudeRunState {
        let dotGit = directory + "/.git"
        if FileSystem.isDirectory(dotGit) { return ClaudeRunState(gitDirectory: dotGit, session: session) }
        return ClaudeRunState(gitDirectory: try WorkingCopyOptions.open(directory: directory).gitDirectory, session: session)
    }

    static func reply(_ reply: ClaudeHookReply) {
        CLIContext.print(reply.json)
    }

    /// Starts the session's keeper unless one runs (a keeper that is finishing lets a new one in later).
    static func ensureKeeper(_ state: ClaudeRunState, directory: String) throws {
        if state.keeperIsRunning { return }
        try FileSystem.makeDirectories(state.directory)
        var arguments = ["hook", "claude-keeper", "--session", state.session]
        if directory != CLIContext.defaultDirectory { arguments += ["--dir", directory] }
        // Detached (its own session: Claude's exit must not take it along) and holding none of our
        // descriptors: Claude Code waits for a hook's output to close.
        do {
            _ = try CLIContext.runner.startDetached(CLIContext.executable, arguments, log: state.logPath, logMode: 0o600)
        } catch {
            throw CLIError(message: "starting the session keeper failed: \(error)")
        }
    }

    static func sessionStart(_ input: ClaudeHookInput, directory: String, pid: Int32) throws {
        let copy = try WorkingCopyOptions.open(directory: directory)
        CLIContext.trace("repository open")
        var hook = ClaudeSessionStartHook(copy: copy, input: input, pid: pid)
        hook.cwd = input.cwd ?? CLIContext.env("CLAUDE_PROJECT_DIR")
        hook.progress = { CLIContext.trace($0) }
        hook.timeText = { LocalTime.minutes($0) }
        let answer = try hook.run()
        // Started after the round trip, not during it: on a busy machine its start would only compete
        // with the fetch that Claude waits for.
        if answer.startKeeper {
            try ensureKeeper(ClaudeRunState(gitDirectory: copy.gitDirectory, session: input.sessionID), directory: directory)
        }
        if let message = answer.reply { reply(message) }
    }

    /// Test-only: the keeper's first lock claim waits until this file exists (`Timing.claimGate`).
    static let claimGateEnvironment = "GIT_CCSYNC_TEST_CLAIM_GATE"

    static func keeper(session: String, directory: String) throws {
        // Started in a session of its own (ensureKeeper); a hang-up meant for Claude's terminal is not ours.
        signal(SIGHUP, SIG_IGN)
        let copy = try WorkingCopyOptions.open(directory: directory)
        var timing = try ClaudeSessionKeeper.Timing(configuredIn: copy)
        timing.claimGate = CLIContext.env(claimGateEnvironment)
        var keeper = ClaudeSessionKeeper(copy: copy, session: session, timing: timing)
        keeper.log = { message in writeStderr("\(Date().formatted(.iso8601)) \(message)\n") }
        keeper.timeText = { LocalTime.minutes($0) }
        try keeper.runAlone()
    }
}
