#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program without a shell: `posix_spawnp`, its output captured through pipes (read with `poll`,
/// so a full stderr pipe never blocks a child writing to stdout), or passed through to our own terminal.
public struct ProcessRunner: Sendable {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: [UInt8]
        public let stderr: [UInt8]
        public var succeeded: Bool { status == 0 }
        public var output: String { String(decoding: stdout, as: UTF8.self) }
        public var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
        /// stdout without its final newline, for one-value commands.
        public var trimmed: String {
            var s = output
            while s.hasSuffix("\n") || s.hasSuffix("\r") { s.removeLast() }
            return s
        }
    }

    public enum Output: Sendable { case capture, inherit }

    /// The complete environment of every child, `NAME=value`.
    public let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func with(_ overrides: [String: String?]) -> ProcessRunner {
        var env = environment
        for (k, v) in overrides { env[k] = v }
        return ProcessRunner(environment: env)
    }

    /// - Parameter onStderr: called with each chunk of the child's stderr as it arrives (git's progress),
    ///   besides its capture in the result.
    public func run(_ program: String, _ arguments: [String], in directory: String? = nil,
                    input: [UInt8]? = nil, output: Output = .capture,
                    onStderr: (([UInt8]) -> Void)? = nil) throws(FileIOError) -> Result {
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        var stdinPipe: [Int32] = [-1, -1]
        // Close-on-exec pipes: a child that another thread spawns at the same moment must not inherit
        // them, or our reads would wait for that child's end. (dup2 onto 0/1/2 clears the flag.)
        if output == .capture {
            guard pipe2(&stdoutPipe, O_CLOEXEC) == 0, pipe2(&stderrPipe, O_CLOEXEC) == 0 else {
                throw FileIOError(path: program, operation: "creating pipes for", errno: errno)
            }
        }
        if input != nil, pipe2(&stdinPipe, O_CLOEXEC) != 0 {
            throw FileIOError(path: program, operation: "creating pipes for", errno: errno)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if output == .capture {
            posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
            for fd in stdoutPipe + stderrPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
            for fd in stdinPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        } else if output == .capture {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if let directory { _ = spawnFileActionsAddChdir(&actions, directory) }

        // The child starts with default signal handling and nothing blocked, whatever we ignore or block
        // (resume ignores ^C while Claude runs; Claude must not inherit that).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        Self.resetSignals(&attributes)

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        for fd in [stdoutPipe[1], stderrPipe[1], stdinPipe[0]] where fd >= 0 { close(fd) }
        guard spawned == 0 else {
            for fd in [stdoutPipe[0], stderrPipe[0], stdinPipe[1]] where fd >= 0 { close(fd) }
            throw FileIOError(path: program, operation: "running", errno: spawned)
        }

        var out: [UInt8] = []
        var err: [UInt8] = []
        pump(stdout: stdoutPipe[0], stderr: stderrPipe[0], stdin: stdinPipe[1], input: input ?? [],
             out: &out, err: &err, onStderr: onStderr)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode: Int32
        if status & 0x7f == 0 { exitCode = (status >> 8) & 0xff } else { exitCode = 128 + (status & 0x7f) }
        return Result(status: exitCode, stdout: out, stderr: err)
    }

    /// Default dispositions for the signals a terminal or a supervisor sends, and an empty mask.
    public static func resetSignals(_ attributes: inout posix_spawnattr_t) {
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var flags: Int16 = 0
        posix_spawnattr_getflags(&attributes, &flags)
        posix_spawnattr_setflags(&attributes, flags | Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    }

    private func pump(stdout: Int32, stderr: Int32, stdin: Int32, input: [UInt8],
                      out: inout [UInt8], err: inout [UInt8], onStderr: (([UInt8]) -> Void)?) {
        var fds: [pollfd] = []
        if stdout >= 0 { fds.append(pollfd(fd: stdout, events: Int16(POLLIN), revents: 0)) }
        if stderr >= 0 { fds.append(pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)) }
        var written = 0
        var stdinFD = stdin
        if stdinFD >= 0 {
            if input.isEmpty { close(stdinFD); stdinFD = -1 } else {
                _ = fcntl(stdinFD, F_SETFL, fcntl(stdinFD, F_GETFL) | O_NONBLOCK)
                fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0))
            }
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !fds.isEmpty {
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            var closed: [Int32] = []
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdinFD {
                    let n = input.withUnsafeBytes { write(stdinFD, $0.baseAddress! + written, input.count - written) }
                    if n > 0 { written += n }
                    if n < 0 && errno != EAGAIN && errno != EINTR || written == input.count { closed.append(stdinFD) }
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if entry.fd == stdout {
                        out.append(contentsOf: buffer[0..<n])
                    } else {
                        err.append(contentsOf: buffer[0..<n])
                        onStderr?(Array(buffer[0..<n]))
                    }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    closed.append(entry.fd)
                }
            }
            for fd in closed {
                close(fd)
                fds.removeAll { $0.fd == fd }
            }
        }
    }
}

/// Closes every descriptor from `lowest` up in the child (glibc 2.34+): a long-lived child such as the
/// daemon keeps nothing its starter had open.
public func spawnFileActionsAddCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
    spawnFileActionsAddClosefromNP(actions, lowest)
}

@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnFileActionsAddClosefromNP(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32

// glibc (2.29+) and macOS have it, but Glibc's module map does not export it.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnFileActionsAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>,
                                      _ path: UnsafePointer<CChar>) -> Int32

// Linux (and the BSDs) have pipe2; Glibc's module map does not export it (it is a _GNU_SOURCE name).
@_silgen_name("pipe2")
private func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
