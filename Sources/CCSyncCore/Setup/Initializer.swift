#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `git ccsync init`: creates or joins a sync repository and sets this machine up in it.
///
/// Running it again is harmless: settings and hooks are rewritten, paths given again are kept.
public struct Initializer {
    public struct Options {
        public var directory: String
        /// A git URL or a path; nil uses the embedded default, a bare repository beside the working copy.
        public var remote: String?
        public var machine: MachineID
        /// This machine's path for each name (`--add-placeholder NAME=PATH`).
        public var placeholders: [(name: String, path: String)] = []
        public var claudeRoot: String
        public var home: String?
        /// Absolute path of this binary, written into git config and hooks.
        public var executable: String
        /// Asks for this machine's path for a name the remote defines; nil when there is no terminal.
        public var ask: ((String) -> String?)?
        public var os: String = Platform.osName
        /// `--encrypt`: a new repository is created encrypted (see `RepositoryEncryption`).
        public var encrypt = false
        /// This machine's age identity, outside the repository (`git config ccsync.identity`); made when
        /// an encrypted repository is created or joined and the file does not exist yet.
        public var identityPath: String?

        public init(directory: String, remote: String?, machine: MachineID, claudeRoot: String, home: String?,
                    executable: String) {
            self.directory = directory
            self.remote = remote
            self.machine = machine
            self.claudeRoot = claudeRoot
            self.home = home
            self.executable = executable
        }
    }

    public struct Result {
        public var created: Bool
        public var remote: String
        public var notes: [String]
    }

    public let options: Options
    public let runner: ProcessRunner
    public var progress: (String) -> Void = { _ in }
    /// git's own progress (cloning, checking out, pushing), for a terminal.
    public var meter = ProgressReporter.silent

    public init(options: Options, runner: ProcessRunner) {
        self.options = options
        self.runner = runner
    }

    var dir: String { options.directory }
    var git: Git { Git.workingCopy(at: dir, runner: runner).internal }

    public static func defaultRemote(for directory: String) -> String {
        (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + ".git"
    }

    public func run() throws -> Result {
        for (name, path) in options.placeholders {
            try PlaceholderName.validate(name, location: "--add-placeholder")
            guard name != PlaceholderName.home else { throw PlaceholderError.reservedName(name, location: "--add-placeholder") }
            _ = try LocalPath(path, name: name, location: "--add-placeholder")
        }
        if FileSystem.exists(dir + "/.git") {
            return try reinitialize()
        }
        if FileSystem.exists(dir), let entries = try? FileSystem.list(dir), !entries.isEmpty {
            throw SyncError.invalidArgument("\(dir) exists and is not empty (choose another --dir, or remove it)")
        }
        let remote = try prepareRemote()
        let parent = FileSystem.dirname(of: dir)
        let empty: Bool
        do {
            empty = try Git.outside(directory: FileSystem.exists(parent) ? parent : "/", runner: runner)
                .listRemote(remote, heads: true).isEmpty
        } catch let error as GitRemoteError {
            throw SyncError.remoteUnreachable(remote, detail: error)
        }
        var notes: [String]
        if empty {
            notes = try createNew(remote: remote)
        } else {
            notes = try join(remote: remote)
        }
        return Result(created: empty, remote: remote, notes: notes)
    }

    /// A local path that does not exist yet becomes a new bare repository (the embedded default, or
    /// `--remote /some/path.git`).
    func prepareRemote() throws -> String {
        let remote = options.remote ?? Self.defaultRemote(for: dir)
        let isLocalPath = remote.hasPrefix("/") || remote.hasPrefix("./") || remote.hasPrefix("../")
        if isLocalPath, !FileSystem.exists(remote) {
            progress("creating the repository \(remote)")
            try FileSystem.makeDirectories(FileSystem.dirname(of: remote))
            try Git.outside(directory: FileSystem.dirname(of: remote), runner: runner)
                .initializeBare(at: remote, branch: WorkingCopy.branch)
        }
        return remote
    }

    func createNew(remote: String) throws -> [String] {
        progress("creating \(dir)")
        try FileSystem.makeDirectories(dir)
        try git.initialize(branch: WorkingCopy.branch)
        try git.setRemote(remote)
        try configure()
        try FileSystem.makeDirectories(dir + "/.ccsync/machines")
        try FileSystem.writeAtomically(dir + "/.gitattributes", Array(RepoLayout.gitattributes.utf8))
        if options.encrypt {
            try EncryptionAdmin.setUp(root: dir, machine: options.machine, identity: try ensureIdentity())
            try EncryptionAdmin.configureWorkingCopy(git)
        }
        try FileSystem.writeAtomically(dir + "/" + SharedConfig.relativePath, Array(RepoLayout.configHeader.utf8))
        try setPlaceholders(options.placeholders)
        try register()
        try git.add([".gitattributes", ".ccsync"], all: true)
        try git.commit(["ccsync: create the sync repository", "CCSync-Machine: \(options.machine)"])
        let notes = try HookInstaller(git: git, executable: options.executable).install()
        try startState()
        try pushInitial()
        return notes
    }

    /// The sessions of a joined remote checked out in process (see `RemoteSync.checkOutInProcess`);
    /// false when git's checkout must do it.
    func checkOutInProcess(_ paths: [String]) throws -> Bool {
        try synchronizer().checkOutInProcess(paths)
    }

    /// The sync steps for the working copy being set up (once its git config is written).
    func synchronizer() throws -> RemoteSync {
        let copy = try WorkingCopy.open(directory: dir, home: options.home, defaultClaudeRoot: options.claudeRoot, runner: runner)
        var sync = RemoteSync(copy: copy)
        sync.meter = meter
        sync.progress = progress
        return sync
    }

    /// A new working copy's sync state: nothing written by sync yet, so nothing to stage but what the
    /// first sync writes (`dirty` empty rather than unknown: then the first sync stages its folders in
    /// process, with progress, instead of `git add -A` of the whole tree through the filter process).
    func startState() throws {
        let path = (git.gitDirectory ?? dir + "/.git") + "/ccsync/state"
        guard !FileSystem.exists(path) else { return }
        var state = SyncState()
        state.dirty = []
        try state.save(to: path)
    }

    func join(remote: String) throws -> [String] {
        progress("cloning \(remote)")
        let parent = FileSystem.dirname(of: dir)
        try FileSystem.makeDirectories(parent)
        try Git.outside(directory: parent, runner: runner).clone(remote, into: dir, branch: WorkingCopy.branch, progress: meter)
        do {
            try configure()
            try checkTrustBeforeCheckout()
            // The shared config first: the filter needs this machine's paths before any session is checked out.
            try git.checkout([".ccsync", ".gitattributes"], from: "HEAD")
            try setPlaceholders(options.placeholders)
            try askForMissingPlaceholders()
            progress("checking out sessions")
            // Everything else (a remote holding only the layout has nothing else: no pathspec then).
            let rest = try git.trackedPaths(at: "HEAD")
                .filter { !$0.hasPrefix(".ccsync/") && $0 != ".gitattributes" }
            let inProcess = try !rest.isEmpty && checkOutInProcess(rest)
            if !rest.isEmpty, !inProcess {
                try git.checkout(many: rest, from: "HEAD", progress: meter)
            }
            try register()
            if inProcess {
                try synchronizer().commitSharedSettings(message: "ccsync: register \(options.machine)\n\nCCSync-Machine: \(options.machine)\n")
            } else {
                try git.add([".ccsync"], all: true)
                if try git.hasStagedChanges() {
                    try git.commit(["ccsync: register \(options.machine)", "CCSync-Machine: \(options.machine)"])
                }
            }
        } catch {
            // Nothing but the clone was created: leave no half-configured working copy behind.
            _ = try? runner.run("rm", ["-rf", "--", dir])
            throw error
        }
        let notes = try HookInstaller(git: git, executable: options.executable).install()
        try startState()
        try pushInitial()
        return notes
    }

    func reinitialize() throws -> Result {
        progress("updating \(dir)")
        if let remote = options.remote {
            let current = try git.remoteURL()
            if let current, current != remote {
                throw SyncError.invalidArgument("\(dir) already syncs with \(current) (to switch, run 'git ccsync config set-remote \(remote)')")
            }
            if current == nil { try git.setRemote(remote) }
        }
        let existing = try git.config(Settings.Key.machine.rawValue)
        if let existing, try MachineID(existing) != options.machine {
            throw SyncError.invalidArgument("\(dir) belongs to machine '\(existing)', not '\(options.machine)' (omit --machine, or use another --dir)")
        }
        try configure()
        try setPlaceholders(options.placeholders)
        try askForMissingPlaceholders()
        try register()
        try git.add([".ccsync", ".gitattributes"], all: true)
        if try git.hasStagedChanges() {
            try git.commit(["ccsync: update \(options.machine)'s settings", "CCSync-Machine: \(options.machine)"])
        }
        let notes = try HookInstaller(git: git, executable: options.executable).install()
        let remote = try git.remoteURL() ?? ""
        return Result(created: false, remote: remote, notes: notes)
    }

    /// An encrypted remote: this machine needs its identity and a key file that opens with it before
    /// anything is checked out. Until a trusted machine admits it, init stops here with the one command
    /// to run there; the recipient travels in that command, not through the remote, so whoever controls
    /// the remote cannot substitute a key of their own.
    func checkTrustBeforeCheckout() throws {
        guard try git.exists("HEAD:" + RepositoryEncryption.markerPath) else { return }
        let identity = try ensureIdentity()
        try EncryptionAdmin.configureWorkingCopy(git)
        let keyFile = RepositoryEncryption.keyFilePath(machine: options.machine.rawValue)
        try git.checkout([RepositoryEncryption.markerPath, ".gitattributes"], from: "HEAD")
        if try git.exists("HEAD:" + keyFile) {
            try git.checkout([keyFile], from: "HEAD")
        }
        let encryption = RepositoryEncryption(root: dir, machine: options.machine, identityPath: options.identityPath,
                                              repository: nil)
        do {
            _ = try encryption.keyring()
        } catch EncryptionError.notTrusted, EncryptionError.keyFileUnreadable {
            throw EncryptionError.awaitingTrust(machine: options.machine.rawValue, recipient: identity.recipient.description)
        }
    }

    func ensureIdentity() throws -> AgeIdentity {
        guard let path = options.identityPath else { throw EncryptionError.noIdentity("(no identity path given)") }
        let (identity, isNew) = try RepositoryEncryption.ensureIdentity(at: path, created: Date().formatted(.iso8601))
        if isNew { progress("created this machine's age identity \(path) (keep it private; it never leaves this machine)") }
        return identity
    }

    func configure() throws {
        let git = self.git
        try git.setConfig(Settings.Key.machine.rawValue, options.machine.rawValue)
        if let identityPath = options.identityPath, try git.config(Settings.Key.identity.rawValue) == nil {
            try git.setConfig(Settings.Key.identity.rawValue, identityPath)
        }
        try git.setConfig(Settings.Key.claudeDir.rawValue, options.claudeRoot)
        for (key, value) in RepoLayout.gitSettings(executable: options.executable) {
            try git.setConfig(key, value)
        }
        if try git.config("user.email") == nil {
            try git.setConfig("user.email", "\(options.machine.rawValue)@git-ccsync.invalid")
        }
        if try git.config("user.name") == nil {
            try git.setConfig("user.name", "git-ccsync (\(options.machine))")
        }
    }

    func setPlaceholders(_ placeholders: [(name: String, path: String)]) throws {
        for (name, path) in placeholders {
            let normalized = try LocalPath(path, name: name).string
            try git.setConfig("placeholder.\(name).\(options.machine.rawValue)", normalized, inFile: SharedConfig.relativePath)
        }
        // Validate what we wrote, with line numbers if anything is off.
        _ = try SharedConfig(parsing: try readFile(dir + "/" + SharedConfig.relativePath))
    }

    func askForMissingPlaceholders() throws {
        let config = try SharedConfig(parsing: try readFile(dir + "/" + SharedConfig.relativePath))
        let missing = config.names(unmappedFor: options.machine)
        guard !missing.isEmpty else { return }
        guard let ask = options.ask else {
            throw SyncError.unmappedPlaceholders(missing, machine: options.machine)
        }
        var answers: [(name: String, path: String)] = []
        var skipped: [String] = []
        for name in missing {
            if let path = ask(name), !path.isEmpty { answers.append((name, path)) } else { skipped.append(name) }
        }
        try setPlaceholders(answers)
        if !skipped.isEmpty { throw SyncError.unmappedPlaceholders(skipped, machine: options.machine) }
    }

    func register() throws {
        let path = dir + "/.ccsync/machines/" + options.machine.rawValue
        guard !FileSystem.exists(path) else { return }
        try FileSystem.makeDirectories(dir + "/.ccsync/machines")
        let stamp = Date().formatted(.iso8601)
        try FileSystem.writeAtomically(path, Array(RepoLayout.machineFile(os: options.os, home: options.home, registered: stamp).utf8))
    }

    func pushInitial() throws {
        progress("pushing to \(WorkingCopy.remote)")
        var push = Git.Push(["HEAD:refs/heads/\(WorkingCopy.branch)"])
        push.setUpstream = true
        switch try git.push(push, progress: meter) {
        case .accepted, .staleLease, .outOfDate:
            return  // another machine pushed meanwhile: the first 'git ccsync push' merges and retries
        case .refused(let error), .unreachable(let error):
            throw SyncError.remoteUnreachable(WorkingCopy.remote, detail: error)
        }
    }
}
