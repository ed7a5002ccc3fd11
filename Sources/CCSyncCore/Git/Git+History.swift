/// Commits, objects and refs. Reads go through libgit2 when the repository is open here; the rest
/// asks git (for formats libgit2 has no equivalent of: `log -p`, trailers, `--disk-usage`).
extension Git {
    /// Whether `spec` names an existing object (`HEAD:path`, `<sha>^{commit}`).
    public func exists(_ spec: String) throws -> Bool {
        try cli.attempt(["cat-file", "-e", spec]).succeeded
    }

    /// Every path of `commit`'s tree.
    public func trackedPaths(at commit: String) throws -> [String] {
        try cli.run(["ls-tree", "-r", "-z", "--name-only", commit]).stdout
            .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The patches of the non-merge commits `range` selects (`git log` arguments), oldest first, under
    /// `paths`: raw bytes, no filters, renames, colours or context lines.
    public func addedLines(range: [String], under paths: [String]) throws -> [UInt8] {
        try cli.run(["log", "-p", "--reverse", "--format=", "--no-textconv", "--no-ext-diff", "--no-color",
                     "--text", "-U0", "--no-renames", "--no-merges"] + range + ["--"] + paths).stdout
    }

    /// The paths under `paths` that the commits `range` selects touch (repeats included).
    public func changedPaths(range: [String], under paths: [String]) throws -> [String] {
        try cli.run(["log", "--format=", "--name-only"] + range + ["--"] + paths).output.split(separator: "\n").map(String.init)
    }

    /// For each non-merge commit reachable from `revision` touching `paths`, newest first: the value of
    /// its `trailer` and the paths it touched. Empty when git fails (no such revision).
    public func trailerAndPaths(trailer: String, revision: String, under paths: [String]) throws -> [(value: String, paths: [String])] {
        let log = try cli.attempt(["log", "--no-merges", "--format=%x1e%(trailers:key=\(trailer),valueonly,separator=%x2c)",
                                   "--name-only", revision, "--"] + paths)
        guard log.succeeded else { return [] }
        return log.output.split(separator: "\u{1E}").map { entry in
            // "<value>\n\n<path>\n<path>..." — an empty first line is a commit without the trailer.
            let lines = entry.split(separator: "\n", omittingEmptySubsequences: false)
            return (lines.first.map { $0.trimmed } ?? "", lines.dropFirst().filter { !$0.isEmpty }.map(String.init))
        }
    }

    /// `HEAD...other`'s counts: commits only on HEAD's side, only on `other`'s; nil when git cannot tell.
    public func aheadBehind(_ other: String) throws -> (ahead: Int, behind: Int)? {
        guard let counts = try cli.value(["rev-list", "--left-right", "--count", "HEAD...\(other)"]) else { return nil }
        let parts = counts.split(whereSeparator: { $0 == "\t" || $0 == " " }).compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    /// `tip`'s first-parent line after `base`, oldest first.
    public func firstParentLine(to tip: String, after base: String?) throws -> [String] {
        try cli.run(["rev-list", "--first-parent", "--reverse", tip] + (base.map { ["^" + $0] } ?? []))
            .output.split(separator: "\n").map(String.init)
    }

    /// The stored size of the objects reachable from `tip` and not from `base`; nil if git cannot tell
    /// (`rev-list --disk-usage` is git 2.38's).
    public func storedSize(of tip: String, after base: String?) throws -> Int64? {
        let counted = try cli.attempt(["rev-list", "--objects", "--disk-usage", tip] + (base.map { ["^" + $0] } ?? []))
        return counted.succeeded ? Int64(counted.trimmed) : nil
    }

    /// How many bytes each object takes as stored here (compressed), by id.
    public func storedSizes(_ ids: [String]) throws -> [String: Int64] {
        guard !ids.isEmpty else { return [:] }
        let listed = try cli.run(["cat-file", "--batch-check=%(objectname) %(objectsize:disk)"],
                                 input: Array((ids.joined(separator: "\n") + "\n").utf8))
        var sizes: [String: Int64] = [:]
        for line in listed.output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let size = Int64(fields[1]) { sizes[String(fields[0])] = size }
        }
        return sizes
    }

    /// A commit's message.
    public func message(of commit: String) throws -> String {
        if let repository { return try repository.commitMessage(commit) }
        return try cli.run(["log", "-1", "--format=%B", commit]).output
    }

    /// A new commit of the empty tree with `message`, parentless, on no branch; its id.
    public func emptyCommit(message: String, author: String, email: String) throws -> String {
        if let repository { return try repository.createEmptyCommit(message: message, author: author, email: email) }
        let tree = try cli.run(["hash-object", "-t", "tree", "-w", "--stdin"], input: []).trimmed
        return try cli.run(["commit-tree", tree, "-F", "-"], input: Array(message.utf8)).trimmed
    }

    /// Refs under `prefix` and the commits they point at.
    public func references(under prefix: String) throws -> [(name: String, commit: String)] {
        if let repository { return try repository.references(under: prefix).map { ($0.0, $0.1) } }
        let out = try cli.run(["for-each-ref", "--format=%(refname) %(objectname)", prefix]).output
        return out.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }

    /// Moves (or with nil deletes) a local ref.
    public func setReference(_ name: String, to target: String?, log: String) throws {
        if let repository {
            try repository.setReference(name, to: target, log: log)
        } else if let target {
            try cli.run(["update-ref", "-m", log, name, target])
        } else {
            _ = try cli.attempt(["update-ref", "-d", name])
        }
    }
}
