#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every difference between the operating systems git-ccsync runs on (Linux with glibc, macOS 13+)
/// lives in this folder, each fact written once per system against its documented API: file times,
/// the executable's path, a process's start time, which files a process has open, spawn flags,
/// pipes, the terminal and the heap. Code outside it asks these functions and never names a
/// Glibc-only field, `/proc`, or a raw flag value (a test in `PlatformLayerTests` holds that rule).
///
/// A port to another system (Windows, the BSDs) starts here: each `#if os(Linux)` has a Darwin
/// branch beside it, and a third branch is what a port adds.
public enum Platform {
    /// The system's name as machine registrations record it (`.ccsync/machines/<id>`).
    public static var osName: String {
        #if os(Linux)
        return "linux"
        #elseif os(macOS)
        return "macos"
        #else
        return "unknown"
        #endif
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and interruptions; false on an error.
    @discardableResult
    public static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            return false
        }
        return true
    }
}

/// The C library's `write` and `close` under names no method shadows (inside a type with its own
/// `write` or `close`, the bare name means the method). Top-level functions see the C ones.
@inline(__always)
func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }

@inline(__always)
func systemClose(_ fd: Int32) -> Int32 { close(fd) }
