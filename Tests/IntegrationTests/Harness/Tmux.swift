import Foundation

/// A real pseudo-terminal for interactive commands: a tmux server of the test's own (its socket in the
/// sandbox), one detached session of a fixed size running one command, keys sent with `send-keys` and the
/// screen read with `capture-pane`. The command is written into a script that sets its whole environment
/// (nothing leaks in from the tmux server) and records its exit status in a file.
final class Tmux {
    let sandbox: Sandbox
    let executable: String
    let socket: String
    let statusFile: String
    private let environment: [String: String]
    private var started = false

    static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"])
            .map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(sandbox: Sandbox, name: String = "pty") throws {
        guard let tmux = Self.find() else { throw HarnessError("tmux is not installed (the picker tests drive a terminal with it)") }
        self.sandbox = sandbox
        executable = tmux
        socket = sandbox.path("\(name).sock")
        statusFile = sandbox.path("\(name).status")
        environment = [
            "HOME": sandbox.path("tmux-home"),
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "TERM": "xterm-256color",
            "TMUX_TMPDIR": sandbox.path("tmp"),
            "LANG": "C.UTF-8",
        ]
        try sandbox.mkdir(sandbox.path("tmux-home"))
        try sandbox.mkdir(sandbox.path("tmp"))
    }

    deinit { kill() }

    private static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs tmux with every inherited descriptor above stderr closed first: the server that `new-session`
    /// forks would otherwise keep them open, among them the socket through which Foundation's `Process`
    /// learns that a child has ended (so `Command.run` would wait for the server, not for the client).
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> CommandResult {
        let closeAndRun = HostProcess.closeInheritedDescriptors + #"exec "$0" "$@""#
        return try Command.run("/bin/bash", ["-c", closeAndRun, executable, "-S", socket] + arguments, in: sandbox.root,
                               environment: environment, sandbox: sandbox)
    }

    /// Starts `arguments` (an absolute executable first) in `directory` with exactly `environment`, on a
    /// `width`×`height` terminal.
    func start(_ arguments: [String], in directory: String, environment commandEnvironment: [String: String],
               width: Int = 120, height: Int = 30) throws {
        let script = sandbox.path("tmux-command.sh")
        var text = "#!/bin/sh\n"
        for (key, value) in commandEnvironment.sorted(by: { $0.key < $1.key }) { text += "export \(key)=\(Self.quoted(value))\n" }
        text += "cd \(Self.quoted(directory)) || exit 99\n"
        text += arguments.map(Self.quoted).joined(separator: " ") + "\n"
        text += "echo \"EXIT=$?\" > \(Self.quoted(statusFile))\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: script))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let result = try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height), script])
        guard result.succeeded else { throw CommandFailure(result: result) }
        started = true
    }

    /// `send-keys` with tmux key names (`Down`, `Up`, `Enter`, `Escape`).
    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "main"] + keys).orThrow()
    }

    /// Types `text` literally.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "main", "-l", text]).orThrow()
    }

    /// The screen's text now (empty once the command has ended and the session is gone).
    func screen() throws -> String {
        let result = try tmux(["capture-pane", "-p", "-t", "main"])
        return result.succeeded ? result.stdoutText : ""
    }

    /// Polls the screen until `condition` holds; returns that screen.
    @discardableResult
    func waitForScreen(_ what: String, timeout: TimeInterval = 30, _ condition: (String) -> Bool) throws -> String {
        var last = ""
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            if exitStatus != nil { break }
            usleep(50_000)
        }
        throw HarnessError("the terminal never showed \(what) (exit status: \(exitStatus.map(String.init) ?? "still running")); "
                           + "last screen:\n\(last)")
    }

    /// The command's exit status once it has ended.
    var exitStatus: Int32? {
        guard let text = try? String(contentsOfFile: statusFile, encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("EXIT=") else { return nil }
        return Int32(line.dropFirst(5))
    }

    /// Waits for the command to end; returns its exit status.
    func waitForExit(timeout: TimeInterval = 60) throws -> Int32 {
        var screenShown = ""
        try waitUntil("the command in tmux to end", timeout: timeout, context: { screenShown }) {
            if exitStatus != nil { return true }
            screenShown = (try? screen()) ?? ""
            return false
        }
        return exitStatus ?? -1
    }

    /// Ends the tmux server (and whatever still runs in it).
    func kill() {
        guard started else { return }
        started = false
        _ = try? tmux(["kill-server"])
    }
}
