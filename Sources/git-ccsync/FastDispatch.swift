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

    /// The everyday invocations, built without any parser: even a leaf command's `parse` costs about
    /// 5 ms here (swift-argument-parser reflects over the command type at run time), more than a pull
    /// with nothing new does itself. Each property is assigned (an unassigned one would stop the
    /// program when read); every shape here is run by the integration tests.
    static func direct(_ arguments: [String]) -> (any ParsableCommand)? {
        var options = WorkingCopyOptions()
        options.dir = nil
        switch (arguments.first, arguments.count) {
        case ("filter-process", 1):
            return GitCCSync.FilterProcess()
        case ("pull", 1):
            var pull = GitCCSync.Pull()
            pull.copyOptions = options
            pull.dryRun = false
            pull.force = false
            pull.all = false
            return pull
        case ("push", 1):
            var push = GitCCSync.Push()
            push.copyOptions = options
            push.dryRun = false
            push.all = false
            push.allowSecrets = false
            return push
        case ("update", 1):
            var update = GitCCSync.Update()
            update.copyOptions = options
            return update
        case ("resume", 2) where !arguments[1].hasPrefix("-") && !arguments[1].isEmpty:
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
