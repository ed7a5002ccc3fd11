/// git, as the rest of the core reaches it: one value per repository (or, before one exists, per
/// directory) with typed operations. No other type starts a git process (`GitFacadeTests` scans the
/// sources for it); callers say what they want (`fetch`, `push`, `merge`, `config`, ...) and never
/// build git argument lists.
///
/// **Which engine.** An operation runs through libgit2 (`GitRepository`, in process) when the result
/// is the same as git's and git's own machinery adds nothing: config values of the repository, refs,
/// ancestry, blobs and trees, commits of an index we wrote, and the lock commits. It runs through the
/// git command line (`GitCLI`) whenever the user's setup must apply or libgit2 cannot do it as git
/// does: anything on the network (credential helpers, SSH configuration, server hooks), anything that
/// runs our clean/smudge filter or merge driver (add, checkout, merge, status), and `git config`
/// writes. The choice is made here, in each operation, never by the caller.
///
/// **libgit2 stays in here too.** `GitRepository` (the libgit2 handle) is used only in `Git/`: the rest of
/// the core asks `Git` (`copy.git.blob(id:)`, `treeDeltas`, `changedPaths`, `isAncestor`, `commitIndex`,
/// `indexEditor()`, ... in `Git+Objects.swift`, which forward to the handle at no cost). A worker thread
/// takes `reopened()`, a `Git` with a handle of its own. `GitFacadeTests` scans for it; the exceptions,
/// listed there, are: `WorkingCopy` (it opens the handle and makes its `Git` from it), `ConfigLookup` and
/// `Settings` (config is read before a `Git` exists, and by the filter process), and the code that runs
/// inside git's own filter and textconv processes, per file, where no `Git` (runner, environment) is
/// made: `CCSyncFilter`, `RepositoryEncryption`, `EncryptedTextconv` and their CLI entry points
/// (`FilterProcess`, `Textconv`).
///
/// **Failures.** A failed command throws `GitCommandError` (git's own stderr lines kept as lines); a
/// round trip to the remote fails with `GitRemoteError`, already classified (unreachable or refused);
/// a push never throws for its outcome and returns a `PushOutcome` instead.
///
/// **Adopting it.** Workflow code gets its `Git` from `WorkingCopy.git` (the working copy's own), or
/// `Git.outside(directory:runner:)` before a repository exists (init, clone, probing a URL). Steps of
/// our own sync take `git.internal` (hooks see `GIT_CCSYNC_INTERNAL`) or `git.ownSteps` (no hooks, no
/// automatic maintenance either). Code that ran argument lists converts one for one:
/// `config --get k` → `config(k)`; `config k v` / `-f file` → `setConfig(k, v, inFile:)`; `remote add|set-url`
/// → `setRemote`; `add [-A] -- p` → `add(p, all:)`; `diff --cached --quiet` → `hasStagedChanges()`;
/// `commit --quiet --no-verify -m a -m b` → `commit([a, b])`; `checkout [--quiet HEAD] -- p` →
/// `checkout(p, from:)`; `cat-file -e x` → `exists(x)`; `ls-remote` → `listRemote`; `fetch` → `fetch`
/// (throws `GitRemoteError`); `push` → `push(Git.Push)` and a `switch` over its `PushOutcome`;
/// `log`/`rev-list`/`for-each-ref`/`update-ref` → the operations in `Git+History.swift`.
public struct Git: Sendable {
    /// The directory git runs in (the work tree's root for a working copy).
    public let directory: String
    /// The git directory; nil before a repository exists (`outside`).
    public let gitDirectory: String?
    let cli: GitCLI
    /// The repository in process, when the caller has it open: reads then need no git process.
    public let repository: GitRepository?

    public static let remote = "origin"
    /// Set for every git command git-ccsync runs as part of its own work; the hooks read it as
    /// "git-ccsync is already syncing".
    public static let internalEnvironment = "GIT_CCSYNC_INTERNAL"

    /// The git of a working copy whose git directory is known (from the repository, not guessed).
    public init(workTree: String, gitDirectory: String, runner: ProcessRunner, repository: GitRepository? = nil) {
        directory = workTree
        self.gitDirectory = gitDirectory
        cli = GitCLI(directory: workTree, gitDirectory: gitDirectory, runner: runner)
        self.repository = repository
    }

    init(directory: String, gitDirectory: String?, cli: GitCLI, repository: GitRepository?) {
        self.directory = directory
        self.gitDirectory = gitDirectory
        self.cli = cli
        self.repository = repository
    }

    /// git run in `directory`, which is not (or not yet) a repository of ours: `initialize`, `clone`,
    /// `probe`. The git directory is asked of git when needed.
    public static func outside(directory: String, runner: ProcessRunner) -> Git {
        Git(directory: directory, gitDirectory: nil, cli: GitCLI(directory: directory, gitDirectory: nil, runner: runner),
            repository: nil)
    }

    /// git in `directory`, where a working copy may or may not exist yet (`init` makes one there and
    /// runs again on it): when one does, its git directory is read from it (libgit2, no process).
    public static func workingCopy(at directory: String, runner: ProcessRunner) -> Git {
        guard let repository = try? GitRepository(gitDirectory: directory, workTree: nil, indexFile: nil) else {
            return outside(directory: directory, runner: runner)
        }
        var gitDirectory = repository.gitDirectory
        if gitDirectory.count > 1 && gitDirectory.hasSuffix("/") { gitDirectory.removeLast() }
        return Git(workTree: directory, gitDirectory: gitDirectory, runner: runner)
    }

    /// The process runner, for the few non-git programs the core starts next to git (doctor's
    /// `command -v`).
    var runner: ProcessRunner { cli.runner }

    /// Commands marked as git-ccsync's own (`GIT_CCSYNC_INTERNAL=1`): our hooks let them through.
    public var `internal`: Git { with([Self.internalEnvironment: "1"]) }

    /// Our own sync steps: marked internal, no hooks at all (what they would check is done in place)
    /// and no automatic maintenance in the middle of a sync (git's environment config, appended to the
    /// user's own).
    public var ownSteps: Git {
        let count = Int(runner.environment["GIT_CONFIG_COUNT"] ?? "") ?? 0
        return with([
            Self.internalEnvironment: "1",
            "GIT_CONFIG_COUNT": String(count + 2),
            "GIT_CONFIG_KEY_\(count)": "maintenance.auto",
            "GIT_CONFIG_VALUE_\(count)": "false",
            "GIT_CONFIG_KEY_\(count + 1)": "core.hooksPath",
            "GIT_CONFIG_VALUE_\(count + 1)": "/dev/null",
        ])
    }

    func with(_ environment: [String: String?]) -> Git {
        Git(directory: directory, gitDirectory: gitDirectory, cli: cli.with(environment: environment), repository: repository)
    }

    /// The same git without the in-process repository (for code that must not share its handle
    /// across threads).
    public var withoutRepository: Git {
        Git(directory: directory, gitDirectory: gitDirectory, cli: cli, repository: nil)
    }
}
