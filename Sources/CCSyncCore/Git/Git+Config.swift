/// Config, remotes and where git keeps things.
extension Git {
    /// A config value as git sees it (`git config --get`): every file git reads, includes and the
    /// environment's config too; nil when unset.
    public func config(_ key: String) throws -> String? {
        try cli.value(["config", "--get", key])
    }

    /// Sets a value in the repository's config, or in `file` (relative to the work tree).
    public func setConfig(_ key: String, _ value: String, inFile file: String? = nil) throws {
        try cli.run(["config"] + (file.map { ["-f", $0] } ?? []) + [key, value])
    }

    /// The URL of `remote`, nil when there is no such remote.
    public func remoteURL(_ remote: String = Git.remote) throws -> String? {
        try config("remote.\(remote).url")
    }

    /// Points `remote` at `url`, adding it when it does not exist.
    public func setRemote(_ url: String, name remote: String = Git.remote) throws {
        if try remoteURL(remote) != nil {
            try cli.run(["remote", "set-url", remote, url])
        } else {
            try cli.run(["remote", "add", remote, url])
        }
    }

    /// `git --version`'s line; nil when git cannot be run.
    public func version() -> String? {
        (try? cli.value(["--version"])) ?? nil
    }

    /// Where git looks for hooks (`core.hooksPath` respected), absolute.
    public func hooksDirectory() throws -> String {
        let path = try cli.run(["rev-parse", "--git-path", "hooks"]).trimmed
        return path.hasPrefix("/") ? path : directory + "/" + path
    }
}
