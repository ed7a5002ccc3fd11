#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program without a shell: spawned through the platform layer, its output captured through pipes (read with `poll`,
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
        var stdoutPipe: (read: Int32, write: Int32) = (-1, -1)
        var stderrPipe: (read: Int32, write: Int32) = (-1, -1)
        var stdinPipe: (read: Int32, write: Int32) = (-1, -1)
        // Close-on-exec pipes: a child that another thread spawns at the same moment must not inherit
        // them, or our reads would wait for that child's end. (dup2 onto 0/1/2 clears the flag.)
        if output == .capture {
            guard let out = Platform.makePipe() else {
                throw FileIOError(path: program, operation: "creating pipes for", errno: errno)
            }
            stdoutPipe = out
            guard let err = Platform.makePipe() else {
                Self.closeAll(out.read, out.write)
                throw FileIOError(path: program, operation: "creating pipes for", errno: errno)
            }
            stderrPipe = err
        }
        if input != nil {
            guard let pipe = Platform.makePipe() else {
                Self.closeAll(stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write)
                throw FileIOError(path: program, operation: "creating pipes for", errno: errno)
            }
            stdinPipe = pipe
        }

        let spawn = Spawn()
        if output == .capture {
            spawn.duplicate(stdoutPipe.write, to: 1)
            spawn.duplicate(stderrPipe.write, to: 2)
        }
        if input != nil {
            spawn.duplicate(stdinPipe.read, to: 0)
        } else if output == .capture {
            spawn.open(0, "/dev/null", O_RDONLY)
        }
        if let directory { spawn.changeDirectory(directory) }
        // The child gets 0, 1 and 2 only: no pipe of ours, nor of a sibling started at the same moment.
        spawn.closeOtherDescriptors()
        spawn.resetSignals()

        let spawned = spawn.run(program, arguments: arguments, environment: environment)
        Self.closeAll(stdoutPipe.write, stderrPipe.write, stdinPipe.read)
        let pid: pid_t
        switch spawned {
        case .success(let child): pid = child
        case .failure(let error):
            Self.closeAll(stdoutPipe.read, stderrPipe.read, stdinPipe.write)
            throw FileIOError(path: program, operation: "running", errno: error.errno)
        }

        var out: [UInt8] = []
        var err: [UInt8] = []
        pump(stdout: stdoutPipe.read, stderr: stderrPipe.read, stdin: stdinPipe.write, input: input ?? [],
             out: &out, err: &err, onStderr: onStderr)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Result(status: Self.exitCode(status), stdout: out, stderr: err)
    }

    /// A shell-style exit code from a `waitpid` status: the exit status, or 128 + the signal.
    public static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Starts `program` detached from us: in a session of its own (no controlling terminal, so a
    /// closing terminal's SIGHUP never reaches it), stdin from /dev/null, stdout and stderr appended
    /// to `log`, no other descriptor of ours, default signal handling. Returns its pid; we never wait
    /// for it (it is reparented to init when we exit).
    public func startDetached(_ program: String, _ arguments: [String], log: String,
                              logMode: mode_t = 0o644) throws(FileIOError) -> Int32 {
        let spawn = Spawn()
        spawn.open(0, "/dev/null", O_RDONLY)
        spawn.open(1, log, O_WRONLY | O_CREAT | O_APPEND, logMode)
        spawn.duplicate(1, to: 2)
        spawn.closeOtherDescriptors()
        spawn.resetSignals()
        spawn.startNewSession()
        switch spawn.run(program, arguments: arguments, environment: environment, searchPath: false) {
        case .success(let pid): return pid
        case .failure(let error): throw FileIOError(path: program, operation: "starting", errno: error.errno)
        }
    }

    private static func closeAll(_ fds: Int32...) {
        for fd in fds where fd >= 0 { _ = systemClose(fd) }
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
