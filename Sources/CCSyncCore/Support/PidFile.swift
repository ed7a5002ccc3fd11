#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pid file that is trusted only while it names a live process that is still the one that wrote it:
/// the process's start time (`Platform.processStartTime`) is recorded beside its pid, so a reused pid or a
/// file left behind by a crash is recognised as stale.
public struct PidFile {
    public let path: String

    public init(path: String) { self.path = path }

    public struct Entry: Equatable {
        public let pid: Int32
        public let startTime: UInt64

        /// Whether this very process still runs (not ended, not replaced by another with its pid). The
        /// file alone does not say: a process removes its pid file a moment before it exits.
        public var isRunning: Bool { PidFile.startTime(of: pid) == startTime }
    }

    public static func startTime(of pid: Int32) -> UInt64? { Platform.processStartTime(pid) }

    public func write(pid: Int32 = getpid()) throws {
        guard let start = Self.startTime(of: pid) else { throw FileIOError(path: path, operation: "reading the start time of process \(pid) for", errno: ESRCH) }
        try FileSystem.makeDirectories(FileSystem.dirname(of: path))
        try FileSystem.writeAtomically(path, Array("\(pid) \(start)\n".utf8))
    }

    /// The running process the file names, nil when there is none (no file, or a stale one).
    public func live() -> Entry? {
        guard let bytes = try? readFile(path) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count >= 2, let pid = Int32(parts[0]), pid > 0, let start = UInt64(parts[1]) else { return nil }
        guard Self.startTime(of: pid) == start else { return nil }
        return Entry(pid: pid, startTime: start)
    }

    public func remove() { unlink(path) }
}
