#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `lstat` says about a path; symlinks are reported as such, never followed.
public struct FileStat: Equatable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable { case regular, directory, symlink, other }
    public let kind: Kind
    public let size: Int64
    public let mtimeNanoseconds: Int64
    public let inode: UInt64

    public init(kind: Kind, size: Int64, mtimeNanoseconds: Int64, inode: UInt64) {
        self.kind = kind
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.inode = inode
    }

    public init?(path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        size = Int64(st.st_size)
        mtimeNanoseconds = st.modificationTime.nanoseconds
        inode = UInt64(st.st_ino)
    }
}

/// Small filesystem operations on raw paths, with errors that name the path.
public enum FileSystem {
    /// Entry names of a directory (without `.` and `..`), sorted.
    public static func list(_ path: String) throws(FileIOError) -> [String] {
        guard let dir = opendir(path) else { throw FileIOError(path: path, operation: "listing", errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func exists(_ path: String) -> Bool { FileStat(path: path) != nil }

    public static func isDirectory(_ path: String) -> Bool { FileStat(path: path)?.kind == .directory }

    /// Creates `path` and its missing parents as real directories; refuses to go through a symlink.
    public static func makeDirectories(_ path: String) throws(FileIOError) {
        if let st = FileStat(path: path) {
            guard st.kind == .directory else { throw FileIOError(path: path, operation: "creating directory (not a directory)", errno: ENOTDIR) }
            return
        }
        let parent = dirname(of: path)
        if parent != path, !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0, errno != EEXIST {
            throw FileIOError(path: path, operation: "creating directory", errno: errno)
        }
    }

    /// Replaces a file's content atomically: a temporary file beside it, then `rename`.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(FileIOError) {
        let temp = "\(dirname(of: path))/.\(basename(of: path)).ccsync-\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileIOError(path: temp, operation: "creating", errno: errno) }
        do {
            try writeAll(fd: fd, bytes, path: temp)
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        close(fd)
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw FileIOError(path: path, operation: "replacing", errno: e)
        }
    }

    /// Appends bytes to an existing file (a log Claude may hold open keeps its inode and offset).
    public static func append(_ path: String, _ bytes: [UInt8]) throws(FileIOError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw FileIOError(path: path, operation: "opening for append", errno: errno) }
        defer { close(fd) }
        try writeAll(fd: fd, bytes, path: path)
    }

    public static func remove(_ path: String) throws(FileIOError) {
        if unlink(path) != 0, errno != ENOENT { throw FileIOError(path: path, operation: "removing", errno: errno) }
    }

    public static func dirname(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func basename(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
