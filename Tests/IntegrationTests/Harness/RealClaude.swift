import Foundation

/// The real Claude Code executable, as the PyPI package `claude-agent-sdk` bundles it
/// (`claude_agent_sdk/_bundled/claude`), or wherever `CCSYNC_CLAUDE_CLI` points. Offline and logged out,
/// `claude --resume <id> -p <prompt>` runs the SessionStart, UserPromptSubmit and SessionEnd hooks and
/// exits with "Not logged in": enough to test the hooks end to end with the real program.
struct RealClaude {
    let path: String

    /// Nil when there is none here; the caller prints one line saying what it skipped.
    static let found: RealClaude? = {
        if let given = ProcessInfo.processInfo.environment["CCSYNC_CLAUDE_CLI"], !given.isEmpty {
            return FileManager.default.isExecutableFile(atPath: given) ? RealClaude(path: given) : nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import claude_agent_sdk,os;print(os.path.dirname(claude_agent_sdk.__file__))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        guard done.wait(timeout: .now() + 30) == .success else {
            process.terminate()
            return nil
        }
        let directory = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let path = directory + "/_bundled/claude"
        return process.terminationStatus == 0 && FileManager.default.isExecutableFile(atPath: path) ? RealClaude(path: path) : nil
    }()

    /// Runs the test body with the real Claude, or prints that it was skipped.
    static func with(_ test: String = #function, _ body: (RealClaude) throws -> Void) throws {
        guard let claude = found else {
            print("skipped \(test): no Claude Code executable (pip install claude-agent-sdk, or set CCSYNC_CLAUDE_CLI)")
            return
        }
        try body(claude)
    }

    /// The environment a logged-out, offline Claude runs in on `machine`: no key, no traffic but the
    /// API call that fails at once, its store in the machine's.
    func environment(_ machine: SyncMachine) -> [String: String] {
        var environment = machine.environment
        environment["CLAUDE_CONFIG_DIR"] = machine.claudeRoot
        environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1"
        environment["DISABLE_AUTOUPDATER"] = "1"
        environment["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9"
        return environment
    }

    /// `claude --resume <id> -p <prompt>` in `cwd` on `machine` (within the harness's command deadline).
    func resume(_ id: String, prompt: String, in cwd: String, on machine: SyncMachine, arguments: [String] = []) throws -> CommandResult {
        try Command.run(path, arguments + ["--resume", id, "-p", prompt], in: cwd, environment: environment(machine), sandbox: machine.sandbox)
    }
}
