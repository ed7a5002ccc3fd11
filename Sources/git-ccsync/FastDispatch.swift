import ArgumentParser

/// Start-up fast path: git starts us for every filter call, and `pull`, `push` and `resume <id>` are run
/// often. Even a leaf command's `parse` costs about a millisecond here (swift-argument-parser builds and
/// checks the command tree and reflects over the command's property wrappers), more than a quarter of
/// what `pull` with nothing new spends before its fetch. Measured on a release build (GIT_CCSYNC_TRACE,
/// milliseconds from start to the first step, median of 60): `pull` 0.61 through here, 1.66 through the
/// root parser; `filter-process` 0.29 against 1.22. A leaf command's own `parse` saved only 0.08 ms over
/// the root parser, so that tier is gone: everything but the shapes below goes to the root parser.
///
/// Cannot drift: the fast path never builds a command value (an unassigned property wrapper would stop
/// the program when read). It builds the same plain `Invocation` each command's `run` executes, with the
/// option defaults declared once in those `Invocation`s; FastDispatchTests parses every shape in
/// `shapes` with the root parser and checks that the command it builds has the same invocation.
enum FastDispatch {
    /// What a command line asks for, as plain values.
    enum Invocation: Equatable {
        case pull(GitCCSync.Pull.Invocation)
        case push(GitCCSync.Push.Invocation)
        case update(GitCCSync.Update.Invocation)
        case resume(GitCCSync.Resume.Invocation)
        case filterProcess
    }

    /// One command line of each shape `invocation` recognises (for the tests).
    static let shapes: [[String]] = [
        ["pull"], ["push"], ["update"], ["filter-process"],
        ["resume", "5a5a5a5a-1111-4111-8111-111111111111"], ["resume", "5a5a"],
    ]

    /// The everyday invocations, recognised without any parser; nil for anything else (options, help,
    /// a parse error), which the root parser then handles with its messages and exit codes.
    static func invocation(_ arguments: [String]) -> Invocation? {
        switch (arguments.first, arguments.count) {
        case ("pull", 1): return .pull(.init())
        case ("push", 1): return .push(.init())
        case ("update", 1): return .update(.init())
        case ("filter-process", 1): return .filterProcess
        case ("resume", 2) where !arguments[1].hasPrefix("-") && !arguments[1].isEmpty:
            var resume = GitCCSync.Resume.Invocation()
            resume.session = arguments[1]
            return .resume(resume)
        default:
            return nil
        }
    }

    static func run(_ invocation: Invocation) throws {
        switch invocation {
        case .pull(let pull): try pull.run()
        case .push(let push): try push.run()
        case .update(let update): try update.run()
        case .resume(let resume): try resume.run()
        case .filterProcess: try GitCCSync.FilterProcess.serve()
        }
    }

    /// The fast path's work for `arguments`, nil when the root parser must see them.
    static func immediate(_ arguments: [String]) -> (() throws -> Void)? {
        // Claude Code runs a hook at every session start, prompt and turn: no parser at all (it would be
        // a third of the prompt hook's time). Help for them is `git ccsync hook --help`.
        if arguments.count >= 2, arguments[0] == "hook", ClaudeHook.names.contains(arguments[1]),
           !arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
            return { try ClaudeHook.run(arguments[1], arguments: Array(arguments.dropFirst(2))) }
        }
        guard let invocation = invocation(arguments) else { return nil }
        return { try run(invocation) }
    }
}

/// A command the fast path can stand in for: what the parser built, as the plain value the fast path
/// builds for the same arguments.
protocol FastDispatchable: ParsableCommand {
    var invocation: FastDispatch.Invocation { get }
}

extension FastDispatchable {
    func run() throws {
        try FastDispatch.run(invocation)
    }
}
