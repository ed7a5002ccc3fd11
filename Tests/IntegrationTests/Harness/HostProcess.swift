import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the tests need to know about other processes (state, parent, command line, working directory,
/// open files). Linux: `/proc`. macOS: `ps` and `lsof`, which ship with the system. The product's own
/// process facts are in `Sources/CCSyncCore/Platform/`; these are the tests' alone.
enum HostProcess {
    struct Status {
        /// `ps`'s state letter: R, S, D, T, Z (a zombie nobody reaped yet), X.
        let state: Character
        let parent: Int32
    }

    static func status(_ pid: Int32) -> Status? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return parseStat(stat)
        #elseif os(macOS)
        guard let line = run("/bin/ps", ["-o", "stat=,ppid=", "-p", String(pid)])?.split(separator: "\n").first else { return nil }
        let fields = line.split(separator: " ")
        guard fields.count >= 2, let state = fields[0].first, let parent = Int32(fields[1]) else { return nil }
        return Status(state: state, parent: parent)
        #endif
    }

    /// Every process we can see, with its status.
    static func all() -> [Int32: Status] {
        var result: [Int32: Status] = [:]
        #if os(Linux)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let status = status(pid) else { continue }
            result[pid] = status
        }
        #elseif os(macOS)
        for line in (run("/bin/ps", ["-A", "-o", "pid=,stat=,ppid="]) ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3, let pid = Int32(fields[0]), let state = fields[1].first,
                  let parent = Int32(fields[2]) else { continue }
            result[pid] = Status(state: state, parent: parent)
        }
        #endif
        return result
    }

    /// The process's arguments, program first. (macOS: split at spaces, which is enough for the
    /// programs the tests look for.)
    static func commandLine(_ pid: Int32) -> [String]? {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8), !text.isEmpty else { return nil }
        return text.split(separator: "\0").map(String.init)
        #elseif os(macOS)
        guard let text = run("/bin/ps", ["-o", "args=", "-p", String(pid)]), !text.isEmpty else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        #endif
    }

    static func workingDirectory(_ pid: Int32) -> String? {
        #if os(Linux)
        return try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")
        #elseif os(macOS)
        return lsofNames(pid, ["-d", "cwd"]).first?.name
        #endif
    }

    /// The process's open descriptors as "fd -> path".
    static func openFiles(_ pid: Int32) -> [String] {
        #if os(Linux)
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return fds.compactMap { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")).map { "\(fd) -> \($0)" }
        }
        #elseif os(macOS)
        return lsofNames(pid, []).map { "\($0.fd) -> \($0.name)" }
        #endif
    }

    /// The process's blocked-signal mask as the system shows it, for failure messages.
    static func blockedSignals(_ pid: Int32) -> String {
        #if os(Linux)
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") }.map(String.init) ?? "?"
        #elseif os(macOS)
        return "?"
        #endif
    }

    /// A shell snippet that closes every descriptor above 2 of the shell running it (`/dev/fd` lists
    /// the reader's own descriptors on both systems).
    static let closeInheritedDescriptors = #"for fd in /dev/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; "#

    #if os(Linux)
    static func parseStat(_ stat: String) -> Status? {
        // The command name is in parentheses and may contain spaces: fields after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 1, let state = fields[0].first, let parent = Int32(fields[1]) else { return nil }
        return Status(state: state, parent: parent)
    }
    #elseif os(macOS)
    private static func lsofNames(_ pid: Int32, _ selection: [String]) -> [(fd: String, name: String)] {
        let output = run("/usr/sbin/lsof", ["-a", "-p", String(pid)] + selection + ["-F", "fn"]) ?? ""
        var result: [(String, String)] = []
        var fd = ""
        for line in output.split(separator: "\n") {
            if line.hasPrefix("f") { fd = String(line.dropFirst()) }
            if line.hasPrefix("n") { result.append((fd, String(line.dropFirst()))) }
        }
        return result
    }

    private static func run(_ program: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
    #endif
}
