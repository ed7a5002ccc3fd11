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

/// `git ccsync daemon`'s loop: pull (unless push only) and push every `interval` seconds, each outcome
/// one line of its log, until `shouldStop` says so. A failed sync is logged and tried again at the next
/// round: the daemon backs up sessions of a plain `claude` and must outlive a network outage.
public struct SyncDaemon {
    public let copy: WorkingCopy
    public let interval: TimeInterval
    public let pushOnly: Bool
    /// One line of the daemon's log.
    public var log: (String) -> Void = { _ in }
    /// Asked between rounds and every 0.1 s while waiting (the command line's is a signal's flag).
    public var shouldStop: () -> Bool = { false }

    public init(copy: WorkingCopy, interval: TimeInterval, pushOnly: Bool) {
        self.copy = copy
        self.interval = interval
        self.pushOnly = pushOnly
    }

    public func run() {
        log("daemon started for \(copy.root), every \(Int(interval)) s\(pushOnly ? ", push only" : "")")
        while !shouldStop() {
            round()
            let deadline = Date().addingTimeInterval(interval)
            while !shouldStop() && Date() < deadline { usleep(100_000) }
        }
        log("daemon stopped")
    }

    /// One sync: what it brought and sent, or why it failed.
    public func round() {
        var sync = RemoteSync(copy: copy)
        do {
            if !pushOnly {
                let pulled = try sync.pull()
                if !pulled.syncOut.changes.isEmpty { log("pulled \(pulled.syncOut.sessionIDs.count) session(s)") }
            }
            let pushed = try sync.push()
            if pushed.pushed { log("pushed \(pushed.pushedSessions.count) session(s)") }
            for record in pushed.lockedOut {
                log("left out \(record.session.prefix(8)): locked by \(record.holder)")
            }
        } catch {
            log("sync failed: \(error) (will try again)")
        }
    }
}
