import Foundation

/// A command started and not yet waited for, so that two machines' commands can run at the same time
/// (a push race). Output goes to files in the sandbox, as with `Command.run`; the file names are taken
/// when the command is started, on the test's own thread.
final class RunningCommand {
    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    private let executable: String
    private let arguments: [String]
    private let directory: String
    private let outPath: String
    private let errPath: String
    private let out: FileHandle
    private let err: FileHandle

    init(_ executable: String, _ arguments: [String], in directory: String, environment: [String: String],
         sandbox: Sandbox) throws {
        self.executable = executable
        self.arguments = arguments
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

    /// Waits for the command (at most `Command.timeout`) and returns what it did.
    func wait() throws -> CommandResult {
        defer {
            try? out.close()
            try? err.close()
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        if exited.wait(timeout: .now() + Command.timeout) == .timedOut {
            process.terminate()
            exited.wait()
            throw HarnessError("\(executable) \(arguments) in \(directory) did not finish within \(Int(Command.timeout)) s")
        }
        return CommandResult(
            arguments: [URL(fileURLWithPath: executable).lastPathComponent] + arguments,
            directory: directory,
            status: process.terminationStatus,
            stdout: Array(try Data(contentsOf: URL(fileURLWithPath: outPath))),
            stderr: Array(try Data(contentsOf: URL(fileURLWithPath: errPath))))
    }
}
