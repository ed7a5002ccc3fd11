import ArgumentParser

/// Start-up fast path: git starts us for every filter, hook and merge-driver call, and `pull`,
/// `push` and `resume` are run often. Parsing through the root command makes swift-argument-parser
/// build and check the whole command tree (help names, completion requests) first, about a third
/// of our start-up. A leaf command's own `parse` only looks at its own arguments.
///
/// Anything unusual (help, version, completion scripts, a parse error) returns nil, and the root
/// parser then handles it exactly as before, with its messages and exit codes.
enum FastDispatch {
    static let leaves: [String: any ParsableCommand.Type] = [
        "filter-process": GitCCSync.FilterProcess.self,
        "clean": GitCCSync.Clean.self,
        "smudge": GitCCSync.Smudge.self,
        "hook": GitCCSync.Hook.self,
        "merge-jsonl": GitCCSync.MergeJSONL.self,
        "textconv": GitCCSync.Textconv.self,
        "pull": GitCCSync.Pull.self,
        "push": GitCCSync.Push.self,
        "resume": GitCCSync.Resume.self,
        "update": GitCCSync.Update.self,
        "status": GitCCSync.Status.self,
        "list": GitCCSync.List.self,
    ]

    static func command(_ arguments: [String]) -> (any ParsableCommand)? {
        if let command = direct(arguments) { return command }
        guard let name = arguments.first, let type = leaves[name] else { return nil }
        let rest = Array(arguments.dropFirst())
        // Left to the root parser: what it answers itself, and anything after `--`.
        for argument in rest where argument.hasPrefix("-") {
            if argument == "--" || argument == "-h" || argument == "--help" || argument == "-help"
                || argument == "--version" || argument.hasPrefix("--generate-completion")
                || argument.hasPrefix("--experimental") { return nil }
        }
        return try? type.parse(rest)
    }

    /// The commands git-ccsync runs most, as a plain call: not even a command value is built (its
    /// property wrappers alone cost a millisecond of reflection). Nil for anything else.
    static func immediate(_ arguments: [String]) -> (() throws -> Void)? {
        // Claude Code runs a hook at every session start, prompt and turn: no parser at all (it would be
        // a third of the prompt hook's time). Help for them is `git ccsync hook --help`.
        if arguments.count >= 2, arguments[0] == "hook", ClaudeHook.names.contains(arguments[1]),
           !arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
            return { try ClaudeHook.run(arguments[1], arguments: Array(arguments.dropFirst(2))) }
        }
        guard arguments.count == 1 else { return nil }
        switch arguments[0] {
        case "pull":
            return { try GitCCSync.Pull.execute(copy: WorkingCopyOptions.open(directory: CLIContext.defaultDirectory),
                                                dryRun: false, force: false, all: false) }
        case "push":
            return { try GitCCSync.Push.execute(copy: WorkingCopyOptions.open(directory: CLIContext.defaultDirectory),
                                                dryRun: false, all: false, allowSecrets: false) }
        case "update":
            return { try GitCCSync.Update.execute(copy: WorkingCopyOptions.open(directory: CLIContext.defaultDirectory)) }
        default:
            return nil
        }
    }

    /// The everyday invocations, built without any parser: even a leaf command's `parse` costs about
    /// 5 ms here (swift-argument-parser reflects over the command type at run time), more than a pull
    /// with nothing new does itself. Each property is assigned (an unassigned one would stop the
    /// program when read); every shape here is run by the integration tests.
    static func direct(_ arguments: [String]) -> (any ParsableCommand)? {
        switch (arguments.first, arguments.count) {
        case ("filter-process", 1):
            return GitCCSync.FilterProcess()
        case ("resume", 2) where !arguments[1].hasPrefix("-") && !arguments[1].isEmpty:
            var options = WorkingCopyOptions()
            options.dir = nil
            var resume = GitCCSync.Resume()
            resume.copyOptions = options
            resume.session = arguments[1]
            resume.latest = false
            resume.from = nil
            resume.all = false
            resume.force = false
            resume.cwd = nil
            return resume
        default:
            return nil
        }
    }
}
