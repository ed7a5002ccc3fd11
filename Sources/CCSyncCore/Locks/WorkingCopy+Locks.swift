#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension WorkingCopy {
    /// Seconds a lock lives without renewal (`Settings.lockTTL`, default `LockManager.defaultTTL`).
    public func lockTTL() throws -> TimeInterval {
        try settings.lockTTL()
    }

    /// The lock manager every workflow uses (resume, push, the Claude hooks and their keeper, `lock`):
    /// this machine, this working copy's git, and its libgit2 repository, through which lock commits are
    /// written and refs read in process. The race tests build theirs here too, so the paths raced are
    /// the ones the product takes.
    /// - Parameter ttl: the lifetime of the locks it takes.
    public func lockManager(ttl: TimeInterval) -> LockManager {
        LockManager(git: git, machine: machine, ttl: ttl)
    }

    /// The same, its locks living `Settings.lockTTL` seconds.
    public func lockManager() throws -> LockManager {
        lockManager(ttl: try lockTTL())
    }
}
