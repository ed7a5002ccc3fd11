import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--dir`, shared by every command that works on a sync working copy.
struct WorkingCopyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The sync working copy (default: $CCSYNC_DIR or ~/.ccsync).", valueName: "dir"))
    var dir: String?

    var directory: String { dir.map(CLIContext.absolute) ?? CLIContext.defaultDirectory }

    func open() throws -> WorkingCopy {
        try Self.open(directory: directory)
    }

    /// The working copy `--dir` names (as typed), else the default one.
    static func open(dir: String?) throws -> WorkingCopy {
        try open(directory: dir.map(CLIContext.absolute) ?? CLIContext.defaultDirectory)
    }

    static func open(directory: String) throws -> WorkingCopy {
        guard FileSystem.exists(directory) else {
            throw CLIError(message: "\(directory) does not exist (run 'git ccsync init' first, or pass --dir)")
        }
        return try WorkingCopy.open(directory: directory, home: CLIContext.home,
                                    defaultClaudeRoot: CLIContext.claudeRoot, runner: CLIContext.runner)
    }
}

/// What the command line takes from the process environment, in one place: the core never reads it.
enum CLIContext {
    static func env(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let s = String(cString: value)
        return s.isEmpty ? nil : s
    }

    static var home: String? { ProcessEnvironment.home }

    static var defaultDirectory: String {
        if let dir = env("CCSYNC_DIR") { return absolute(dir) }
        return (home ?? "/") + "/.ccsync"
    }

    /// Where this machine's age identity lives when `ccsync.identity` is not set: outside every working
    /// copy, so it survives a working copy deleted and cloned again.
    static func identityPath(machine: MachineID) -> String {
        let config = env("XDG_CONFIG_HOME").map(absolute) ?? (home ?? "/") + "/.config"
        return config + "/git-ccsync/identity-\(machine)"
    }

    static var claudeRoot: String {
        if let dir = env("CLAUDE_CONFIG_DIR") { return absolute(dir) }
        return (home ?? "/") + "/.claude"
    }

    static var runner: ProcessRunner {
        ProcessRunner(environment: Platform.environment())
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" { return home ?? "/" }
        if path.hasPrefix("~/") { return (home ?? "") + String(path.dropFirst(1)) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return cwd == "/" ? "/" + path : cwd + "/" + path
    }

    /// A placeholder's path as the user typed it, made absolute like any path, except a Windows path
    /// (`C:\Users\ana`, `C:/Users/ana`, `\\server\share`): that is already absolute for the machine whose
    /// logs hold it, and prefixing this machine's cwd would make it match nothing.
    static func placeholderPath(_ path: String) -> String {
        let b = Array(path.utf8)
        let drive = b.count >= 3 && (b[0] | 0x20) >= 0x61 && (b[0] | 0x20) <= 0x7A && b[1] == UInt8(ascii: ":")
            && (b[2] == UInt8(ascii: "\\") || b[2] == UInt8(ascii: "/"))
        let unc = b.starts(with: [0x5C, 0x5C])
        return drive || unc ? path : absolute(path)
    }

    /// This binary's absolute path, written into git config and hooks so they call exactly this build.
    static var executable: String {
        Platform.executablePath() ?? CommandLine.arguments.first.map(absolute) ?? "git-ccsync"
    }

    static var stderrIsTerminal: Bool { Terminal.isTerminal(2) }
    static var stdinIsTerminal: Bool { Terminal.isTerminal(0) }

    /// Progress on a terminal; silent when stderr is a file or pipe (scripts, tests).
    static func progress(_ message: String) {
        trace(message)
        guard stderrIsTerminal else { return }
        writeStderr("\u{1B}[2m\(message)…\u{1B}[0m\n")
    }

    /// The progress of long work for a command: counts and percentages rewritten in place on stderr
    /// when it is a terminal; nothing at all with `quiet` or when stderr is a file or pipe. Step messages
    /// go through it too (so a counter's line is ended before one), and to the trace.
    static func reporter(quiet: Bool) -> ProgressReporter {
        guard !quiet, stderrIsTerminal else { return ProgressReporter(sink: nil) }
        return ProgressReporter(sink: { event in
            switch event {
            case .update(let text): writeStderr("\r" + text + "\u{1B}[K")
            case .done(let text): writeStderr("\r" + text + "\u{1B}[K\n")
            case .step(let text): writeStderr("\u{1B}[2m\(text)…\u{1B}[0m\n")
            }
        })
    }

    /// Step messages for a command's `progress`: shown through `reporter`, always traced.
    static func steps(_ reporter: ProgressReporter) -> (String) -> Void {
        { message in
            trace(message)
            reporter.step(message)
        }
    }

    /// `GIT_CCSYNC_TRACE=1`: each step with the milliseconds since the program started, on stderr (like
    /// git's `GIT_TRACE_PERFORMANCE`), to see where a slow sync spends its time.
    static let tracing = env("GIT_CCSYNC_TRACE") == "1"
    static let started = monotonicMilliseconds()

    static func trace(_ step: @autoclosure () -> String) {
        guard tracing else { return }
        let hundredths = Int(((monotonicMilliseconds() - started) * 100).rounded())
        let figure = "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
        writeStderr("git-ccsync: " + String(repeating: " ", count: max(0, 8 - figure.count)) + figure + " ms  " + step() + "\n")
    }

    static func monotonicMilliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
    }

    static func warn(_ message: String) {
        writeStderr("git-ccsync: warning: \(message)\n")
    }

    /// JSON for scripts: stable key order, slashes unescaped, dates in ISO 8601.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func print(_ text: String) {
        var bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
    }

    /// Reads one line from the controlling terminal (works even when stdin is redirected).
    static func ask(_ prompt: String) -> String? {
        guard let tty = fopen("/dev/tty", "r+") else { return nil }
        defer { fclose(tty) }
        fputs(prompt, tty)
        fflush(tty)
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        guard getline(&line, &capacity, tty) > 0, let line else { return nil }
        var answer = String(cString: line)
        while answer.hasSuffix("\n") || answer.hasSuffix("\r") { answer.removeLast() }
        return answer.trimmed
    }

    static var shortHostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(name.split(separator: ".").first ?? "machine")
    }
}
