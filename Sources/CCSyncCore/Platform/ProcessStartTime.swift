#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Platform {
    /// When process `pid` started, in a unit of the system's own choosing: only ever compared with
    /// another reading of the same pid, so a pid the kernel reused for a new process reads as a
    /// different value. nil when there is no such process, when it has ended and only waits to be
    /// reaped (a zombie), or when it is not ours to inspect.
    ///
    /// Linux: field 22 of `/proc/<pid>/stat` (clock ticks after boot). Darwin: `proc_pidinfo` with
    /// `PROC_PIDTBSDINFO` (`<sys/proc_info.h>`), whose `pbi_start_tvsec`/`pbi_start_tvusec` give the
    /// start in microseconds.
    public static func processStartTime(_ pid: Int32) -> UInt64? {
        #if os(Linux)
        guard let bytes = try? readPrefix("/proc/\(pid)/stat", limit: 4096) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        // The command name is in parentheses and may contain spaces: count fields after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // Fields after ')' start at field 3 (state); starttime is field 22.
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
        #elseif os(macOS)
        var info = proc_bsdinfo()
        let size = Int32(MemoryLayout<proc_bsdinfo>.size)
        guard proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &info, size) == size else { return nil }
        guard info.pbi_status != 5 else { return nil }  // SZOMB, <sys/proc.h>: ended, not yet reaped
        return UInt64(info.pbi_start_tvsec) * 1_000_000 + UInt64(info.pbi_start_tvusec)
        #endif
    }
}
