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

/// The keeper's first step: the lock for the runs SessionStart let go on without it.
extension ClaudeSessionKeeper {
    /// Claims the lock for the `claiming` runs (alive or not: a short `claude -p` may be gone already,
    /// and whether its rows may be pushed depends on the outcome). Won: they are `locked`. Lost to
    /// another machine, or the remote changed the session after SessionStart looked: they become
    /// `refused` or `stale` runs (ended, put back, never pushed) with the message the prompt hook shows.
    /// The remote not answering: they work `offline`, and the keeper keeps trying to lock.
    /// Returns true when the copy turned out stale (its new lines are pulled once those runs are put back).
    func settleClaims() -> Bool {
        let claiming = state.runs().filter { $0.status == .claiming }
        guard !claiming.isEmpty else { return false }
        let pids = Set(claiming.map(\.pid))
        // The earliest judgement: what changed since it includes what changed since any later one.
        let judged = claiming.min { modified($0) < modified($1) }?.judgedTip
        do {
            switch try ClaudeSessionStart(copy: copy).claim(session: session, judged: judged, ttl: timing.ttl) {
            case .locked:
                for run in try state.settle(.claiming, to: .locked, only: pids) { state.dropSnapshot(of: run) }
                log("locked \(session.prefix(8))")
                return false
            case .heldByOther(let record):
                let message = ClaudeSessionStartHook.refusedMessage(session, record: record, timeText: timeText)
                try state.settle(.claiming, to: .refused, message: message, only: pids)
                log("\(record.holder) locked \(session.prefix(8)) before this machine could: its Claude is ended, nothing it wrote is kept")
                return false
            case .stale:
                try state.settle(.claiming, to: .stale, message: ClaudeSessionStartHook.staleMessage(session), only: pids)
                log("\(session.prefix(8)) changed on \(WorkingCopy.remote) after SessionStart looked: its Claude is ended, nothing it wrote is kept")
                return true
            }
        } catch {
            log("could not lock \(session.prefix(8)) yet: \(error) (its Claude works unlocked meanwhile)")
            _ = try? state.settle(.claiming, to: .offline, only: pids)
            return false
        }
    }

    /// Brings in the lines a lost claim found on the remote, once the stale runs' transcripts are back
    /// to what they were: so that the same command, run again, continues from the latest state.
    func pullNewLines() {
        do {
            _ = try RemoteSync(copy: copy).pull()
            log("pulled the new lines of \(session.prefix(8))")
        } catch {
            log("pulling the new lines of \(session.prefix(8)) failed: \(error) (the next SessionStart tries again)")
        }
    }

    func waitForGate() {
        guard let gate = timing.claimGate else { return }
        let deadline = Date().addingTimeInterval(60)
        while !FileSystem.exists(gate), Date() < deadline { usleep(20_000) }
    }
}
