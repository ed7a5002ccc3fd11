import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A remote served over the network by `git daemon` on 127.0.0.1 (receive-pack enabled), so that
/// pushes and fetches of several machines meet in separate server processes as they would on a real
/// host, not in one file system shortcut. The daemon is stopped when the server is released.
final class GitDaemonServer {
    /// The directory the daemon serves (`--base-path`).
    let basePath: String
    let port: UInt16
    private let daemon: BackgroundCommand

    /// Starts `git daemon` for `basePath` on a free port and waits until it accepts connections.
    /// Another program may take the port between our probe and the daemon's bind: then a new port is
    /// tried.
    init(basePath: String, machine: Machine) throws {
        self.basePath = basePath
        var lastFailure = ""
        for _ in 0..<5 {
            let port = try Self.freePort()
            let daemon = try BackgroundCommand(
                machine.gitExecutable,
                ["daemon", "--export-all", "--enable=receive-pack", "--reuseaddr", "--informative-errors",
                 "--base-path=\(basePath)", "--listen=127.0.0.1", "--port=\(port)"],
                in: basePath, environment: machine.environment, sandbox: machine.sandbox)
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline, !daemon.hasEnded, !Self.accepts(port: port) { usleep(50_000) }
            if !daemon.hasEnded, Self.accepts(port: port) {
                self.port = port
                self.daemon = daemon
                return
            }
            daemon.send(SIGKILL)
            lastFailure = (try? daemon.wait(timeout: 10).description) ?? "(no output)"
        }
        throw HarnessError("git daemon did not start:\n\(lastFailure)")
    }

    deinit {
        stop()
    }

    /// Ends the daemon and the receive-packs and upload-packs it started.
    func stop() {
        guard !daemon.hasEnded else { return }
        ProcessTree.killWhole(daemon.pid)
        _ = try? daemon.wait(timeout: 10)
    }

    /// The URL a clone uses for the repository `name` (a directory under `basePath`).
    func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    /// A port nobody listens on now: the kernel's pick for a socket bound to port 0.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw HarnessError("bind: \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw HarnessError("getsockname: \(String(cString: strerror(errno)))") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
