import Foundation
import Testing

/// Several machines of one user, each with its own home, `PROJECTS` path, Claude store and working copy,
/// against one bare remote served by `git daemon` (see `GitDaemonServer`). None is set up yet.
///
/// Machine n is `fleet-n` with home `<sandbox>/fleet/ana-n` and `PROJECTS` under a name of its own
/// (`code`, `dev`, `src`, ...), so that every pair of machines translates paths both ways.
final class SyncFleet {
    let sandbox: Sandbox
    let machines: [SyncMachine]
    let server: GitDaemonServer
    /// The bare repository on disk (for checks that read it directly).
    let remotePath: String
    /// What the machines clone and push to: `git://127.0.0.1:<port>/remote.git`.
    let remoteURL: String

    static let projectFolders = ["code", "dev", "src", "work", "projects", "repos", "git", "lab"]

    init(sandbox: Sandbox, count: Int) throws {
        guard count <= Self.projectFolders.count else { throw HarnessError("at most \(Self.projectFolders.count) machines") }
        self.sandbox = sandbox
        var machines: [SyncMachine] = []
        for n in 0..<count {
            let home = sandbox.path("fleet/ana-\(n)")
            let spec = Machine.Spec(id: "fleet-\(n)", home: home, projects: home + "/" + Self.projectFolders[n],
                                    clone: home + "/.ccsync")
            machines.append(try SyncMachine(spec, sandbox: sandbox))
        }
        self.machines = machines
        let served = sandbox.path("served")
        try sandbox.mkdir(served)
        remotePath = served + "/remote.git"
        try machines[0].machine.git("init", "--quiet", "--bare", "--initial-branch=main", remotePath, in: sandbox.root)
        server = try GitDaemonServer(basePath: served, machine: machines[0].machine)
        remoteURL = server.url("remote.git")
    }

    /// `git <arguments>` on the bare remote itself; throws unless it exits 0.
    @discardableResult
    func remoteGit(_ arguments: String...) throws -> CommandResult {
        try machines[0].machine.gitResult(["--git-dir", remotePath] + arguments, in: sandbox.root).orThrow()
    }

    /// `git fsck --strict` finds nothing wrong in every clone and in the remote.
    func expectFsckClean(_ context: String) throws {
        let remote = try machines[0].machine.gitResult(["--git-dir", remotePath, "fsck", "--strict", "--no-progress"],
                                                         in: sandbox.root)
        sandbox.check(remote.succeeded && !remote.stderrText.contains("error"), "\(context): git fsck --strict on the remote:\n\(remote)")
        for machine in machines {
            let result = try machine.gitResult(["fsck", "--strict", "--no-progress"])
            sandbox.check(result.succeeded && !result.stderrText.contains("error"),
                          "\(context): git fsck --strict in \(machine.id)'s working copy:\n\(result)")
        }
    }

    /// No session or instruction file on the remote's `main` holds a machine path (every home lies under the
    /// sandbox; `.ccsync/` holds the machines' real paths by design).
    func expectRemoteHoldsNoMachinePath(_ context: String) throws {
        let result = try machines[0].machine.gitResult(["--git-dir", remotePath, "grep", "-F", "-l", "-e", sandbox.root, "main", "--", "projects", "claude"],
                                                         in: sandbox.root)
        // git grep exits 1 when nothing matches.
        sandbox.check(result.status == 1 && result.stdout.isEmpty,
                      "\(context): files on the remote hold a machine path (\(sandbox.root)):\n\(result)")
    }
}
