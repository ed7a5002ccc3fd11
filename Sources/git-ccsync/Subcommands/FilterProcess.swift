import ArgumentParser
import CCSyncCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GitCCSync {
    /// `filter.ccsync.process`: git starts it once per command and sends it every file.
    struct FilterProcess: FastDispatchable {
        static let configuration = CommandConfiguration(
            commandName: "filter-process",
            abstract: "Serve git's long-running filter protocol (filter.ccsync.process).",
            discussion: "Git runs this itself; it reads pkt-lines on stdin and answers on stdout."
        )

        var invocation: FastDispatch.Invocation { .filterProcess }

        static func serve() throws {
            let filter = try FilterSetup.make()
            CLIContext.trace("filter ready")
            var session = FilterProcessSession(source: FileDescriptorSource(fd: 0), sink: FileDescriptorSink(fd: 1))
            do {
                try FilterProcessServer.serve(
                    session: &session,
                    handler: { request in
                        CLIContext.trace("\(request.command.rawValue) \(request.pathname): \(request.content.count) bytes received")
                        defer { CLIContext.trace("\(request.command.rawValue) \(request.pathname): translated") }
                        return try filter.handle(request)
                    },
                    onError: { request, error in
                        writeStderr("git-ccsync: error: \(request.command.rawValue) \(request.pathname): \(CLIErrors.describe(error))\n")
                    })
            } catch {
                throw CLIError(message: "filter protocol: \(error)")
            }
        }
    }

    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clean",
            abstract: "Translate one file from this machine's paths to placeholders (stdin to stdout).",
            discussion: "The single-file fallback git uses as filter.ccsync.clean."
        )

        @Argument(help: "The file's path in the working copy (used to find its staged version).")
        var path: String

        func run() throws {
            try FilterSetup.translateStandardInput(.clean, path: path)
        }
    }

    struct Smudge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "smudge",
            abstract: "Translate one file from placeholders to this machine's paths (stdin to stdout).",
            discussion: "The single-file fallback git uses as filter.ccsync.smudge."
        )

        @Argument(help: "The file's path in the working copy.")
        var path: String

        func run() throws {
            try FilterSetup.translateStandardInput(.smudge, path: path)
        }
    }
}

/// Builds the filter for the repository git runs us in.
enum FilterSetup {
    /// The single-file fallbacks: stdin to stdout, through the same filter as the long-running process.
    static func translateStandardInput(_ command: FilterRequest.Command, path: String) throws {
        let filter = try make()
        let input = try readAll(fd: 0, path: "stdin")
        let output = command == .clean ? try filter.clean(path: path, content: input) : try filter.smudge(path: path, content: input)
        try writeAll(fd: 1, output, path: "stdout")
    }

    static func make() throws -> CCSyncFilter {
        let repository: GitRepository
        if let gitDir = CLIContext.env("GIT_DIR") {
            // git --work-tree=..., git worktree, hooks: git describes the repository in the environment.
            repository = try GitRepository(gitDirectory: CLIContext.absolute(gitDir),
                                           workTree: CLIContext.env("GIT_WORK_TREE").map(CLIContext.absolute) ?? CLIContext.absolute("."),
                                           indexFile: CLIContext.env("GIT_INDEX_FILE").map(CLIContext.absolute))
        } else {
            repository = try GitRepository(discoveringFrom: CLIContext.env("GIT_WORK_TREE").map(CLIContext.absolute) ?? ".")
        }
        guard let workTree = repository.workTree else {
            throw CLIError(message: "the filter needs a working copy, not a bare repository")
        }
        let settings = Settings(repository: repository, environment: CLIContext.runner.environment)
        let machine = try settings.machine.map { try MachineID($0, location: "git config \(Settings.Key.machine.rawValue)") }
        let filter = CCSyncFilter(
            workTree: workTree,
            machine: machine,
            home: ProcessEnvironment.home,
            repository: repository,
            warn: { writeStderr("git-ccsync: warning: \($0)\n") })
        filter.settings = settings
        filter.redactSecrets = settings.redactsSecrets
        return filter
    }
}

enum ProcessEnvironment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// This machine's home directory, the built-in {{HOME}}.
    static var home: String? {
        if let home = value("HOME"), !home.isEmpty { return home }
        guard let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }
}
