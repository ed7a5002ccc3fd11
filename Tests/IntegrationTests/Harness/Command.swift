import Foundation

/// What one finished command did. Its description is what a failing test prints: the command, where it
/// ran, its exit status and both outputs.
struct CommandResult: CustomStringConvertible {
    let arguments: [String]
    let directory: String
    let status: Int32
    let stdout: [UInt8]
    let stderr: [UInt8]

    var succeeded: Bool { status == 0 }
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    var description: String {
        func shown(_ bytes: [UInt8]) -> String {
            if bytes.isEmpty { return "(empty)" }
            let limit = 6_000
            let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
            return bytes.count > limit ? text + "\n... (\(bytes.count) bytes in all)" : text
        }
        let command = arguments.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
        return """
            `\(command)` in \(directory) exited with \(status)
            --- stdout
            \(shown(stdout))
            --- stderr
            \(shown(stderr))
            """
    }
}

/// A command that had to succeed and did not; thrown so the test stops with the command's output.
struct CommandFailure: Error, CustomStringConvertible {
    let result: CommandResult
    var description: String { "command failed: \(result)" }
}

/// Runs programs with exactly the environment given (nothing inherited), stdout and stderr captured as
/// bytes. Output goes to files in the sandbox rather than pipes, so a chatty command can never block on a
/// full pipe while we wait for it.
enum Command {
    /// Long enough for the largest fixture; a filter that deadlocks with git fails the test instead of
    /// hanging the run.
    static let timeout: TimeInterval = 300

    static func run(_ executable: String, _ arguments: [String], in directory: String,
                    environment: [String: String], stdin: [UInt8]? = nil, sandbox: Sandbox) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment

        let outPath = try sandbox.nextOutputFile("out")
        let errPath = try sandbox.nextOutputFile("err")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer {
            try? out.close()
            try? err.close()
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        process.standardOutput = out
        process.standardError = err

        var input: FileHandle?
        var inPath: String?
        if let stdin {
            let path = try sandbox.nextOutputFile("in")
            _ = FileManager.default.createFile(atPath: path, contents: Data(stdin))
            input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            inPath = path
        }
        defer {
            try? input?.close()
            if let inPath { try? FileManager.default.removeItem(atPath: inPath) }
        }
        process.standardInput = input ?? FileHandle.nullDevice

        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw HarnessError("could not start \(executable) \(arguments) in \(directory): \(error)")
        }
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            // A process that ignores SIGTERM (or never gets it delivered) must not hold the test up either.
            if exited.wait(timeout: .now() + 10) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = exited.wait(timeout: .now() + 10)
            }
            throw HarnessError("\(executable) \(arguments) in \(directory) did not finish within \(Int(timeout)) s "
                               + "and was terminated (a filter that deadlocks with git?)")
        }
        return CommandResult(
            arguments: [URL(fileURLWithPath: executable).lastPathComponent] + arguments,
            directory: directory,
            status: process.terminationStatus,
            stdout: Array(try Data(contentsOf: URL(fileURLWithPath: outPath))),
            stderr: Array(try Data(contentsOf: URL(fileURLWithPath: errPath))))
    }
}
