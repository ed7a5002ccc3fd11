#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walking a folder and checking the folders above a path: the two ways the core keeps its reads
/// and writes inside a tree it owns (symlinks are never followed).
extension FileSystem {
    /// One entry `walk` found.
    public struct WalkEntry {
        /// The full path (`directory/relative`).
        public let path: String
        /// The path below the walked directory (`a/b/name`).
        public let relative: String
        public let name: String
        public let stat: FileStat
        /// 0 for the walked directory's own entries.
        public let depth: Int
    }

    /// Every entry below `directory`, depth first in `list` order, never through a symlink; entries
    /// that vanish or cannot be read are skipped. `visit` returns, for a directory, whether to go into
    /// it; nothing deeper than `maxDepth` levels is listed.
    public static func walk(_ directory: String, maxDepth: Int = .max, _ visit: (WalkEntry) -> Bool) {
        func walk(_ directory: String, relative: String, depth: Int) {
            guard depth < maxDepth, let names = try? list(directory) else { return }
            for name in names {
                let path = directory + "/" + name
                let rel = relative.isEmpty ? name : relative + "/" + name
                guard let stat = FileStat(path: path) else { continue }
                let entry = WalkEntry(path: path, relative: rel, name: name, stat: stat, depth: depth)
                if visit(entry), stat.kind == .directory { walk(path, relative: rel, depth: depth + 1) }
            }
        }
        walk(directory, relative: "", depth: 0)
    }

    /// The first folder from `base` down to `folder` (`base/a`, `base/a/b`, ...) that exists and is not
    /// a real directory (a symlink, a file), or cannot be examined: writing below it could land outside
    /// `base`. Nil when each one is a directory or does not exist yet (it is created as one).
    public static func blockingFolder(_ folder: String, below base: String) -> String? {
        guard folder.hasPrefix(base + "/") else { return nil }
        var path = base
        for part in folder.dropFirst(base.count + 1).split(separator: "/") {
            path += "/" + part
            var st = stat()
            if lstat(path, &st) != 0 { return errno == ENOENT ? nil : path }
            if st.st_mode & S_IFMT != S_IFDIR { return path }
        }
        return nil
    }
}
