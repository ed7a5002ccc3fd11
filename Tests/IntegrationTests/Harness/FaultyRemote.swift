import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The test remote failing the ways a real one does: gone (moved away, a port nobody listens on), a
/// server hook that refuses pushes, a server slow to take a push, a transport slow on every round trip.
/// Each fault is set up and removed explicitly, so a test can show that the next command, once the
/// fault is gone, finishes the work.
struct FaultyRemote {
    /// What the refusing hook prints; the user must get to see it.
    static let refusal = "the remote is read-only during maintenance"

    let sandbox: Sandbox
    /// The bare repository's path (also its URL).
    let path: String

    var hook: String { path + "/hooks/pre-receive" }
    var awayPath: String { path + ".away" }
    /// Exists while the slow hook sleeps (so a test knows the push is in the middle of it).
    var sleepingMarker: String { sandbox.path("remote-faults/sleeping") }
    private var slowFlag: String { sandbox.path("remote-faults/slow-once") }

    init(sandbox: Sandbox, path: String) throws {
        self.sandbox = sandbox
        self.path = path
        try sandbox.mkdir(sandbox.path("remote-faults"))
    }

    // MARK: unreachable

    /// The remote's directory disappears (a server moved, a disk unmounted).
    func moveAway() throws { try FileManager.default.moveItem(atPath: path, toPath: awayPath) }
    func moveBack() throws { try FileManager.default.moveItem(atPath: awayPath, toPath: path) }

    /// A `git://` URL on a local port that nothing listens on: the connection is refused.
    static func closedPortURL() throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw HarnessError("bind: \(String(cString: strerror(errno)))") }
        // Bound but never listening, and closed on return: connections to it are refused.
        return "git://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/remote.git"
    }

    // MARK: server hooks

    /// A pre-receive hook that refuses every push (`branchesOnly`: only updates of branches, so lock refs
    /// still move) with `refusal` on stderr.
    func refuse(branchesOnly: Bool = false) throws {
        let check = branchesOnly ? #"case "$ref" in refs/heads/*) ;; *) continue ;; esac"# : ""
        try writeHook("""
            while read old new ref; do
                \(check)
                echo "\(Self.refusal)" >&2
                exit 1
            done
            exit 0
            """)
    }

    /// A pre-receive hook that, for the next push only, marks itself as sleeping and takes `seconds`.
    func slowOnce(seconds: Double) throws {
        _ = FileManager.default.createFile(atPath: slowFlag, contents: nil)
        try? FileManager.default.removeItem(atPath: sleepingMarker)
        try writeHook("""
            cat > /dev/null
            if [ -e '\(slowFlag)' ]; then
                rm -f '\(slowFlag)'
                : > '\(sleepingMarker)'
                sleep \(seconds)
            fi
            exit 0
            """)
    }

    /// No hook: the remote takes every push again.
    func accept() throws {
        try? FileManager.default.removeItem(atPath: hook)
    }

    private func writeHook(_ body: String) throws {
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: hook))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
    }

    // MARK: a slow transport

    /// Makes `machine` reach the remote over "ssh" through a stand-in that waits `seconds` before every
    /// connection (a slow link), then runs git's server side locally. Returns the URL it now uses.
    @discardableResult
    func slowTransport(for machine: SyncMachine, seconds: Double) throws -> String {
        let script = sandbox.path("remote-faults/slow-ssh")
        // git runs `<command> <host> "<git-upload-pack|git-receive-pack> '<path>'"` (ssh.variant simple).
        try Data("""
            #!/bin/sh
            shift
            sleep \(seconds)
            exec sh -c "$1"

            """.utf8).write(to: URL(fileURLWithPath: script))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let url = "ssh://slowhost" + path
        try machine.git("config", "core.sshCommand", script)
        try machine.git("config", "ssh.variant", "simple")
        try machine.git("config", "remote.origin.url", url)
        return url
    }
}
