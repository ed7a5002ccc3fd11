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
        // git starts the filter for every command that reads or writes the work tree; it takes no
        // arguments, so it needs no parser at all.
        if arguments == ["filter-process"] { return GitCCSync.FilterProcess() }
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
}
