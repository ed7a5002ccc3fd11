#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The SessionStart hook's workflow: record this Claude's run, decide it within a deadline
/// (`ClaudeSessionStart`), and say what Claude is to show; the caller prints the reply and, when asked,
/// starts the session's keeper (which claims the lock of a run let go on).
///
/// The transcript's snapshot (what a refused run is put back to) is copied while the fetch runs, so it
/// costs no wall time; it is the bytes the session had when SessionStart ran, whatever the outcome
/// turns out to be, since a lost claim makes a refused run after the hook has answered.
public struct ClaudeSessionStartHook {
    public struct Answer: Sendable, Equatable {
        /// What Claude shows the user; nil when there is nothing to say.
        public var reply: ClaudeHookReply?
        /// Whether the session's keeper must run (it claims, renews, backs up, ends refused Claudes).
        public var startKeeper: Bool
    }

    /// Seconds the network step may take before the session is left unlocked (`ccsync.hookTimeout`).
    public static let defaultDeadline: TimeInterval = 6

    public let copy: WorkingCopy
    public let input: ClaudeHookInput
    /// The Claude process (`CLAUDE_PID`).
    public let pid: Int32
    /// The session's working directory (the input's `cwd`, else `CLAUDE_PROJECT_DIR`).
    public var cwd: String?
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Times for people (a lock's expiry), in the machine's time zone.
    public var timeText: @Sendable (Date) -> String = LockRecord.format

    public init(copy: WorkingCopy, input: ClaudeHookInput, pid: Int32) {
        self.copy = copy
        self.input = input
        self.pid = pid
        cwd = input.cwd
    }

    public func run() throws -> Answer {
        let session = input.sessionID
        let state = ClaudeRunState(gitDirectory: copy.gitDirectory, session: session)
        var run = ClaudeRun(pid: pid, startTime: PidFile.startTime(of: pid) ?? 0, status: .pending,
                            transcript: input.transcriptPath ?? "")
        if let known = state.run(pid: pid), known.startTime == run.startTime, known.status == .locked || known.status == .claiming {
            // The same Claude again on the same session (after /compact): it holds the lock already (or
            // its keeper is taking it), and a stale check now could only end a conversation that is in
            // the middle of its work.
            return Answer(reply: nil, startKeeper: true)
        }
        let deadline = ((try? copy.settings.hookTimeout()) ?? nil) ?? Self.defaultDeadline
        // Held until this hook ends: the keeper's last look (push, release) never interleaves with it.
        guard let guardLock = try? FileLock(path: state.sessionLockPath, timeout: deadline) else {
            // The previous keeper of this session is still pushing: this Claude works unlocked for now,
            // and the next keeper (which waits for that one) locks the session when it can.
            run.status = .offline
            try state.record(run)
            return Answer(reply: ClaudeHookReply(systemMessage: "ccsync: session \(session.prefix(8)) is NOT locked yet: git-ccsync is still "
                                                 + "pushing its previous run. Work on; it is locked in a moment and pushed when you are done."),
                          startKeeper: true)
        }
        defer { withExtendedLifetime(guardLock) {} }
        try state.record(run)
        try? FileSystem.writeAtomically(ClaudeRunState.lastStartPath(gitDirectory: copy.gitDirectory), [])
        var decider = ClaudeSessionStart(copy: copy)
        decider.progress = progress
        let (chosen, place) = (decider, cwd)
        let task = HookDeadline { try chosen.decide(session: session, cwd: place) }
        // Meanwhile (the fetch is mostly waiting on git): the bytes a refused run is put back to.
        let snapshotted = (try? state.saveSnapshot(of: run)) != nil
        progress("snapshot taken")
        var message: String?
        switch task.wait(timeout: deadline) {
        case nil:
            run.status = .offline
            message = "ccsync: session \(session.prefix(8)) is NOT locked: \(copy.remoteURL ?? "the remote") did not answer within "
                + "\(Int(deadline)) s. Work on offline; it is locked as soon as the remote answers and pushed when you are done."
        case .failure(let error):
            run.status = .offline
            let told = RemoteFailure(error, url: copy.remoteURL, retry: "git ccsync push")?.summary ?? "\(error)"
            message = "ccsync: session \(session.prefix(8)) is NOT locked (\(told)). "
                + "Work on offline; it is locked as soon as the remote answers and pushed when you are done."
        case .success(.free(let tip)):
            // The keeper claims the lock; without a snapshot a lost claim could not be undone, so then
            // it is the old way round: the lock first (the keeper's retry), meanwhile unlocked.
            run.status = snapshotted ? .claiming : .offline
            run.judgedTip = tip
        case .success(.locked), .success(.noRemote):
            run.status = .locked
        case .success(.notSynced):
            state.forget(run)
            state.removeIfIdle()
            return Answer(reply: nil, startKeeper: false)
        case .success(.heldByOther(let record)):
            run.status = .refused
            message = Self.refusedMessage(session, record: record, timeText: timeText)
        case .success(.stale):
            run.status = .stale
            // The pull wrote the new lines into the transcript: they stay when the run is put back.
            try state.saveSnapshot(of: run)
            message = Self.staleMessage(session)
        }
        if !run.status.isDisposable && run.status != .claiming { state.dropSnapshot(of: run) }
        run.message = message ?? ""
        try state.record(run)
        progress("decided: \(run.status.rawValue)")
        return Answer(reply: message.map { ClaudeHookReply(systemMessage: $0) }, startKeeper: true)
    }

    public static func refusedMessage(_ session: String, record: LockRecord, timeText: (Date) -> String) -> String {
        "ccsync: session \(session.prefix(8)) is open on \(record.holder) (locked until \(timeText(record.expires))). "
            + "This Claude closes in a few seconds, and nothing it writes is kept, so that two machines never write one "
            + "conversation. To take the session over here: git ccsync resume \(session.prefix(8)) --force"
    }

    public static func staleMessage(_ session: String) -> String {
        "ccsync: session \(session.prefix(8)) has newer lines from another machine; they are now in this machine's copy, "
            + "but this Claude loaded the old one. It closes in a few seconds (nothing it writes is kept): run the same command "
            + "again to continue from the latest state."
    }

    /// What the prompt hook says while a refused or stale run waits to be ended: what SessionStart said.
    public static func refusal(_ run: ClaudeRun, session: String) -> String {
        if !run.message.isEmpty { return run.message }
        return run.status == .refused
            ? "ccsync: session \(session.prefix(8)) is open on another machine; this Claude is closing. Take it over with: git ccsync resume \(session.prefix(8)) --force"
            : "ccsync: session \(session.prefix(8)) was out of date here and has been refreshed; this Claude is closing. Run the same command again to continue."
    }
}
