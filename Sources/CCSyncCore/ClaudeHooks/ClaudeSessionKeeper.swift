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

/// The background process that looks after one session while plain `claude` processes work on it (one
/// keeper per session and machine, whatever the number of Claudes): first it claims the lock for runs
/// SessionStart let go on (`ClaudeSessionStart.claim`; a lost claim makes them refused or stale runs),
/// then it renews the lock every TTL/3, backs the session up every backup interval and soon after each
/// turn (Stop hook), ends refused and stale Claudes a few seconds after they were told why, puts their
/// transcripts back once they are gone, and when the last Claude has exited (also by SIGKILL, which
/// runs no hook: the pids are polled) syncs, pushes and releases the lock.
///
/// Hooks never do the slow parts: SessionEnd has 1.5 s, and a push can take longer.
public struct ClaudeSessionKeeper {
    public struct Timing: Sendable {
        public var ttl: TimeInterval
        public var backupInterval: TimeInterval
        public var pushOnTurn = true
        /// Seconds between the end of a turn and its backup, and between two turn backups.
        public var turnDebounce: TimeInterval = 2
        /// Seconds a refused Claude has to show its message before it gets SIGTERM.
        public var killDelay: TimeInterval = 3
        /// Seconds between two tries to lock a session whose SessionStart could not.
        public var retryLock: TimeInterval = 30
        public var poll: TimeInterval = 0.5
        /// For tests only: the first claim waits (at most a minute) until this file exists, so that a
        /// test can let another machine take the lock between SessionStart's answer and the claim.
        public var claimGate: String?

        public init(ttl: TimeInterval, backupInterval: TimeInterval) {
            self.ttl = ttl
            self.backupInterval = backupInterval
        }

        /// The working copy's settings: `ccsync.lockTtl`, `ccsync.backupInterval` (default 300 s),
        /// `ccsync.pushOnTurn` (default on).
        public init(configuredIn copy: WorkingCopy) throws {
            // A keeper runs unattended: a bad interval falls back to the default rather than leaving the
            // session unkept (doctor's "settings" check names the bad value).
            let backup = (try? copy.settings.backupInterval()) ?? 300
            self.init(ttl: try copy.lockTTL(), backupInterval: backup)
            pushOnTurn = copy.settings.pushesOnTurn
        }
    }

    public let copy: WorkingCopy
    public let state: ClaudeRunState
    public let timing: Timing
    public var log: (String) -> Void = { _ in }
    /// Lets go of `keeper.lock`: called while `session.lock` is still held, so that a SessionStart that
    /// comes in after the keeper's last look finds no keeper and starts a new one.
    public var releaseKeeperLock: () -> Void = {}
    /// Times for people (a lock's expiry, in a refusal), in the machine's time zone.
    public var timeText: @Sendable (Date) -> String = LockRecord.format

    public init(copy: WorkingCopy, session: String, timing: Timing) {
        self.copy = copy
        state = ClaudeRunState(gitDirectory: copy.gitDirectory, session: session)
        self.timing = timing
    }

    var session: String { state.session }

    var manager: LockManager {
        copy.lockManager(ttl: timing.ttl)
    }

    /// Takes `keeper.lock` (a second keeper waits while the first finishes, then looks for itself) and
    /// runs until no Claude is left on the session.
    public func runAlone() throws {
        final class Held { var lock: FileLock? }
        let held = Held()
        held.lock = try FileLock(path: state.keeperLockPath, timeout: 600)
        var keeper = self
        keeper.releaseKeeperLock = { held.lock = nil }
        keeper.run()
        withExtendedLifetime(held) {}
    }

    /// Runs until no Claude is left on the session. The caller holds `keeper.lock`.
    public func run() {
        let started = Date()
        var nextHeartbeat = started.addingTimeInterval(timing.ttl / 3)
        var nextBackup = started.addingTimeInterval(timing.backupInterval)
        var nextLockTry = started
        var lastTurnBackup = Date.distantPast
        var turnRequested: Date?
        var worked = false  // some run of this session was allowed to write: push at the end
        var killed = Set<Int32>()
        var gateOpen = timing.claimGate == nil
        var pullWhenDisposed = false  // a lost claim found the copy stale: bring the new lines in after
        log("keeper started for \(session.prefix(8))")
        while true {
            if state.runs().contains(where: { $0.status == .claiming }) {
                if !gateOpen { waitForGate() }
                gateOpen = true
                if settleClaims() { pullWhenDisposed = true }
            }
            let now = Date()
            let runs = state.runs()
            var active: [ClaudeRun] = []
            var claiming = false  // recorded since the claim above: the next round claims it
            for run in runs {
                let alive = run.isAlive
                if run.status == .claiming {
                    claiming = true
                    continue
                }
                if run.status.isDisposable {
                    if alive, !killed.contains(run.pid), now.timeIntervalSince(modified(run)) >= timing.killDelay {
                        log("ending Claude \(run.pid): its session is \(run.status == .refused ? "locked by another machine" : "stale")")
                        kill(run.pid, SIGTERM)
                        killed.insert(run.pid)
                    }
                    if !alive { dispose(run) }
                    continue
                }
                // Also a run that ended before the keeper first looked (a short `claude -p`) wrote; one
                // still being decided may yet turn out to be of a project that is not synced.
                if run.status != .pending || !alive { worked = true }
                if alive {
                    active.append(run)
                } else {
                    log("Claude \(run.pid) has exited")
                    state.forget(run)
                }
            }
            let disposing = runs.contains { $0.status.isDisposable }
            if pullWhenDisposed, !disposing {
                pullNewLines()
                pullWhenDisposed = false
            }
            if active.isEmpty && !disposing && !claiming {
                if finish(pushing: worked) { return }
                continue
            }
            let holding = (try? manager.held()[session]) != nil
            // A SessionStart still deciding takes the lock itself; one cut off by Claude's timeout did not.
            let deciding = claiming || active.contains { $0.status == .pending && now.timeIntervalSince(modified($0)) < 60 }
            if !active.isEmpty, !holding, !deciding, now >= nextLockTry {
                tryToLock()
                nextLockTry = now.addingTimeInterval(timing.retryLock)
            }
            if holding, now >= nextHeartbeat {
                do { try manager.heartbeat(session) } catch { log("renewing the lock failed: \(error)") }
                nextHeartbeat = now.addingTimeInterval(timing.ttl / 3)
            }
            if timing.pushOnTurn, state.takeBackupRequest() { turnRequested = turnRequested ?? now }
            let turnDue = turnRequested.map { now.timeIntervalSince($0) >= timing.turnDebounce
                && now.timeIntervalSince(lastTurnBackup) >= timing.turnDebounce } ?? false
            if !active.isEmpty, turnDue || now >= nextBackup {
                backup()
                if turnDue { lastTurnBackup = Date() }
                turnRequested = nil
                nextBackup = Date().addingTimeInterval(timing.backupInterval)
            }
            // A claim recorded meanwhile is not left waiting for a whole poll (its prompt waits for it).
            usleep(UInt32((claiming ? min(timing.poll, 0.05) : timing.poll) * 1_000_000))
        }
    }

    func modified(_ run: ClaudeRun) -> Date {
        let stat = FileStat(path: state.runPath(run.pid))
        return Date(timeIntervalSince1970: Double(stat?.mtimeNanoseconds ?? 0) / 1e9)
    }

    func tryToLock() {
        do {
            try manager.acquire(session, takeover: .expiredOnly)
            for var run in state.runs() where run.status == .offline && run.isAlive {
                run.status = .locked
                try? state.record(run)
            }
            log("locked \(session.prefix(8))")
        } catch {
            log("could not lock \(session.prefix(8)) yet: \(error)")
        }
    }

    func backup() {
        do {
            let result = try RemoteSync(copy: copy).push(onlySessions: [session])
            if result.pushed { log("backed up \(session.prefix(8))") }
            for record in result.lockedOut where record.session == session {
                log("not backed up: \(session.prefix(8)) is locked by \(record.holder)")
            }
        } catch {
            log("backup failed: \(error) (will try again)")
        }
    }

    func dispose(_ run: ClaudeRun) {
        do {
            let lock = try FileLock(path: copy.gitDirectory + "/ccsync/sync.lock")
            defer { withExtendedLifetime(lock) {} }
            try RemoteSync(copy: copy).restore(run, of: state)
            log("put back the transcript of \(session.prefix(8)) as it was before Claude \(run.pid)")
        } catch {
            log("putting back the transcript of Claude \(run.pid) failed: \(error) (the next push tries again)")
        }
    }

    /// The last Claude is gone: push and release, unless a SessionStart came in meanwhile. Returns true
    /// when the keeper is done.
    func finish(pushing: Bool) -> Bool {
        guard let guardLock = try? FileLock(path: state.sessionLockPath, timeout: 30) else { return false }
        defer { withExtendedLifetime(guardLock) {} }
        if state.runs().contains(where: { $0.isAlive || $0.status.isDisposable || $0.status == .claiming }) { return false }
        if pushing {
            do {
                let result = try RemoteSync(copy: copy).push(onlySessions: [session])
                log(result.pushed ? "pushed \(session.prefix(8))" : "nothing new to push for \(session.prefix(8))")
                if (try? manager.held()[session]) != nil {
                    try manager.release(session)
                    log("released the lock on \(session.prefix(8))")
                }
            } catch {
                // The lock stays: it guards lines committed here but not on the remote yet; it expires,
                // and 'git ccsync update' (or the next push) finishes the job.
                log("pushing \(session.prefix(8)) failed: \(error) (run 'git ccsync update' when the remote is back)")
            }
        }
        // A SessionStart that could not wait for the guard records its run anyway: stay for it.
        if state.runs().contains(where: { $0.isAlive }) { return false }
        state.removeIfIdle()
        log("keeper done for \(session.prefix(8))")
        releaseKeeperLock()
        return true
    }
}
