/// A sync working copy (default `~/.ccsync`) and the machine it lives on: everything the sync commands
/// need, resolved once.
public struct WorkingCopy: Sendable {
    public let root: String
    public let gitDirectory: String
    public let machine: MachineID
    public let store: ClaudeStore
    public let home: String?
    /// git for this working copy (see `Git` for what runs in process and what starts git).
    public let git: Git
    /// The libgit2 handle `git` forwards to; read here only for config and by the filter and
    /// encryption (see `Git`): everything else asks `git`.
    let repository: GitRepository
    /// The `ccsync.*` settings, read when the working copy was opened.
    public let settings: Settings

    public static let branch = "main"
    public static let remote = "origin"

    /// Opens the working copy at (or above) `directory`.
    /// - Parameters:
    ///   - defaultClaudeRoot: the store when `ccsync.claudeDir` is not set (`$CLAUDE_CONFIG_DIR` or `~/.claude`).
    public static func open(directory: String, home: String?, defaultClaudeRoot: String,
                            runner: ProcessRunner) throws -> WorkingCopy {
        let repository: GitRepository
        do {
            repository = try GitRepository(discoveringFrom: directory)
        } catch {
            throw SyncError.notAWorkingCopy(directory)
        }
        guard let workTree = repository.workTree else { throw SyncError.notAWorkingCopy(directory) }
        let root = workTree.count > 1 && workTree.hasSuffix("/") ? String(workTree.dropLast()) : workTree
        let settings = Settings(repository: repository, environment: runner.environment)
        guard let id = settings.machine else { throw SyncError.noMachineID(root) }
        let machine = try MachineID(id, location: "git config \(Settings.Key.machine.rawValue) in \(root)")
        let claudeRoot = settings.claudeDirectory ?? defaultClaudeRoot
        var gitDir = repository.gitDirectory
        if gitDir.count > 1 && gitDir.hasSuffix("/") { gitDir.removeLast() }
        return WorkingCopy(root: root, gitDirectory: gitDir, machine: machine, store: ClaudeStore(root: claudeRoot),
                           home: home, git: Git(workTree: root, gitDirectory: gitDir, runner: runner, repository: repository),
                           repository: repository, settings: settings)
    }

    public init(root: String, gitDirectory: String, machine: MachineID, store: ClaudeStore, home: String?, git: Git,
                repository: GitRepository, settings: Settings? = nil) {
        self.repository = repository
        self.settings = settings ?? Settings(repository: repository, environment: git.runner.environment)
        self.root = root
        self.gitDirectory = gitDirectory
        self.machine = machine
        self.store = store
        self.home = home
        self.git = git
    }

    /// A git config value (not a `ccsync.*` one: those are in `settings`) read in process, by the
    /// same rule as the settings (`ConfigLookup`).
    public func config(_ key: String) throws -> String? {
        ConfigLookup(repository: repository, environment: git.runner.environment).value(key)
    }

    /// The clean/smudge filter, run in process as git would run it, with this working copy's settings.
    /// `git` is whose libgit2 handle it reads the index through (a worker thread's own `reopened()`).
    public func filter(git: Git? = nil, warn: @escaping (String) -> Void) -> CCSyncFilter {
        let filter = CCSyncFilter(workTree: root, machine: machine, home: home, repository: (git ?? self.git).repository,
                                  warn: warn)
        filter.settings = settings
        return filter
    }

    /// The repository's encryption as this machine sees it.
    public var encryption: RepositoryEncryption {
        RepositoryEncryption(root: root, machine: machine, identityPath: settings.identityPath, repository: repository)
    }

    /// This machine's line cipher; nil when the repository is not encrypted.
    public func cipher() throws -> LineCipher? { try RepositoryEncryption.cipher(for: repository) }

    public var statePath: String { gitDirectory + "/ccsync/state" }
    public var configPath: String { root + "/" + SharedConfig.relativePath }
    public var projectsPath: String { root + "/projects" }

    public func sharedConfig() throws -> SharedConfig {
        let bytes: [UInt8]
        do {
            bytes = try readFile(configPath)
        } catch {
            throw SyncError.noSharedConfig(configPath)
        }
        return try SharedConfig(parsing: bytes)
    }

    public func translator(config: SharedConfig) throws -> PathTranslator {
        PathTranslator(map: try PlaceholderMap(config: config, machine: machine, home: home))
    }

    /// The portable directories whose projects are synced: `[sync] directory = {{PROJECTS}}` lines of
    /// the shared config; by default every user-defined placeholder, or `{{HOME}}` when there is none.
    public func syncDirectories(config: SharedConfig) -> [String] {
        let configured = config.file.entries.filter { $0.section == "sync" && $0.key == "directory" }.compactMap(\.value)
        if !configured.isEmpty { return configured }
        let names = config.placeholders.map(\.name)
        return names.isEmpty ? ["{{HOME}}"] : names.map { "{{\($0)}}" }
    }

    public static func isUnder(_ portable: String, anyOf directories: [String]) -> Bool {
        directories.contains { dir in
            let d = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
            // A Windows cwd goes on with a backslash: `{{PROJECTS}}\shop` is under `{{PROJECTS}}` too.
            return portable == d || portable.hasPrefix(d + "/") || portable.hasPrefix(d + "\\")
        }
    }
}
