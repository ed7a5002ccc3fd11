import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command left running while the test does other things (a `resume` whose Claude is still at work),
/// with its process id, so the test can also kill it the hard way. Output goes to files in the sandbox,
/// as with `Command.run`.
final class BackgroundCommand {
    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    private let arguments: [String]
    private let directory: String
    private let outPath: String
    private let errPath: String
    private let out: FileHandle
    private let err: FileHandle
    private var result: CommandResult?

    init(_ executable: String, _ arguments: [String], in directory: String, environment: [String: String],
         sandbox: Sandbox) throws {
        self.arguments = [URL(fileURLWithPath: executable).lastPathComponent] + arguments
        self.directory = directory
        outPath = try sandbox.nextOutputFile("out")
        errPath = try sandbox.nextOutputFile("err")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw HarnessError("could not start \(executable) \(arguments) in \(directory): \(error)")
        }
    }

    deinit {
        // A test that stopped early must not leave the command running.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// What it wrote to stderr so far.
    var stderrSoFar: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` to the process itself (not to its children).
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Whether the process itself has ended, even if Foundation has not noticed yet: it learns of a
    /// child's end through a descriptor the child inherits, so while a grandchild that outlived the child
    /// (an orphaned Claude) keeps that descriptor open, `Process` still reports the child as running.
    var hasEnded: Bool {
        if !process.isRunning { return true }
        guard let state = HostProcess.status(pid)?.state else { return true }
        return state == "Z" || state == "X"
    }

    /// Waits for it (at most `timeout` seconds, then kills it and throws) and returns what it did.
    func wait(timeout: TimeInterval = 120) throws -> CommandResult {
        if let result { return result }
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = exited.wait(timeout: .now() + 10)
            let partial = collect()
            throw HarnessError("\(arguments) in \(directory) did not finish within \(Int(timeout)) s and was killed:\n\(partial)")
        }
        let finished = collect()
        result = finished
        return finished
    }

    private func collect() -> CommandResult {
        try? out.close()
        try? err.close()
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        return CommandResult(
            arguments: arguments, directory: directory,
            status: process.isRunning ? -1 : process.terminationStatus,
            stdout: (try? Data(contentsOf: URL(fileURLWithPath: outPath))).map(Array.init) ?? [],
            stderr: (try? Data(contentsOf: URL(fileURLWithPath: errPath))).map(Array.init) ?? [])
    }
}

/// Polls `condition` every 50 ms until it holds; throws after `timeout` seconds with `what` and,
/// if given, the output of `context`.
func waitUntil(_ what: @autoclosure () -> String, timeout: TimeInterval = 60,
               context: () -> String = { "" }, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return }
        if Date() > deadline {
            let more = context()
            throw HarnessError("timed out after \(Int(timeout)) s waiting for \(what())" + (more.isEmpty ? "" : ":\n\(more)"))
        }
        usleep(50_000)
    }
}
