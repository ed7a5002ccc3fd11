import Foundation

/// Keeps a lock alive while Claude runs: a heartbeat every TTL/3 and, every backup interval, a
/// sync-in + commit + guarded push of the session, on a background thread.
///
/// Failures never stop Claude: they are reported through `report`, and the next tick tries again.
public final class LockKeeper: @unchecked Sendable {
    // @unchecked: `stopped` and the condition are only touched under `condition`'s lock.
    private let condition = NSCondition()
    private var stopped = false
    private var thread: Thread?

    public let heartbeatInterval: TimeInterval
    public let backupInterval: TimeInterval
    private let heartbeat: () throws -> Void
    private let backup: () throws -> Void
    private let report: (String) -> Void

    public init(heartbeatInterval: TimeInterval, backupInterval: TimeInterval,
                heartbeat: @escaping () throws -> Void, backup: @escaping () throws -> Void,
                report: @escaping (String) -> Void) {
        self.heartbeatInterval = max(heartbeatInterval, 1)
        self.backupInterval = max(backupInterval, 1)
        self.heartbeat = heartbeat
        self.backup = backup
        self.report = report
    }

    public func start() {
        let thread = Thread { [self] in loop() }
        self.thread = thread
        thread.start()
    }

    /// Stops the loop and waits for a tick in progress to finish.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
        while thread?.isFinished == false { usleep(10_000) }
    }

    private func loop() {
        var nextHeartbeat = Date().addingTimeInterval(heartbeatInterval)
        var nextBackup = Date().addingTimeInterval(backupInterval)
        while true {
            condition.lock()
            let until = min(nextHeartbeat, nextBackup)
            while !stopped && Date() < until { _ = condition.wait(until: until) }
            let done = stopped
            condition.unlock()
            if done { return }
            let now = Date()
            if now >= nextBackup {
                do { try backup() } catch { report("backup failed: \(error)") }
                nextBackup = now.addingTimeInterval(backupInterval)
            }
            if now >= nextHeartbeat {
                do { try heartbeat() } catch { report("renewing the lock failed: \(error)") }
                nextHeartbeat = now.addingTimeInterval(heartbeatInterval)
            }
        }
    }
}
