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

/// A lock file (`index.lock`, `HEAD.lock`, `refs/heads/main.lock`) that a killed git left behind.
///
/// git creates these with `O_EXCL`, keeps them open while it writes, and renames them into place; one
/// killed in between (`kill -9` of a sync, a power cut) leaves the file, and every later git command
/// that needs it refuses with "Unable to create '…lock': File exists" until someone removes it. A
/// sync must not stop there for good, nor may it take a lock a live git still holds. A lock counts as
/// stale when no process has it open (`Platform.isOpenByAnyProcess`) and it is at least `minimumAge`
/// old, so a git between closing its lock and renaming it is never disturbed. Where open files cannot
/// be listed, nothing is removed and git's own message stands.
enum StaleGitLock {
    static let minimumAge: TimeInterval = 2

    /// The lock git says it could not create, from its error output.
    static func reported(in errorOutput: String) -> String? {
        guard let start = errorOutput.firstRange(of: "Unable to create '"),
              let end = errorOutput[start.upperBound...].firstRange(of: "': File exists") else { return nil }
        let path = String(errorOutput[start.upperBound..<end.lowerBound])
        guard path.hasPrefix("/"), path.hasSuffix(".lock"), !path.contains("/../") else { return nil }
        return path
    }

    /// Removes `path` if it is stale (see the type); waits until it is `minimumAge` old first.
    /// Returns whether it was removed.
    static func removeIfStale(_ path: String) -> Bool {
        guard let stat = FileStat(path: path), stat.kind == .regular else { return false }
        let age = Date().timeIntervalSince1970 - Double(stat.mtimeNanoseconds) / 1_000_000_000
        if age < minimumAge { usleep(UInt32((minimumAge - age) * 1_000_000) + 10_000) }
        guard FileStat(path: path) == stat, !Platform.isOpenByAnyProcess(path) else { return false }
        return unlink(path) == 0
    }
}
