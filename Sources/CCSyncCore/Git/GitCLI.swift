/// The git command line, for work-tree and network operations: the user's filters, hooks, credential
/// helpers and SSH configuration then apply exactly as in their own `git` commands. Only `Git` (the
/// façade) uses it; see there which operations run here.
struct GitCLI: Sendable {
    let directory: String
    /// The git directory when known (a linked worktree's or a `--separate-git-dir` one is not
    /// `<directory>/.git`); nil before a repository exists.
    let gitDirectory: String?
    let runner: ProcessRunner

    init(directory: String, gitDirectory: String?, runner: ProcessRunner) {
        self.directory = directory
        self.gitDirectory = gitDirectory
        self.runner = runner
    }

    func with(environment overrides: [String: String?]) -> GitCLI {
        GitCLI(directory: directory, gitDirectory: gitDirectory, runner: runner.with(overrides))
    }

    /// Runs git and returns its result whatever the exit status. A lock file that a killed git left
    /// behind (see `StaleGitLock`) is removed and the command run once more, instead of every later
    /// sync failing on it.
    /// - Parameter progress: where git's progress lines go while it runs (pass `--progress` too).
    func attempt(_ arguments: [String], input: [UInt8]? = nil,
                 progress: ProgressReporter? = nil) throws -> ProcessRunner.Result {
        // Checked before, not only after: some commands (`git merge`) report a stale index.lock only as
        // "Unable to write index." after they have started their work (MERGE_HEAD written).
        if let gitDirectory {
            let indexLock = gitDirectory + "/index.lock"
            if FileStat(path: indexLock) != nil { _ = StaleGitLock.removeIfStale(indexLock) }
        }
        let relay = progress.map(GitProgressRelay.init(reporter:))
        let observe = relay.map { relay in { (chunk: [UInt8]) in relay.feed(chunk) } }
        let result = try runner.run("git", arguments, in: directory, input: input, onStderr: observe)
        guard !result.succeeded, let lock = StaleGitLock.reported(in: result.errorOutput),
              StaleGitLock.removeIfStale(lock) else { return result }
        return try runner.run("git", arguments, in: directory, input: input, onStderr: observe)
    }

    /// Runs git and fails with git's own message when it fails.
    @discardableResult
    func run(_ arguments: [String], input: [UInt8]? = nil, progress: ProgressReporter? = nil) throws -> ProcessRunner.Result {
        let result = try attempt(arguments, input: input, progress: progress)
        guard result.succeeded else { throw GitCommandError(arguments: arguments, result: result) }
        return result
    }

    /// A single-line value (`rev-parse`, `config --get`), nil when git exits non-zero.
    func value(_ arguments: [String]) throws -> String? {
        let result = try attempt(arguments)
        return result.succeeded ? result.trimmed : nil
    }
}

/// A git command that failed: which, its exit status, and git's own stderr lines (empty lines
/// dropped), kept as lines so that no caller has to split a message again.
public struct GitCommandError: Error, Sendable, CustomStringConvertible {
    public let arguments: [String]
    public let status: Int32
    public let lines: [String]

    init(arguments: [String], result: ProcessRunner.Result) {
        self.arguments = arguments
        status = result.status
        lines = GitMessage.lines(of: result.errorOutput)
    }

    public var description: String {
        // git's own fatal/error lines say what went wrong; the advice after them (index.lock's five
        // lines of it) would otherwise push the cause out of the three lines shown.
        let flagged = lines.filter { $0.hasPrefix("fatal: ") || $0.hasPrefix("error: ") }
        let message = (flagged.isEmpty ? lines : flagged).suffix(3)
            .map { $0.trimmingPrefix("fatal: ").trimmingPrefix("error: ") }.joined(separator: "; ")
        return "git \(arguments.prefix(2).joined(separator: " ")) failed (exit \(status))"
            + (message.isEmpty ? "" : ": \(message)")
    }
}
