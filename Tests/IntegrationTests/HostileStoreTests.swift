import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5, a hostile local store: Claude's store holds links and special files where sessions belong,
/// pointing at files elsewhere (a key, another directory). `push` must not follow them into the
/// repository (no blob anywhere on the remote holds what they point at), must name each one it skipped,
/// and must push the normal sessions beside them; `pull` must not write through them.
@Suite struct HostileStoreTests {
    /// Files outside every store, each with a text that must never reach a repository.
    struct Outside {
        let root: String
        let secretFile: String
        let markers: [String]

        init(sandbox: Sandbox, cwd: String) throws {
            root = sandbox.path("outside")
            secretFile = root + "/ssh/id_rsa"
            markers = ["OUTSIDE-SECRET-7f3a", "OUTSIDE-PROJECT-51c2", "OUTSIDE-AGENT-9e04", "OUTSIDE-SIDE-2b77", "OUTSIDE-MEMORY-c5d1"]
            try write(secretFile, "\(markers[0]) not a session, a private file\n")
            try write(root + "/project/\(HostileStoreTests.id(1)).jsonl",
                      #"{"type":"user","cwd":"\#(cwd)/evil","uuid":"e0","text":"\#(markers[1])"}"# + "\n")
            try write(root + "/agents/agent-x.jsonl", #"{"uuid":"x0","text":"\#(markers[2])"}"# + "\n")
            try write(root + "/side/subagents/agent-y.jsonl", #"{"uuid":"y0","text":"\#(markers[3])"}"# + "\n")
            try write(root + "/memory/notes.md", "# \(markers[4])\n")
        }

        private func write(_ path: String, _ text: String) throws {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }

        /// Every file under it with its bytes, to show nothing there changed.
        func snapshot() throws -> [String: [UInt8]] { try SyncMachine.files(under: root) }
    }

    static func id(_ n: Int) -> String { String(format: "bad0%04x-0000-4000-8000-%012x", n, n) }

    static func link(_ path: String, to target: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    /// Every object in the bare remote, reachable or not, as one byte string (`cat-file --batch-all-objects`).
    static func allRemoteObjects(_ world: SyncWorld) throws -> [UInt8] {
        try world.a.machine.git("--git-dir", world.remote, "cat-file", "--batch-all-objects", "--batch",
                                in: world.sandbox.root).stdout
    }

    @Test func pushFollowsNoLinkOrSpecialFileAndNamesEachItSkipped() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let outside = try Outside(sandbox: sandbox, cwd: a.projects)
            let before = try outside.snapshot()

            // The normal sessions: one with a real subagent log, one plain.
            let cwd = a.projects + "/shop"
            let normal = Self.id(2), plain = Self.id(3)
            let normalLines = SessionRecords.lines(3, tag: 0xd1, session: normal, cwd: cwd, on: a)
            let agentLines = SessionRecords.lines(2, tag: 0xd2, session: normal, cwd: cwd, on: a)
            let plainLines = SessionRecords.lines(2, tag: 0xd3, session: plain, cwd: cwd, on: a)
            try a.writeStore(cwd: cwd, "\(normal).jsonl", normalLines)
            try a.writeStore(cwd: cwd, "\(normal)/subagents/agent-ok.jsonl", agentLines)
            try a.writeStore(cwd: cwd, "\(plain).jsonl", plainLines)

            // The hostile entries, each named like something that is synced.
            let folder = a.storeFolder(cwd: cwd)
            let skipped = [
                folder + "/\(Self.id(4)).jsonl",               // a session that is a link to a private file
                a.storeFolder(cwd: a.projects + "/evil"),       // a project folder that is a link elsewhere
                folder + "/\(plain)/subagents",                 // a session's subagents folder, a link
                folder + "/\(Self.id(5))",                      // a session's whole side folder, a link
                folder + "/memory",                             // the project's memory folder, a link
                folder + "/\(Self.id(6)).jsonl",                // a FIFO named like a session
            ]
            try Self.link(skipped[0], to: outside.secretFile)
            try Self.link(skipped[1], to: outside.root + "/project")
            try Self.link(skipped[2], to: outside.root + "/agents")
            try Self.link(skipped[3], to: outside.root + "/side")
            try Self.link(skipped[4], to: outside.root + "/memory")
            guard mkfifo(skipped[5], 0o644) == 0 else { throw HarnessError("mkfifo: \(String(cString: strerror(errno)))") }

            // A reader that opened the FIFO would wait forever: a push that hangs fails here, not the run.
            let push = try a.startCCSync(["push"]).wait(timeout: 60)
            sandbox.check(push.succeeded, "push with a hostile store failed instead of skipping:\n\(push)")
            for path in skipped {
                sandbox.check(push.stderrText.contains("warning: skipping \(path)"), "push does not say it skipped \(path):\n\(push.stderrText)")
            }

            let objects = try Self.allRemoteObjects(world)
            for marker in outside.markers {
                sandbox.check(!Bytes.contains(objects, marker), "an object on the remote holds \(marker), from outside the store")
            }
            let history = try a.machine.git("--git-dir", world.remote, "log", "-p", "--all", "--format=%H %s", in: sandbox.root).stdout
            for marker in outside.markers {
                sandbox.check(!Bytes.contains(history, marker), "the remote's history shows \(marker)")
            }
            for (path, bytes) in try a.workingCopyFiles() {
                for marker in outside.markers where Bytes.contains(bytes, marker) {
                    sandbox.check(false, "A's working copy file \(path) holds \(marker)")
                }
            }
            sandbox.check(try outside.snapshot() == before, "files outside the store changed")

            // The normal sessions went, subagent included, and reach B.
            try b.ccsync("pull")
            let cwdB = b.projects + "/shop"
            sandbox.expectSameBytes((try? b.readStore(cwd: cwdB, "\(normal).jsonl")) ?? [], a.translated(normalLines, to: b), "B's normal session")
            sandbox.expectSameBytes((try? b.readStore(cwd: cwdB, "\(normal)/subagents/agent-ok.jsonl")) ?? [],
                                    a.translated(agentLines, to: b), "B's normal subagent log")
            sandbox.expectSameBytes((try? b.readStore(cwd: cwdB, "\(plain).jsonl")) ?? [], a.translated(plainLines, to: b), "B's plain session")
            let onB = try b.storeFiles()
            for (path, bytes) in onB {
                for marker in outside.markers where Bytes.contains(bytes, marker) {
                    sandbox.check(false, "B's store file \(path) holds \(marker)")
                }
            }
            for hostile in [Self.id(4), Self.id(5), Self.id(6), "agent-x", "agent-y", "notes.md"] {
                sandbox.check(!onB.keys.contains { $0.contains(hostile) }, "B's store got \(hostile): \(onB.keys.sorted())")
            }
            // The links are still links, the FIFO still a FIFO: push does not "repair" the store.
            for path in skipped.prefix(5) {
                let type = try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
                sandbox.check(type == .typeSymbolicLink, "\(path) is no longer a symlink: \(String(describing: type))")
            }
        }
    }

    /// B's store has a session file that is a link to a private file; A pushes that session. B's pull
    /// does not write through the link, says so, and B's next push does not carry the file's content.
    @Test func pullDoesNotWriteThroughASymlinkedSessionFile() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let outside = try Outside(sandbox: sandbox, cwd: b.projects)
            let before = try outside.snapshot()
            let id = Self.id(7)
            let linked = b.storePath(cwd: b.projects + "/shop", "\(id).jsonl")
            try Self.link(linked, to: outside.secretFile)

            let lines = SessionRecords.lines(2, tag: 0xd7, session: id, cwd: a.projects + "/shop", on: a)
            try a.writeStore(cwd: a.projects + "/shop", "\(id).jsonl", lines)
            try a.ccsync("push")
            let pull = try b.ccsyncResult(["pull"])
            sandbox.check(pull.stderrText.contains(linked), "pull does not name the linked session file \(linked):\n\(pull)")
            sandbox.check(try outside.snapshot() == before, "pull wrote through the link to a file outside the store")
            try b.ccsyncResult(["push"]).orThrow()
            let objects = try Self.allRemoteObjects(world)
            sandbox.check(!Bytes.contains(objects, outside.markers[0]), "the private file reached the remote")
        }
    }

    /// B's store has a project folder and a session's subagents folder that are links elsewhere, where
    /// files named like A's session and subagent log already exist. B's pull must not write there, and
    /// what is there must not come back into the repository.
    @Test func pullDoesNotWriteThroughSymlinkedStoreFolders() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let outside = try Outside(sandbox: sandbox, cwd: b.projects)
            let id = Self.id(1)  // the id of the session Outside placed in outside/project
            // B's folder for `shop` is a link to outside/project; outside/agents holds an agent log.
            try Self.link(b.storeFolder(cwd: b.projects + "/shop"), to: outside.root + "/project")
            try FileManager.default.createDirectory(atPath: outside.root + "/project/\(id)", withIntermediateDirectories: true)
            try Self.link(outside.root + "/project/\(id)/subagents", to: outside.root + "/agents")
            let before = try outside.snapshot()

            let cwdA = a.projects + "/shop"
            try a.writeStore(cwd: cwdA, "\(id).jsonl", SessionRecords.lines(2, tag: 0xd8, session: id, cwd: cwdA, on: a))
            try a.writeStore(cwd: cwdA, "\(id)/subagents/agent-x.jsonl", SessionRecords.lines(1, tag: 0xd9, session: id, cwd: cwdA, on: a))
            try a.ccsync("push")
            let pull = try b.ccsyncResult(["pull"])
            sandbox.check(try outside.snapshot() == before, "pull wrote through a symlinked folder to files outside the store:\n\(pull)")
            sandbox.check(pull.stderrText.contains(b.storeFolder(cwd: b.projects + "/shop")),
                          "pull does not name the symlinked project folder:\n\(pull)")
            _ = try b.ccsyncResult(["push"])
            let objects = try Self.allRemoteObjects(world)
            for marker in outside.markers {
                sandbox.check(!Bytes.contains(objects, marker), "\(marker) from outside the store reached the remote")
            }
        }
    }
}
