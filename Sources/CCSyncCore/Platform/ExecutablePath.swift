#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Platform {
    /// The running program's own absolute path, symlinks resolved, so git config and hooks can call
    /// exactly this build. Linux: the `/proc/self/exe` link. Darwin: `proc_pidpath` of our own pid
    /// (`<libproc.h>`), which the kernel fills from the executable's vnode.
    public static func executablePath() -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #elseif os(macOS)
        var buffer = [CChar](repeating: 0, count: Int(PROC_PIDPATHINFO_MAXSIZE))
        let count = proc_pidpath(getpid(), &buffer, UInt32(buffer.count))
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #endif
    }
}
