/// The work tree and the index: everything here runs our filter or merge driver, so through git.
extension Git {
    /// `git init` of a working copy in `directory`.
    public func initialize(branch: String) throws {
        try cli.run(["init", "--quiet", "--initial-branch=\(branch)"])
    }

    /// `git init --bare` of a new repository at `path`.
    public func initializeBare(at path: String, branch: String) throws {
        try cli.run(["init", "--quiet", "--bare", "--initial-branch=\(branch)", path])
    }

    /// Stages `paths` (`all`: deletions and new files too, `git add -A`); `excluding` are pathspecs
    /// left out.
    public func add(_ paths: [String], all: Bool = false, excluding: [String] = []) throws {
        try cli.run(["add"] + (all ? ["-A"] : []) + ["--"] + paths + excluding.map { ":(exclude)" + $0 })
    }

    /// Every tracked file through the filters again (`git add --renormalize .`).
    public func renormalize() throws {
        try cli.run(["add", "--renormalize", "--", "."])
    }

    /// Takes `paths` out of the index again (`git reset -- paths`).
    public func unstage(_ paths: [String]) throws {
        try cli.run(["reset", "--quiet", "--"] + paths)
    }

    /// Moves the branch and the index to `commit`, leaving the work tree (`git reset <commit>`).
    public func resetIndex(to commit: String) throws {
        try cli.run(["reset", "-q", commit])
    }

    /// Whether the index differs from HEAD.
    public func hasStagedChanges() throws -> Bool {
        try !cli.attempt(["diff", "--cached", "--quiet"]).succeeded
    }

    /// Commits the index without hooks; each paragraph one `-m`.
    public func commit(_ paragraphs: [String]) throws {
        try cli.run(["commit", "--quiet", "--no-verify"] + paragraphs.flatMap { ["-m", $0] })
    }

    /// Concludes a merge whose conflicts are resolved, with git's message.
    public func concludeMerge() throws {
        try cli.run(["commit", "--no-edit", "--quiet", "--no-verify"])
    }

    /// Writes `paths` from the index (or from `commit`) into the work tree, through the filters.
    public func checkout(_ paths: [String], from commit: String? = nil) throws {
        try cli.run(["checkout"] + (commit.map { ["--quiet", $0] } ?? []) + ["--"] + paths)
    }

    /// Writes every path of the work tree from the index (after `resetIndex`).
    public func checkoutAll() throws {
        try cli.run(["checkout", "-q", "--", "."])
    }

    /// Checks out many `paths` of `commit` (given on stdin, no length limit), with git's progress.
    public func checkout(many paths: [String], from commit: String, progress: ProgressReporter) throws {
        let arguments = ["checkout", progress.isEnabled ? "--progress" : "--quiet", commit, "--pathspec-from-file=-", "--pathspec-file-nul"]
        let checkout = try cli.attempt(arguments, input: Array(paths.joined(separator: "\0").utf8) + [0], progress: progress)
        guard checkout.succeeded else { throw GitCommandError(arguments: ["checkout", commit], result: checkout) }
    }

    /// Resolves conflicted `paths` with one side's version (`ours` or `theirs`) and stages them. A path
    /// that side deleted while the other changed it keeps the version there is (a session log moved into
    /// parts on one machine while an older version appended to it: the next sync folds its lines into
    /// the parts); `checkout --ours` would fail on it.
    public func resolve(_ paths: [String], taking side: String) throws {
        // Stage numbers per conflicted path (`ls-files -u`: "<mode> <id> <stage>\t<path>").
        let stages = try cli.run(["ls-files", "-u", "-z"]).output.split(separator: "\0")
            .reduce(into: [String: Set<Substring>]()) { found, entry in
                guard let tab = entry.firstIndex(of: "\t") else { return }
                found[String(entry[entry.index(after: tab)...]), default: []].insert(entry[..<tab].split(separator: " ").last ?? "")
            }
        let other = side == "ours" ? "theirs" : "ours"
        let (preferred, missing): (Substring, Substring) = side == "ours" ? ("2", "3") : ("3", "2")
        let onlyOther = Set(paths.filter { stages[$0].map { !$0.contains(preferred) && $0.contains(missing) } ?? false })
        let rest = paths.filter { !onlyOther.contains($0) }
        if !rest.isEmpty { try cli.run(["checkout", "--\(side)", "--"] + rest) }
        if !onlyOther.isEmpty { try cli.run(["checkout", "--\(other)", "--"] + onlyOther.sorted()) }
        try cli.run(["add", "--"] + paths)
    }

    /// What `git merge` said when it did not merge cleanly.
    public struct MergeResult: Sendable {
        public let succeeded: Bool
        /// git's stderr and stdout, for telling why.
        public let text: String
    }

    /// Merges `commit` (`-X side` for files both sides changed), our merge driver doing session logs.
    public func merge(_ commit: String, preferring side: String, message: String) throws -> MergeResult {
        let merge = try cli.attempt(["merge", "--no-edit", "--quiet", "-X", side, "--allow-unrelated-histories", "-m", message, commit])
        return MergeResult(succeeded: merge.succeeded, text: merge.errorOutput + merge.output)
    }

    /// Undoes an unfinished merge: `merge --abort`, else `reset --merge`.
    public func abortMerge() throws {
        if try !cli.attempt(["merge", "--abort"]).succeeded {
            try cli.run(["reset", "--merge"])
        }
    }

    /// Paths with unresolved conflicts.
    public func conflictedPaths() throws -> [String] {
        try cli.run(["diff", "--name-only", "--diff-filter=U"]).output.split(separator: "\n").map(String.init)
    }

    /// One entry of `git status --porcelain`: the two status letters and the path.
    public struct StatusEntry: Sendable {
        public let index: UInt8
        public let workTree: UInt8
        public let path: String
    }

    /// Tracked files that differ from the index or HEAD under `paths` (every path when empty).
    public func status(trackedUnder paths: [String]) throws -> [StatusEntry] {
        let out = try cli.run(["status", "--porcelain", "-z", "--untracked-files=no", "--"] + paths).stdout
        return out.split(separator: 0).filter { $0.count > 3 }.map { entry in
            StatusEntry(index: entry[entry.startIndex], workTree: entry[entry.startIndex + 1],
                        path: String(decoding: entry.dropFirst(3), as: UTF8.self))
        }
    }

    /// Whether `git status` shows nothing at all (untracked files count); nil when git fails.
    public func isClean() -> Bool? {
        guard let status = try? cli.attempt(["status", "--porcelain"]), status.succeeded else { return nil }
        return status.stdout.isEmpty
    }

    /// Indexed files under `paths` whose content contains `text` (`git grep --cached -l -F`).
    public func indexedFiles(containing text: String, under paths: [String]) throws -> [String] {
        try cli.attempt(["grep", "--cached", "-l", "-F", text, "--"] + paths).output.split(separator: "\n").map(String.init)
    }
}
