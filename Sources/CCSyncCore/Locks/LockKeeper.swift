#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps a lock alive while Claude runs: a heartbeat every TTL/3 and, every backup interval, a
/// sync-in + commit + guarded push of the session, on a background thread.
///
/// Failures never stop Claude: they are reported through `report`, and the next tick tries again.
public final class LockKeeper: @unchecked Sendable {
    // @unchecked: `running` is only touched by the thread that calls start and stop.
    /// Signalled once, by stop: the loop's waits end early on it.
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled by the loop when it returns.
    private let finished = DispatchSemaphore(value: 0)
    private var running = false

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
        guard !running else { return }
        running = true
        DispatchQueue.global().async { [self] in
            loop()
            finished.signal()
        }
    }

    /// Stops the loop and waits for a tick in progress to finish.
    public func stop() {
        guard running else { return }
        running = false
        wake.signal()
        finished.wait()
    }

    private func loop() {
        var nextHeartbeat = Date().addingTimeInterval(heartbeatInterval)
        var nextBackup = Date().addingTimeInterval(backupInterval)
        while true {
            // Also when a tick is already due (a backup slower than its interval): stop is seen anyway.
            let delay = max(min(nextHeartbeat, nextBackup).timeIntervalSinceNow, 0)
            if wake.wait(timeout: .now() + delay) == .success { return }
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
