#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Platform {
    /// Whether any process we can inspect has `path` open. Answers true when the system cannot be
    /// asked at all, so a caller that removes unused files removes nothing rather than a live one.
    /// Processes of other users are not visible without privileges on either system; the files this
    /// is asked about (git's lock files in our own working copy) are opened by our own user's git.
    ///
    /// Linux: the `/proc/<pid>/fd/*` links. Darwin: `proc_listallpids`, then each process's
    /// descriptors (`PROC_PIDLISTFDS`) and each vnode descriptor's path (`PROC_PIDFDVNODEPATHINFO`),
    /// the documented interface of `<libproc.h>` that `lsof` is built on.
    public static func isOpenByAnyProcess(_ path: String) -> Bool {
        // Both systems report the path with symlinks resolved (macOS: /tmp is /private/tmp).
        let target = resolvedPath(path) ?? path
        #if os(Linux)
        guard let processes = try? FileSystem.list("/proc") else { return true }
        for pid in processes where pid.allSatisfy(\.isNumber) {
            let fds = "/proc/\(pid)/fd"
            guard let entries = try? FileSystem.list(fds) else { continue }
            for fd in entries where linkTarget(fds + "/" + fd) == target { return true }
        }
        return false
        #elseif os(macOS)
        let capacity = proc_listallpids(nil, 0)
        guard capacity > 0 else { return true }
        // Room for processes started between the two calls.
        var pids = [pid_t](repeating: 0, count: Int(capacity) + 64)
        let count = pids.withUnsafeMutableBytes { proc_listallpids($0.baseAddress, Int32($0.count)) }
        guard count > 0 else { return true }
        for pid in pids.prefix(Int(count)) where pid > 0 {
            if openVnodePaths(of: pid).contains(target) { return true }
        }
        return false
        #endif
    }

    /// `realpath` of `path`'s folder, then its own name: the lock file itself may be gone by the time
    /// we ask.
    static func resolvedPath(_ path: String) -> String? {
        let folder = FileSystem.dirname(of: path)
        guard let resolved = realpath(folder, nil) else { return nil }
        defer { free(resolved) }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let base = String(cString: resolved)
        return (base == "/" ? "" : base) + "/" + name
    }

    #if os(Linux)
    private static func linkTarget(_ link: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    #elseif os(macOS)
    private static func openVnodePaths(of pid: pid_t) -> [String] {
        let listSize = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, nil, 0)
        guard listSize > 0 else { return [] }
        let stride = MemoryLayout<proc_fdinfo>.stride
        var fds = [proc_fdinfo](repeating: proc_fdinfo(), count: Int(listSize) / stride + 16)
        let filled = fds.withUnsafeMutableBytes { proc_pidinfo(pid, PROC_PIDLISTFDS, 0, $0.baseAddress, Int32($0.count)) }
        guard filled > 0 else { return [] }
        var paths: [String] = []
        for fd in fds.prefix(Int(filled) / stride) where fd.proc_fdtype == UInt32(PROX_FDTYPE_VNODE) {
            var info = vnode_fdinfowithpath()
            let size = Int32(MemoryLayout<vnode_fdinfowithpath>.size)
            guard proc_pidfdinfo(pid, fd.proc_fd, PROC_PIDFDVNODEPATHINFO, &info, size) == size else { continue }
            let path = withUnsafeBytes(of: info.pvip.vip_path) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            paths.append(path)
        }
        return paths
    }
    #endif
}
