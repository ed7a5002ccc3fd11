import Foundation
import Testing

/// `git ccsync init` run again, next to someone else's hooks, and without a path for a placeholder;
/// exit codes.
extension SyncTests {
    static let hookNames = ["pre-push", "post-merge", "post-checkout", "post-rewrite"]
    static let hookMarker = "# git-ccsync hook:"

    /// Each of our hooks is in place, calls this build's binary and was not mistaken for a foreign one.
    static func expectOurHooks(on machine: SyncMachine, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for name in hookNames {
            let path = machine.hooksDirectory + "/" + name
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            machine.sandbox.check(text.contains(hookMarker) && text.contains(machine.resolvedBinary),
                                  "\(machine.id), \(context): \(name) is not our hook:\n\(text)", sourceLocation: sourceLocation)
            machine.sandbox.check(FileManager.default.isExecutableFile(atPath: path),
                                  "\(machine.id), \(context): \(name) is not executable", sourceLocation: sourceLocation)
        }
    }

    /// Running init again, on the machine that created the repository and on the one that joined it:
    /// exit 0, at most one extra commit on top of the same history, the same settings, our hooks.
    @Test func initTwiceIsHarmless() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let short = try StoreSession.placeGenerated(Self.short, on: world.a)
            try world.a.initialize(remote: world.remote)
            try world.b.initialize(remote: world.remote)

            for machine in [world.a, world.b] {
                let head = try machine.head()
                let commits = try machine.commitCount()
                let settings = try machine.git("config", "--local", "--list").stdoutText
                let store = try machine.storeFiles()

                let again = try machine.ccsyncResult(machine.initArguments(remote: world.remote))
                sandbox.check(again.succeeded, "\(machine.id): a second init failed:\n\(again)")
                let added = try machine.commitCount() - commits
                sandbox.check((0...1).contains(added), "\(machine.id): a second init added \(added) commits")
                let ancestor = try machine.gitResult(["merge-base", "--is-ancestor", head, "HEAD"])
                sandbox.check(ancestor.succeeded, "\(machine.id): a second init rewrote history (\(head) is gone)")
                sandbox.check(try machine.git("config", "--local", "--list").stdoutText == settings,
                              "\(machine.id): a second init changed the git config")
                let process = try machine.git("config", "filter.ccsync.process").stdoutText
                sandbox.check(process.contains(machine.resolvedBinary) && process.hasSuffix("filter-process\n"),
                              "\(machine.id): filter.ccsync.process is \(process)")
                Self.expectOurHooks(on: machine, "after a second init")
                let chained = (try? FileManager.default.contentsOfDirectory(atPath: machine.hooksDirectory))?
                    .filter { $0.hasSuffix(".pre-ccsync") } ?? []
                sandbox.check(chained.isEmpty, "\(machine.id): our own hooks were kept aside as foreign: \(chained)")
                sandbox.check(try machine.storeFiles() == store, "\(machine.id): a second init changed the store")
                try machine.expectCleanStatus("after a second init")
            }
            sandbox.check(try world.remoteHead() == (try world.a.head()) || (try world.remoteHead()) == (try world.b.head()),
                          "the remote is at neither machine's HEAD after the second inits")
            sandbox.check(world.b.storeHas(cwd: short.translated(from: world.a, to: world.b).cwd, short.log),
                          "B lost the session")
        }
    }

    /// Someone else's `post-merge` hook (another tool's, written after our init) is kept as
    /// `post-merge.pre-ccsync` by the next init and still runs on a plain `git pull`, next to ours.
    @Test func foreignHookIsKeptAndStillRunsOnGitPull() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try Self.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            let marker = sandbox.path("foreign-hook-ran")
            let foreign = "#!/bin/sh\necho \"foreign post-merge $*\" >> '\(marker)'\n"
            let hook = b.hooksDirectory + "/post-merge"
            try Data(foreign.utf8).write(to: URL(fileURLWithPath: hook))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)

            let reinit = try b.ccsyncResult(b.initArguments(remote: world.remote))
            sandbox.check(reinit.succeeded, "init next to a foreign hook failed:\n\(reinit)")
            sandbox.check(reinit.stdoutText.contains("post-merge.pre-ccsync"), "init did not say where the hook went:\n\(reinit)")
            let kept = try? String(contentsOfFile: hook + ".pre-ccsync", encoding: .utf8)
            sandbox.check(kept == foreign, "the foreign hook was not kept as post-merge.pre-ccsync: \(kept ?? "(missing)")")
            Self.expectOurHooks(on: b, "after init next to a foreign hook")

            let fromA = SessionRecords.lines(2, tag: 0xa6, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, short.log, fromA)
            try a.ccsync("push")
            try b.git("pull", "--quiet")
            let ran = (try? String(contentsOfFile: marker, encoding: .utf8)) ?? ""
            sandbox.check(ran.hasPrefix("foreign post-merge"), "the foreign post-merge hook did not run on git pull: '\(ran)'")
            let onB = short.translated(from: a, to: b)
            sandbox.expectSameBytes((try? b.readStore(cwd: onB.cwd, short.log)) ?? [],
                                    a.translated((try short.file(short.log)) + fromA, to: b),
                                    "B's \(short.log) after git pull with the chained hook")

            // A third init keeps the chain as it is.
            let third = try b.ccsyncResult(b.initArguments(remote: world.remote))
            sandbox.check(third.succeeded, "a third init failed:\n\(third)")
            sandbox.check((try? String(contentsOfFile: hook + ".pre-ccsync", encoding: .utf8)) == foreign,
                          "a third init changed post-merge.pre-ccsync")
            sandbox.check(!FileManager.default.fileExists(atPath: hook + ".pre-ccsync.pre-ccsync"),
                          "a third init chained our own hook")
            Self.expectOurHooks(on: b, "after a third init")
            try b.expectCleanStatus("at the end")
        }
    }

    /// The remote defines `PROJECTS`; a third machine joins without a path for it and without a
    /// terminal to ask on: init fails, names the placeholder and the flag, and leaves nothing behind.
    @Test func initWithoutAPathForTheRemotesPlaceholderFailsAndLeavesNothing() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            try world.a.initialize(remote: world.remote)
            let remoteBefore = try world.remoteHead()
            let home = sandbox.path("home/cy")
            let c = try SyncMachine(Machine.Spec(id: "linux-c", home: home, projects: home + "/work", clone: home + "/.ccsync"),
                                    sandbox: sandbox)

            let result = try c.ccsyncResult(["init", "--remote", world.remote, "--machine", c.id], stdin: [])
            sandbox.check(result.status == 1, "init without a path for {{PROJECTS}} should exit 1:\n\(result)")
            sandbox.check(result.stderrText.contains("PROJECTS") && result.stderrText.contains("--add-placeholder"),
                          "the error names neither the placeholder nor --add-placeholder:\n\(result)")
            Self.expectOneErrorLine(result, sandbox)
            sandbox.check(!FileManager.default.fileExists(atPath: c.workingCopy),
                          "the failed init left \(c.workingCopy) behind")
            sandbox.check(try world.remoteHead() == remoteBefore, "the failed init changed the remote")
        }
    }

    @Test func exitCodes() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let a = world.a

            let usage = try a.ccsyncResult(["push", "--no-such-flag"])
            sandbox.check(usage.status == 2, "an unknown flag should exit 2:\n\(usage)")
            sandbox.check(usage.stderrText.contains("--no-such-flag"), "the usage error does not name the flag:\n\(usage)")

            let missing = try a.ccsyncResult(["push"])
            sandbox.check(missing.status == 1, "push without a working copy should exit 1:\n\(missing)")
            Self.expectOneErrorLine(missing, sandbox)

            let empty = sandbox.path("empty")
            try sandbox.mkdir(empty)
            let notACopy = try a.ccsyncResult(["pull", "--dir", empty])
            sandbox.check(notACopy.status == 1, "pull in a directory that is not a working copy should exit 1:\n\(notACopy)")
            Self.expectOneErrorLine(notACopy, sandbox)
        }
    }

    /// stderr is exactly one line, `git-ccsync: error: ...`.
    static func expectOneErrorLine(_ result: CommandResult, _ sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = result.stderrText
        sandbox.check(text.hasPrefix("git-ccsync: error: ") && text.hasSuffix("\n") && text.dropLast().allSatisfy { $0 != "\n" },
                      "stderr is not one 'git-ccsync: error: ...' line:\n\(result)", sourceLocation: sourceLocation)
    }
}
