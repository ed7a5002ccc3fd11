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

/// The SessionStart hook: record this Claude's run, decide it within a deadline
/// (`ClaudeSessionStart`), tell the user when this Claude may not go on, and hand the session to its
/// keeper.
struct SessionStartHook {
    let input: ClaudeHookInput
    let directory: String
    let pid: Int32

    /// Seconds the network step may take before the session is left unlocked (`ccsync.hookTimeout`).
    static let defaultDeadline: TimeInterval = 6

    func run() throws {
        let copy = try WorkingCopyOptions.open(directory: directory)
        CLIContext.trace("repository open")
        let session = input.sessionID
        let state = ClaudeRunState(gitDirectory: copy.gitDirectory, session: session)
        var run = ClaudeRun(pid: pid, startTime: PidFile.startTime(of: pid) ?? 0, status: .pending,
                            transcript: input.transcriptPath ?? "")
        if let known = state.run(pid: pid), known.startTime == run.startTime, known.status == .locked {
            // The same Claude again on the same session (after /compact): it holds the lock already, and
            // a stale check now could only end a conversation that is in the middle of its work.
            try ClaudeHook.ensureKeeper(state, directory: directory)
            return
        }
        let deadline = ((try? copy.settings.hookTimeout()) ?? nil) ?? Self.defaultDeadline
        // Held until this hook ends: the keeper's last look (push, release) never interleaves with it.
        guard let guardLock = try? FileLock(path: state.sessionLockPath, timeout: deadline) else {
            // The previous keeper of this session is still pushing: this Claude works unlocked for now,
            // and the next keeper (which waits for that one) locks the session when it can.
            run.status = .offline
            try state.record(run)
            try ClaudeHook.ensureKeeper(state, directory: directory)
            ClaudeHook.reply(ClaudeHookReply(systemMessage: "ccsync: session \(session.prefix(8)) is NOT locked yet: git-ccsync is still "
                                             + "pushing its previous run. Work on; it is locked in a moment and pushed when you are done."))
            return
        }
        defer { withExtendedLifetime(guardLock) {} }
        try state.record(run)
        try? FileSystem.writeAtomically(ClaudeRunState.lastStartPath(gitDirectory: copy.gitDirectory), [])
        var decider = ClaudeSessionStart(copy: copy)
        decider.progress = { CLIContext.trace($0) }
        let cwd = input.cwd ?? CLIContext.env("CLAUDE_PROJECT_DIR")
        let chosen = decider
        let task = BackgroundTask { try chosen.decide(session: session, cwd: cwd) }
        var message: String?
        switch task.wait(timeout: deadline) {
        case nil:
            run.status = .offline
            message = "ccsync: session \(session.prefix(8)) is NOT locked: \(copy.remoteURL ?? "the remote") did not answer within "
                + "\(Int(deadline)) s. Work on offline; it is locked as soon as the remote answers and pushed when you are done."
        case .failure(let error):
            run.status = .offline
            let told = copy.explained(error, retry: "git ccsync push")
            message = "ccsync: session \(session.prefix(8)) is NOT locked (\((told as? RemoteFailure)?.summary ?? "\(told)")). "
                + "Work on offline; it is locked as soon as the remote answers and pushed when you are done."
        case .success(.locked), .success(.noRemote):
            run.status = .locked
        case .success(.notSynced):
            state.forget(run)
            state.removeIfIdle()
            return
        case .success(.heldByOther(let record)):
            run.status = .refused
            try state.saveSnapshot(of: run)
            message = "ccsync: session \(session.prefix(8)) is open on \(record.holder) (locked until \(LocalTime.minutes(record.expires))). "
                + "This Claude closes in a few seconds, and nothing it writes is kept, so that two machines never write one "
                + "conversation. To take the session over here: git ccsync resume \(session.prefix(8)) --force"
        case .success(.stale):
            run.status = .stale
            try state.saveSnapshot(of: run)
            message = "ccsync: session \(session.prefix(8)) has newer lines from another machine; they are now in this machine's copy, "
                + "but this Claude loaded the old one. It closes in a few seconds (nothing it writes is kept): run the same command "
                + "again to continue from the latest state."
        }
        run.message = message ?? ""
        try state.record(run)
        CLIContext.trace("decided: \(run.status.rawValue)")
        // Started after the round trip, not during it: the hook never waits for the keeper, and on a
        // busy machine the keeper's start would only compete with the push that Claude does wait for.
        try ClaudeHook.ensureKeeper(state, directory: directory)
        if let message { ClaudeHook.reply(ClaudeHookReply(systemMessage: message)) }
    }

    /// What the prompt hook says while a refused or stale run waits to be ended: what SessionStart said.
    static func refusal(_ run: ClaudeRun, session: String) -> String {
        if !run.message.isEmpty { return run.message }
        return run.status == .refused
            ? "ccsync: session \(session.prefix(8)) is open on another machine; this Claude is closing. Take it over with: git ccsync resume \(session.prefix(8)) --force"
            : "ccsync: session \(session.prefix(8)) was out of date here and has been refreshed; this Claude is closing. Run the same command again to continue."
    }
}
