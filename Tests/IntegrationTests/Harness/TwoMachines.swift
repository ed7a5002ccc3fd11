import Foundation

/// A bare remote and two machines that both clone it (git-lfs `setup_remote_repo` + `clone_repo`).
///
/// Machine A creates the repository's first commit: `.gitattributes` (`projects/** filter=ccsync`) and
/// `.ccsync/config` with both machines' `PROJECTS`; B clones after that. Both clones get the filter
/// configuration before their first checkout.
struct TwoMachines {
    let sandbox: Sandbox
    let remote: String
    let a: Machine
    let b: Machine

    static let attributes = "projects/** filter=ccsync\n"

    /// Linux desktop `linux-a` and MacBook `mac-b`, with homes inside the sandbox.
    init(sandbox: Sandbox, filterProcess: Bool = true) throws {
        try self.init(sandbox: sandbox, a: .linuxA(in: sandbox), b: .macB(in: sandbox), filterProcess: filterProcess)
    }

    init(sandbox: Sandbox, a aSpec: Machine.Spec, b bSpec: Machine.Spec, filterProcess: Bool = true) throws {
        self.sandbox = sandbox
        remote = sandbox.path("remote.git")
        a = try Machine(aSpec, sandbox: sandbox)
        b = try Machine(bSpec, sandbox: sandbox)

        try a.git("init", "--quiet", "--bare", "--initial-branch=main", remote, in: sandbox.root)
        try clone(a, filterProcess: filterProcess)
        try a.write(".gitattributes", Array(Self.attributes))
        try a.write(".ccsync/config", Array(Self.sharedConfig(a, b)))
        try a.git("add", ".gitattributes", ".ccsync/config")
        try a.git("commit", "--quiet", "-m", "ccsync: set up linux-a and mac-b")
        try a.git("push", "--quiet", "-u", "origin", "main")
        try clone(b, filterProcess: filterProcess)
    }

    static func sharedConfig(_ machines: Machine...) -> String {
        "[placeholder \"PROJECTS\"]\n" + machines.map { "\t\($0.id) = \($0.projects)\n" }.joined()
    }

    private func clone(_ machine: Machine, filterProcess: Bool) throws {
        let parent = URL(fileURLWithPath: machine.clone).deletingLastPathComponent().path
        try sandbox.mkdir(parent)
        let arguments = ["clone", "--quiet"] + machine.filterConfiguration(process: filterProcess) + [remote, machine.clone]
        let result = try machine.gitResult(arguments, in: parent)
        guard result.succeeded else { throw CommandFailure(result: result) }
    }

    /// The blob for `path` on the remote's `main`: what every machine shares.
    func remoteBlob(_ path: String) throws -> [UInt8] {
        try a.git("--git-dir", remote, "cat-file", "blob", "main:\(path)", in: sandbox.root).stdout
    }

    /// `from` commits and pushes `paths`; `to` pulls with a plain `git pull`.
    func commitAndPush(_ from: Machine, _ paths: [String], message: String) throws {
        try from.gitResult(["add", "--"] + paths).orThrow()
        try from.git("commit", "--quiet", "-m", message)
        try from.git("push", "--quiet", "origin", "main")
    }
}

extension CommandResult {
    @discardableResult
    func orThrow() throws -> CommandResult {
        guard succeeded else { throw CommandFailure(result: self) }
        return self
    }
}
