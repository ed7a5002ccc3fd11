#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File times with nanoseconds, as git's index records them. glibc names the fields `st_mtim`,
/// `st_ctim` and `st_atim`; Darwin `st_mtimespec`, `st_ctimespec` and `st_atimespec` (`<sys/stat.h>`).
/// All are a `timespec`.
extension stat {
    /// The time of the last change to the content.
    public var modificationTime: timespec {
        #if os(Linux)
        return st_mtim
        #elseif os(macOS)
        return st_mtimespec
        #endif
    }

    /// The time of the last read.
    public var accessTime: timespec {
        #if os(Linux)
        return st_atim
        #elseif os(macOS)
        return st_atimespec
        #endif
    }

    /// The time of the last change to the content or the inode (owner, mode, links, rename).
    public var changeTime: timespec {
        #if os(Linux)
        return st_ctim
        #elseif os(macOS)
        return st_ctimespec
        #endif
    }
}

extension timespec {
    /// The time as nanoseconds since the epoch.
    public var nanoseconds: Int64 { Int64(tv_sec) * 1_000_000_000 + Int64(tv_nsec) }
}
