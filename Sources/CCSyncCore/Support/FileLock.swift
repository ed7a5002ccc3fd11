#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file, so that two git-ccsync processes of one machine (a hook, the daemon,
/// a resume) never sync the same working copy at once. The kernel drops the lock if the process dies.
public final class FileLock {
    private let fd: Int32

    /// Waits up to `timeout` seconds for the lock.
    public init(path: String, timeout: Double = 120) throws {
        try FileSystem.makeDirectories(FileSystem.dirname(of: path))
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileIOError(path: path, operation: "opening lock file", errno: errno) }
        let deadline = Double(time(nil)) + timeout
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Double(time(nil)) < deadline else {
                close(fd)
                throw FileIOError(path: path, operation: "another git-ccsync is still working; timed out waiting for", errno: EWOULDBLOCK)
            }
            usleep(50_000)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
