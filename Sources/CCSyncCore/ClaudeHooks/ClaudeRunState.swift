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

/// The files through which the Claude Code hooks of one session and its keeper talk, in
/// `<git dir>/ccsync/claude/<session>/`:
///
/// - `run-<pid>`: one per Claude process (`ClaudeRun`);
/// - `snapshot-<pid>`: the transcript's bytes when SessionStart ran (for a stale run: after its pull),
///   kept while the run may still turn out refused or stale (until its keeper's lock claim is won), and
///   put back (with every line the working copy has) once a refused or stale Claude is gone, before
///   anything syncs the session;
/// - `backup`: the Stop hook asks the keeper for an early backup by creating it;
/// - `keeper.lock`: flocked by the one keeper of the session for its whole life;
/// - `session.lock`: flocked for the moments that must not interleave (a SessionStart recording and
///   deciding its run; the keeper settling a claim; the keeper's last look before it pushes and lets go);
/// - `keeper.log`: what the keeper did.
public struct ClaudeRunState: Sendable {
    public let session: String
    public let directory: String

    public init(gitDirectory: String, session: String) {
        self.session = session
        directory = Self.root(gitDirectory: gitDirectory) + "/" + session
    }

    public static func root(gitDirectory: String) -> String { gitDirectory + "/ccsync/claude" }

    /// Touched by every SessionStart hook: `status` and `doctor` show when the hooks last ran.
    public static func lastStartPath(gitDirectory: String) -> String { root(gitDirectory: gitDirectory) + "/last-start" }

    public var keeperLockPath: String { directory + "/keeper.lock" }
    public var sessionLockPath: String { directory + "/session.lock" }
    public var backupRequestPath: String { directory + "/backup" }
    public var logPath: String { directory + "/keeper.log" }
    func runPath(_ pid: Int32) -> String { directory + "/run-\(pid)" }
    func snapshotPath(_ pid: Int32) -> String { directory + "/snapshot-\(pid)" }

    /// Sessions that have a state folder (some run was recorded and not yet cleared).
    public static func sessions(gitDirectory: String) -> [String] {
        ((try? FileSystem.list(root(gitDirectory: gitDirectory))) ?? []).filter { StoreFileKind.isSessionID($0) }.sorted()
    }

    // MARK: runs

    public func record(_ run: ClaudeRun) throws {
        try FileSystem.makeDirectories(directory)
        try FileSystem.writeAtomically(runPath(run.pid), Array(run.text.utf8))
    }

    public func run(pid: Int32) -> ClaudeRun? {
        guard let bytes = try? readFile(runPath(pid)) else { return nil }
        return ClaudeRun(pid: pid, text: String(decoding: bytes, as: UTF8.self))
    }

    public func runs() -> [ClaudeRun] {
        let names = (try? FileSystem.list(directory)) ?? []
        return names.compactMap { name -> ClaudeRun? in
            guard name.hasPrefix("run-"), let pid = Int32(name.dropFirst(4)) else { return nil }
            return run(pid: pid)
        }.sorted { $0.pid < $1.pid }
    }

    public func forget(_ run: ClaudeRun) {
        unlink(runPath(run.pid))
        unlink(snapshotPath(run.pid))
    }

    /// Keeps the transcript's bytes as they are now, for `ClaudeRunDisposal`.
    public func saveSnapshot(of run: ClaudeRun) throws {
        let bytes = (try? readFile(run.transcript)) ?? []
        try FileSystem.makeDirectories(directory)
        try FileSystem.writeAtomically(snapshotPath(run.pid), bytes, mode: 0o600)
    }

    public func snapshot(of run: ClaudeRun) -> [UInt8]? {
        try? readFile(snapshotPath(run.pid))
    }

    /// A run that may write (it holds the lock) needs no snapshot.
    public func dropSnapshot(of run: ClaudeRun) {
        unlink(snapshotPath(run.pid))
    }

    /// The run of `pid` once it is no longer `claiming` (its keeper won or lost the lock), or as it is
    /// after `timeout` seconds: the prompt hook waits for the claim, so that no prompt of a run that
    /// loses it is sent.
    public func settledRun(pid: Int32, timeout: TimeInterval) -> ClaudeRun? {
        let deadline = Date().addingTimeInterval(timeout)
        var run = self.run(pid: pid)
        while let current = run, current.status == .claiming, Date() < deadline {
            usleep(20_000)
            run = self.run(pid: pid)
        }
        return run
    }

    /// Sets the status of the runs that are `from` (re-read under `session.lock`, so that a SessionStart
    /// recording a run meanwhile is not overwritten); returns the runs changed.
    @discardableResult
    public func settle(_ from: ClaudeRun.Status, to status: ClaudeRun.Status, message: String = "",
                       only pids: Set<Int32>? = nil) throws -> [ClaudeRun] {
        let guardLock = try FileLock(path: sessionLockPath, timeout: 30)
        defer { withExtendedLifetime(guardLock) {} }
        var changed: [ClaudeRun] = []
        for var run in runs() where run.status == from && pids.map({ $0.contains(run.pid) }) ?? true {
            run.status = status
            if !message.isEmpty { run.message = message }
            try record(run)
            changed.append(run)
        }
        return changed
    }

    /// Whether a keeper holds `keeper.lock` now.
    public var keeperIsRunning: Bool {
        let fd = open(keeperLockPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return true }
        flock(fd, LOCK_UN)
        return false
    }

    // MARK: requests

    public func requestBackup() throws {
        try FileSystem.makeDirectories(directory)
        try FileSystem.writeAtomically(backupRequestPath, [])
    }

    /// True once per request: the request is taken away.
    public func takeBackupRequest() -> Bool {
        unlink(backupRequestPath) == 0
    }

    /// Removes the folder when nothing in it matters any more (no runs left).
    public func removeIfIdle() {
        guard runs().isEmpty else { return }
        for name in (try? FileSystem.list(directory)) ?? [] where name != "keeper.lock" && name != "session.lock" && name != "keeper.log" {
            unlink(directory + "/" + name)
        }
    }
}
