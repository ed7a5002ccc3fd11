#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Small facts about this working copy's syncing, each in a file of its own under `.git/ccsync/`, so
/// that a push or pull with nothing to do reads and writes a few bytes instead of the whole `SyncState`.
///
/// - `synced-out`: the key (`RemoteSync.syncOutKey`) of the last complete sync-out. It is removed
///   before a sync-out starts and written after it ends without warnings, so a sync-out that was
///   killed halfway always runs again in full.
/// - `pulled`, `pushed`: empty files whose modification times are the last pull and push.
/// - `recorded-version`: the git-ccsync version this machine's record (`MachineRecord`) was last
///   committed with, so a push looks at the record only after an upgrade (or in a new clone).
/// - `older-machines`: what push last told about machines that may not see sessions in parts
///   (`OlderMachines.key`), so it tells once per change.
/// - `merging`: present while a merge of ours runs (its commit, or its fast-forward, not yet made), so
///   the next command can tell an interrupted merge of ours from one the user started.
public struct SyncMarkers: Sendable {
    public let directory: String

    public init(gitDirectory: String) {
        directory = gitDirectory + "/ccsync"
    }

    /// The `merging` marker's path.
    public var mergingPath: String { directory + "/merging" }

    public enum Event: String, Sendable { case pulled, pushed }

    public var syncedOut: String? {
        guard let bytes = try? readFile(directory + "/synced-out"), !bytes.isEmpty else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func setSyncedOut(_ key: String?) throws {
        let path = directory + "/synced-out"
        guard let key else {
            if unlink(path) != 0, errno != ENOENT { throw FileIOError(path: path, operation: "removing", errno: errno) }
            return
        }
        try FileSystem.makeDirectories(directory)
        try FileSystem.writeAtomically(path, Array(key.utf8))
    }

    /// The text of the marker `name`; nil when it is absent or empty.
    public func text(_ name: String) -> String? {
        guard let bytes = try? readFile(directory + "/" + name), !bytes.isEmpty else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the marker `name`, or removes it for nil.
    public func setText(_ name: String, _ text: String?) throws {
        let path = directory + "/" + name
        guard let text else {
            if unlink(path) != 0, errno != ENOENT { throw FileIOError(path: path, operation: "removing", errno: errno) }
            return
        }
        try FileSystem.makeDirectories(directory)
        try FileSystem.writeAtomically(path, Array(text.utf8))
    }

    public static let recordedVersion = "recorded-version"
    public static let olderMachines = "older-machines"

    /// Records that `event` happened now.
    public func record(_ event: Event) throws {
        try FileSystem.makeDirectories(directory)
        let path = directory + "/" + event.rawValue
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw FileIOError(path: path, operation: "creating", errno: errno) }
        defer { close(fd) }
        // Both times to now (a nil times argument); the content stays empty.
        guard futimens(fd, nil) == 0 else { throw FileIOError(path: path, operation: "touching", errno: errno) }
    }

    /// When `event` last happened, if ever.
    public func date(of event: Event) -> Date? {
        var st = stat()
        guard lstat(directory + "/" + event.rawValue, &st) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(st.modificationTime.tv_sec) + Double(st.modificationTime.tv_nsec) / 1e9)
    }
}
