#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `posix_spawn` call being prepared: its file actions and attributes, freed when it goes.
///
/// The two systems differ in the types (glibc: structs; Darwin: opaque pointers that start nil), in
/// which extensions exist (`addclosefrom_np` is glibc's; Darwin closes the rest with the
/// `POSIX_SPAWN_CLOEXEC_DEFAULT` attribute) and in the flag values (`POSIX_SPAWN_SETSID` is 0x80 in
/// glibc's `<spawn.h>` and 0x400 in Darwin's `<sys/spawn.h>`), so all of it stays here.
public final class Spawn {
    #if os(Linux)
    private var actions = posix_spawn_file_actions_t()
    private var attributes = posix_spawnattr_t()
    #elseif os(macOS)
    private var actions: posix_spawn_file_actions_t?
    private var attributes: posix_spawnattr_t?
    #endif
    private var flags: Int32 = 0

    public init() {
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
    }

    deinit {
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
    }

    /// The child's `target` descriptor is our `fd` (which may be close-on-exec: dup2 clears that).
    public func duplicate(_ fd: Int32, to target: Int32) {
        posix_spawn_file_actions_adddup2(&actions, fd, target)
    }

    public func close(_ fd: Int32) {
        posix_spawn_file_actions_addclose(&actions, fd)
    }

    public func open(_ target: Int32, _ path: String, _ flags: Int32, _ mode: mode_t = 0) {
        posix_spawn_file_actions_addopen(&actions, target, path, flags, mode)
    }

    /// The child starts in `directory` (glibc 2.29+, macOS 10.15+).
    public func changeDirectory(_ directory: String) {
        #if os(Linux)
        _ = glibcAddChdir(&actions, directory)
        #elseif os(macOS)
        _ = posix_spawn_file_actions_addchdir_np(&actions, directory)
        #endif
    }

    /// Default dispositions for the signals a terminal or a supervisor sends, and an empty mask,
    /// whatever we ignore or block (resume ignores ^C while Claude runs; Claude must not inherit that).
    public func resetSignals() {
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        flags |= Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
    }

    /// The child leads a new session, without a controlling terminal: a detached background process
    /// that a closing terminal's SIGHUP does not reach.
    public func startNewSession() {
        #if os(Linux)
        flags |= 0x80  // POSIX_SPAWN_SETSID, glibc 2.26+ <spawn.h>; the Glibc module does not export it
        #elseif os(macOS)
        flags |= Int32(POSIX_SPAWN_SETSID)
        #endif
    }

    /// The child inherits no descriptor but 0, 1 and 2 (and what the file actions set up): a
    /// long-lived child keeps nothing its starter had open.
    public func closeOtherDescriptors() {
        #if os(Linux)
        _ = glibcAddClosefrom(&actions, 3)  // glibc 2.34+
        #elseif os(macOS)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
    }

    /// Starts `program` (looked up in `PATH` when `searchPath`), returning its pid, or the error
    /// number `posix_spawn` gave.
    public func run(_ program: String, arguments: [String], environment: [String: String],
                    searchPath: Bool = true) -> Result<pid_t, SpawnError> {
        posix_spawnattr_setflags(&attributes, Int16(truncatingIfNeeded: flags))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let code = searchPath
            ? posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
            : posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        return code == 0 ? .success(pid) : .failure(SpawnError(errno: code))
    }
}

public struct SpawnError: Error, Sendable {
    public let errno: Int32
}

extension Platform {
    /// A pipe whose both ends are close-on-exec, so a child that another thread spawns at the same
    /// moment does not inherit them (our reads would then wait for that child's end). Linux: `pipe2`
    /// sets the flag atomically. Darwin has no `pipe2`: the flag is set right after, and as children
    /// started through `Spawn` with `closeOtherDescriptors` get no descriptor they were not given,
    /// the moment between the two calls leaks nothing to them.
    public static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        guard glibcPipe2(&fds, O_CLOEXEC) == 0 else { return nil }
        #elseif os(macOS)
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        #endif
        return (fds[0], fds[1])
    }

    /// The environment this process was started with.
    public static func environment() -> [String: String] {
        var result: [String: String] = [:]
        #if os(Linux)
        var p = environ
        #elseif os(macOS)
        guard var p = _NSGetEnviron()?.pointee else { return result }
        #endif
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { result[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return result
    }
}

#if os(Linux)
// glibc has these, but its module map does not export them (they are _GNU_SOURCE / _np names).
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func glibcAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>,
                           _ path: UnsafePointer<CChar>) -> Int32

@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func glibcAddClosefrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32

@_silgen_name("pipe2")
private func glibcPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
#elseif os(macOS)
// Darwin's <spawn.h> declares posix_spawn_file_actions_addchdir_np (macOS 10.15+) and <sys/spawn.h>
// the POSIX_SPAWN_* flags, and <crt_externs.h> _NSGetEnviron: nothing to declare here.
#endif
