import Foundation
import Testing

/// Issue 3 end to end: two machines set up with `git ccsync init` against one bare remote move
/// Claude Code sessions (generated in Claude Code's format, see `SessionLogFixtures`) between their stores with `git ccsync push` / `pull` and with plain git.
///
/// A is `linux-a` (`~/code`), B is `mac-b` (`~/dev`); see `SyncWorld`. Every check compares bytes: what
/// reaches a store must be the other machine's bytes with only the machine paths translated.
@Suite struct SyncTests {
    static let short = "short"
    /// In the same project as `short`, with a saved tool output and the project's memory beside it.
    static let toolHeavy = "tool-heavy"
    /// The session with subagents (two logs, one `.meta.json`) and a saved tool output; its cwd changes mid-way.
    static let withSubagents = "agents"

    /// A with the `short` session in its store, both machines set up (A first, creating the repository).
    static func twoMachinesSharingShort(_ sandbox: Sandbox) throws -> (SyncWorld, StoreSession) {
        let world = try SyncWorld(sandbox: sandbox)
        let session = try StoreSession.placeGenerated(short, on: world.a)
        try world.a.initialize(remote: world.remote)
        try world.b.initialize(remote: world.remote)
        return (world, session)
    }

    /// Stops the test when a precondition of its setup does not hold. (Instead of `#require`, whose
    /// expansion crashed Swift 6.3.1's SendNonSendable pass in these closures.)
    static func require(_ condition: Bool, _ message: String) throws {
        guard condition else { throw HarnessError(message) }
    }

    static func required<T>(_ value: T?, _ message: String) throws -> T {
        guard let value else { throw HarnessError(message) }
        return value
    }

    // MARK: A → B

    @Test func sessionWrittenOnAArrivesInBsStoreUnderBsFolderWithBsPaths() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let short = try StoreSession.placeGenerated(Self.short, on: a)
            let withAgents = try StoreSession.placeGenerated(Self.withSubagents, on: a)
            let agentCount = withAgents.files.keys.filter { $0.contains("/subagents/agent-") && $0.hasSuffix(".jsonl") }.count
            try Self.require(agentCount == 2, "the session has \(agentCount) subagent logs")
            try Self.require(withAgents.files.keys.contains { $0.contains("/subagents/agent-") && $0.hasSuffix(".meta.json") },
                             "the session has no subagent .meta.json")
            try Self.require(withAgents.files.keys.contains { $0.contains("/tool-results/") }, "the session has no tool results")
            try Self.require(short.cwd == a.projects + "/shop", "short's cwd is \(short.cwd)")
            let notes = Array("""
                # Notes
                The app lives in \(a.projects)/shop; run it from \(a.projects)/shop/bin.
                Secrets: \(a.home)/.config/shop/env

                """.utf8)
            try a.writeStore(cwd: short.cwd, "memory/notes.md", notes)

            try a.initialize(remote: world.remote)
            try a.ccsync("push")
            try b.initialize(remote: world.remote)
            try b.ccsync("pull")

            var expectedFolders: Set<String> = []
            for session in [short, withAgents] {
                let onB = session.translated(from: a, to: b)
                try Self.require(onB.cwd.hasPrefix(b.projects + "/"), "cwd \(onB.cwd) not translated")
                let folder = SyncMachine.folderName(forCwd: onB.cwd)
                expectedFolders.insert(folder)
                let attributes = try? FileManager.default.attributesOfItem(atPath: b.storeFolder(cwd: onB.cwd))
                sandbox.check(attributes?[.type] as? FileAttributeType == .typeDirectory,
                              "B's store has no real directory \(folder) for \(onB.cwd): \(String(describing: attributes?[.type]))")
                for (relative, bytesOnA) in session.files.sorted(by: { $0.key < $1.key }) {
                    guard let bytesOnB = try? b.readStore(cwd: onB.cwd, relative) else {
                        let has = try b.storeFiles().keys.sorted()
                        sandbox.check(false, "B's store lacks \(folder)/\(relative); it has \(has)")
                        continue
                    }
                    let what = "B's \(folder)/\(relative)"
                    let back = b.translated(bytesOnB, to: a)
                    sandbox.expectSameBytes(bytesOnB, try onB.file(relative), what)
                    sandbox.expectSameBytes(back, bytesOnA, what + " translated back to A's paths")
                    let holdsA = Bytes.contains(bytesOnB, a.home), holdsB = Bytes.contains(bytesOnB, b.projects)
                    sandbox.check(!holdsA, what + " still holds A's home")
                    sandbox.check(holdsB, what + " holds none of B's paths")
                }
            }
            let notesOnB = try? b.readStore(cwd: b.projects + "/shop", "memory/notes.md")
            sandbox.expectSameBytes(notesOnB ?? [], a.translated(notes, to: b), "B's memory/notes.md")

            let foldersOnB = Set(try b.storeFiles().keys.compactMap { $0.split(separator: "/").first.map(String.init) })
            sandbox.check(foldersOnB == expectedFolders, "B's store folders \(foldersOnB.sorted()), expected \(expectedFolders.sorted())")

            // The repository holds portable forms only, under keys that name no machine.
            for path in try world.remoteFiles() where path.hasPrefix("projects/") {
                sandbox.check(path.hasPrefix("projects/PROJECTS-shop"), "repository path \(path) is not a portable key")
                let blob = try world.remoteBlob(path)
                for machinePath in [a.home, b.home, sandbox.root] {
                    let found = Bytes.occurrences(of: machinePath, in: blob)
                    sandbox.check(found.isEmpty, "the repository's \(path) holds \(machinePath): "
                                  + (found.first.map { Bytes.excerpt(blob, around: $0) } ?? ""))
                }
            }

            // Each project's folder records its cwd in portable form.
            let cwdFiles = try world.remoteFiles().filter { $0.hasSuffix("/.cwd") }
            let cwds = Set(try cwdFiles.map { String(decoding: try world.remoteBlob($0), as: UTF8.self) })
            sandbox.check(cwds == ["{{PROJECTS}}/shop\n", "{{PROJECTS}}/shop-worktrees/search\n"],
                          "the repository's .cwd files hold \(cwds.sorted())")

            // A second pull changes nothing.
            let storeBefore = try b.storeFiles()
            try b.ccsync("pull")
            sandbox.check(try b.storeFiles() == storeBefore, "a second pull on B changed its store")

            try a.expectCleanStatus("after its push")
            try b.machine.expectPristine("after pulling the real sessions")
        }
    }

    // MARK: B → A

    @Test func linesAppendedOnBReachAByteExactWithAsPaths() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try Self.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            let onB = short.translated(from: a, to: b)
            let log = short.log
            sandbox.expectSameBytes(try b.readStore(cwd: onB.cwd, log), try onB.file(log), "B's copy before it resumes")

            let appended = SessionRecords.lines(4, tag: 0xb1, session: short.id, cwd: onB.cwd, on: b)
            try b.appendStore(cwd: onB.cwd, log, appended)
            // The resumed session also starts a subagent, keeps a tool result beside the log and writes memory.
            let agent = "\(short.id)/subagents/agent-b1.jsonl"
            let agentLines = SessionRecords.lines(3, tag: 0xb7, session: short.id, cwd: onB.cwd, on: b)
            try b.writeStore(cwd: onB.cwd, agent, agentLines)
            let toolResult = "\(short.id)/tool-results/toolu_b1.txt"
            let toolOutput = Array("\(onB.cwd)/lib/app.ex:1\n\(b.home)/.zshrc:3\nno trailing newline".utf8)
            try b.writeStore(cwd: onB.cwd, toolResult, toolOutput)
            let memory = Array("- build with `cd \(onB.cwd) && mix compile`\n".utf8)
            try b.writeStore(cwd: onB.cwd, "memory/build.md", memory)
            try b.ccsync("push")
            try a.ccsync("pull")

            sandbox.expectSameBytes(try a.readStore(cwd: short.cwd, log),
                                    (try short.file(log)) + b.translated(appended, to: a), "A's \(log) after the pull")
            sandbox.expectSameBytes((try? a.readStore(cwd: short.cwd, agent)) ?? [], b.translated(agentLines, to: a),
                                    "A's \(agent)")
            sandbox.expectSameBytes((try? a.readStore(cwd: short.cwd, toolResult)) ?? [], b.translated(toolOutput, to: a),
                                    "A's \(toolResult)")
            sandbox.expectSameBytes((try? a.readStore(cwd: short.cwd, "memory/build.md")) ?? [], b.translated(memory, to: a),
                                    "A's memory/build.md")
            let stored = try world.remoteBlob(try Self.required(try world.remotePath(endingWith: "/" + log), "the repository has no \(log)"))
            for machinePath in [a.home, b.home, sandbox.root] {
                sandbox.check(!Bytes.contains(stored, machinePath), "the repository's \(log) holds \(machinePath)")
            }
            try a.expectCleanStatus("after pulling B's lines")
            try b.expectCleanStatus("after pushing its lines")
        }
    }

    /// B had sessions of its own before it joined: its init pushes them, and A's pull brings them.
    @Test func joiningMachinesOwnSessionsArePushedByItsInit() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let short = try StoreSession.placeGenerated(Self.short, on: a)
            let own = try StoreSession.placeGenerated(Self.toolHeavy, on: b)
            try a.initialize(remote: world.remote)
            try b.initialize(remote: world.remote)
            let remoteHasOwn = try world.remotePath(endingWith: "/" + own.log) != nil
            sandbox.check(remoteHasOwn, "B's init did not push B's own \(own.log)")
            try a.ccsync("pull")

            let ownOnA = own.translated(from: b, to: a)
            sandbox.expectSameBytes((try? a.readStore(cwd: ownOnA.cwd, own.log)) ?? [], try ownOnA.file(own.log),
                                    "A's copy of B's \(own.log)")
            let shortOnB = short.translated(from: a, to: b)
            sandbox.expectSameBytes((try? b.readStore(cwd: shortOnB.cwd, short.log)) ?? [], try shortOnB.file(short.log),
                                    "B's copy of A's \(short.log)")
            sandbox.expectSameBytes((try? b.readStore(cwd: own.cwd, own.log)) ?? [], try own.file(own.log),
                                    "B's own \(own.log) after its init")
            try a.expectCleanStatus("at the end")
            try b.expectCleanStatus("at the end")
        }
    }

    /// A project under the home directory but outside `PROJECTS` (the only synced directory) stays on
    /// its machine unless `--all` is given, on push and on pull.
    @Test func projectsOutsideTheSyncedDirectoriesMoveOnlyWithAll() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            try StoreSession.placeGenerated(Self.short, on: a)
            let id = "0badc0de-0000-4000-8000-000000000001"
            let scratch = a.home + "/scratch"
            let lines = SessionRecords.lines(4, tag: 0xa8, session: id, cwd: scratch, on: a)
            try a.writeStore(cwd: scratch, "\(id).jsonl", lines)
            try a.initialize(remote: world.remote)
            let pushedByDefault = try world.remoteFiles().filter { $0.contains(id) }
            sandbox.check(pushedByDefault.isEmpty, "a project outside PROJECTS was pushed without --all: \(pushedByDefault)")

            try a.ccsync("push", "--all")
            let pushedWithAll = try world.remotePath(endingWith: "/\(id).jsonl")
            sandbox.check(pushedWithAll?.hasPrefix("projects/HOME-scratch") == true,
                          "push --all did not store the project under a portable key: \(pushedWithAll ?? "(missing)")")

            try b.initialize(remote: world.remote)
            let scratchOnB = b.home + "/scratch"
            sandbox.check(!b.storeHas(cwd: scratchOnB, "\(id).jsonl"), "B's pull wrote a project outside PROJECTS without --all")
            try b.ccsync("pull", "--all")
            sandbox.expectSameBytes((try? b.readStore(cwd: scratchOnB, "\(id).jsonl")) ?? [], a.translated(lines, to: b),
                                    "B's copy of the scratch session after pull --all")
            try a.expectCleanStatus("at the end")
            try b.expectCleanStatus("at the end")
        }
    }

    // MARK: both append offline

    enum OfflineOrder: String, CaseIterable, Sendable {
        /// A pushes, B pushes (merging A's lines), A pulls.
        case aPushesFirst
        /// B pushes, A pushes (merging B's lines), B pulls.
        case bPushesFirst
        /// A pushes, B pulls (merging into its store), B pushes, A pulls.
        case bPullsBeforePushing
    }

    @Test(arguments: OfflineOrder.allCases)
    func offlineAppendsOnBothMachinesAllSurvive(_ order: OfflineOrder) throws {
        try Sandbox.with("offlineAppends-\(order.rawValue)") { sandbox in
            let (world, short) = try Self.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            let onB = short.translated(from: a, to: b)
            let log = short.log
            let fromA = SessionRecords.lines(3, tag: 0xa1, session: short.id, cwd: short.cwd, on: a)
            let fromB = SessionRecords.lines(3, tag: 0xb1, session: short.id, cwd: onB.cwd, on: b)
            try a.appendStore(cwd: short.cwd, log, fromA)
            try b.appendStore(cwd: onB.cwd, log, fromB)

            switch order {
            case .aPushesFirst:
                try a.ccsync("push")
                try b.ccsync("push")
                try a.ccsync("pull")
            case .bPushesFirst:
                try b.ccsync("push")
                try a.ccsync("push")
                try b.ccsync("pull")
            case .bPullsBeforePushing:
                try a.ccsync("push")
                try b.ccsync("pull")
                try b.ccsync("push")
                try a.ccsync("pull")
            }

            let original = try short.file(log)
            let expectedOnA = original + fromA + b.translated(fromB, to: a)
            Self.expectSameLines(try a.readStore(cwd: short.cwd, log), expectedOnA, "A's \(log)", sandbox)
            Self.expectSameLines(try b.readStore(cwd: onB.cwd, log), a.translated(expectedOnA, to: b), "B's \(log)", sandbox)
            let repoPath = try Self.required(try world.remotePath(endingWith: "/" + log), "the repository has no \(log)")
            sandbox.check(Bytes.lines(try world.remoteBlob(repoPath)).count == Bytes.lines(expectedOnA).count,
                          "the repository's \(log) does not have all \(Bytes.lines(expectedOnA).count) lines")
            // The working copies hold what the stores hold.
            sandbox.expectSameBytes(try a.machine.read(repoPath), try a.readStore(cwd: short.cwd, log), "A's working copy vs store")
            sandbox.expectSameBytes(try b.machine.read(repoPath), try b.readStore(cwd: onB.cwd, log), "B's working copy vs store")

            for machine in [a, b] {
                try machine.expectNoConflictMarkers("after \(order.rawValue)")
                try machine.expectCleanStatus("after \(order.rawValue)")
                // Lines of both machines in one log: still clean when every file goes through clean again.
                try machine.machine.expectPristine("after \(order.rawValue)")
            }
        }
    }

    /// Every line of `expected` is in `actual` exactly as often (order aside), and `actual` has no others.
    static func expectSameLines(_ actual: [UInt8], _ expected: [UInt8], _ what: String, _ sandbox: Sandbox,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        var counts: [[UInt8]: Int] = [:]
        for line in Bytes.lines(expected) { counts[Array(line), default: 0] += 1 }
        for line in Bytes.lines(actual) { counts[Array(line), default: 0] -= 1 }
        let missing = counts.filter { $0.value > 0 }.keys
        let extra = counts.filter { $0.value < 0 }.keys
        func shown(_ lines: some Collection<[UInt8]>) -> String {
            lines.prefix(3).map { "  " + Bytes.excerpt($0, around: 0, radius: 160) }.joined(separator: "\n")
        }
        sandbox.check(missing.isEmpty, "\(what): \(missing.count) line(s) lost, e.g.\n\(shown(missing))",
                      sourceLocation: sourceLocation)
        sandbox.check(extra.isEmpty, "\(what): \(extra.count) unexpected line(s), e.g.\n\(shown(extra))",
                      sourceLocation: sourceLocation)
    }

    // MARK: deletions

    /// Claude's 30-day cleanup deletes a log on A. That is not a deletion for every machine: the
    /// repository and B keep it, and A's next pulls do not bring it back while nobody changes it (A's
    /// cleanup is respected). Once B adds to it, A's pull writes it again, whole: new work is not dropped.
    @Test func localCleanupOnAKeepsTheSessionInTheRepositoryAndOnB() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let short = try StoreSession.placeGenerated(Self.short, on: a)
            let kept = try StoreSession.placeGenerated(Self.toolHeavy, on: a)
            try Self.require(short.cwd == kept.cwd, "the fixtures have different cwds")
            try a.initialize(remote: world.remote)
            try b.initialize(remote: world.remote)
            let log = short.log
            let onB = short.translated(from: a, to: b)
            let repoPath = try Self.required(try world.remotePath(endingWith: "/" + log), "the repository has no \(log)")
            let storedBefore = try world.remoteBlob(repoPath)

            try FileManager.default.removeItem(atPath: a.storePath(cwd: short.cwd, log))
            try a.ccsync("push")
            sandbox.check(try world.remoteFiles().contains(repoPath), "A's push deleted \(repoPath) from the repository")
            sandbox.expectSameBytes(try world.remoteBlob(repoPath), storedBefore, "the repository's \(log) after A's cleanup")

            try b.ccsync("pull")
            sandbox.expectSameBytes((try? b.readStore(cwd: onB.cwd, log)) ?? [], try onB.file(log),
                                    "B's \(log) after A's cleanup")

            try a.ccsync("pull")
            sandbox.check(!a.storeHas(cwd: short.cwd, log), "A's pull re-created the session its cleanup deleted")
            // Not even when the working copy's file was rewritten with the same bytes (a checkout, a backup
            // restore): only new content brings it back.
            try a.machine.touchTrackedFiles()
            try a.ccsync("pull")
            sandbox.check(!a.storeHas(cwd: short.cwd, log), "A's pull after a touch re-created the session its cleanup deleted")
            sandbox.check(a.storeHas(cwd: kept.cwd, kept.log), "A lost the session it kept")
            try a.ccsync("push")
            sandbox.check(try world.remoteFiles().contains(repoPath), "A's second push deleted \(repoPath)")

            // B resumes it: now it changed, and A gets all of it back.
            let fromB = SessionRecords.lines(2, tag: 0xb2, session: short.id, cwd: onB.cwd, on: b)
            try b.appendStore(cwd: onB.cwd, log, fromB)
            try b.ccsync("push")
            try a.ccsync("pull")
            sandbox.expectSameBytes((try? a.readStore(cwd: short.cwd, log)) ?? [],
                                    (try short.file(log)) + b.translated(fromB, to: a),
                                    "A's \(log) after B resumed it")

            try a.expectCleanStatus("at the end")
            try b.expectCleanStatus("at the end")
        }
    }

    // MARK: plain git

    /// A plain `git pull` in B's working copy ends where `git ccsync pull` would: the post-merge hook
    /// writes the new session and the new lines into B's store, and a `git ccsync pull` afterwards finds
    /// nothing left to do.
    @Test func plainGitPullEndsInTheSameStoreStateAsCCSyncPull() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try Self.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            let fromA = SessionRecords.lines(3, tag: 0xa3, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, short.log, fromA)
            let fresh = try StoreSession.placeGenerated(Self.toolHeavy, on: a)
            try a.ccsync("push")

            try b.git("pull", "--quiet")
            let onB = short.translated(from: a, to: b)
            let freshOnB = fresh.translated(from: a, to: b)
            sandbox.expectSameBytes((try? b.readStore(cwd: onB.cwd, short.log)) ?? [],
                                    a.translated((try short.file(short.log)) + fromA, to: b),
                                    "B's \(short.log) after a plain git pull")
            sandbox.expectSameBytes((try? b.readStore(cwd: freshOnB.cwd, fresh.log)) ?? [], try freshOnB.file(fresh.log),
                                    "B's new \(fresh.log) after a plain git pull")
            try b.expectCleanStatus("after a plain git pull")

            let storeAfterGitPull = try b.storeFiles()
            let head = try b.head()
            try b.ccsync("pull")
            sandbox.check(try b.storeFiles() == storeAfterGitPull, "git ccsync pull after a plain git pull changed B's store")
            sandbox.check(try b.head() == head, "git ccsync pull after a plain git pull made a commit")
            try b.expectCleanStatus("after git ccsync pull")
        }
    }

    /// B has lines of its own that it has not pushed when a plain `git pull` brings A's: the hook merges
    /// them in B's store, and B's next push brings both to A.
    @Test func plainGitPullKeepsLinesNotYetPushed() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try Self.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            let onB = short.translated(from: a, to: b)
            let log = short.log
            let fromB = SessionRecords.lines(3, tag: 0xb4, session: short.id, cwd: onB.cwd, on: b)
            try b.appendStore(cwd: onB.cwd, log, fromB)
            let fromA = SessionRecords.lines(3, tag: 0xa4, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, log, fromA)
            try a.ccsync("push")

            try b.git("pull", "--quiet")
            let expectedOnA = (try short.file(log)) + fromA + b.translated(fromB, to: a)
            Self.expectSameLines(try b.readStore(cwd: onB.cwd, log), a.translated(expectedOnA, to: b),
                                 "B's \(log) after a plain git pull", sandbox)

            try b.ccsync("push")
            try a.ccsync("pull")
            Self.expectSameLines(try a.readStore(cwd: short.cwd, log), expectedOnA, "A's \(log)", sandbox)
            for machine in [a, b] {
                try machine.expectNoConflictMarkers("at the end")
                try machine.expectCleanStatus("at the end")
            }
        }
    }

    // MARK: dry runs

    @Test func dryRunsChangeNothing() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try Self.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            let fromA = SessionRecords.lines(2, tag: 0xa5, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, short.log, fromA)
            let fresh = try StoreSession.placeGenerated(Self.toolHeavy, on: a)

            let headA = try a.head()
            let remoteBefore = try world.remoteHead()
            let workBefore = try a.workingCopyFiles()
            let dryPush = try a.ccsync("push", "--dry-run")
            sandbox.check(dryPush.stdoutText.contains(String(fresh.id.prefix(8)))
                          && dryPush.stdoutText.contains(String(short.id.prefix(8))),
                          "push --dry-run does not name both sessions:\n\(dryPush)")
            sandbox.check(try a.head() == headA, "push --dry-run moved A's HEAD")
            sandbox.check(try world.remoteHead() == remoteBefore, "push --dry-run changed the remote")
            sandbox.check(try a.workingCopyFiles() == workBefore, "push --dry-run changed A's working copy")
            try a.expectCleanStatus("after push --dry-run")

            // The dry run did not mark anything as synced: the real push sends it all.
            try a.ccsync("push")
            sandbox.check(try world.remoteHead() != remoteBefore, "the push after the dry run pushed nothing")
            sandbox.check(try world.remotePath(endingWith: "/" + fresh.log) != nil, "the push after the dry run lacks \(fresh.log)")

            let storeB = try b.storeFiles()
            let headB = try b.head()
            let dryPull = try b.ccsync("pull", "--dry-run")
            sandbox.check(dryPull.stdoutText.contains(fresh.log) && dryPull.stdoutText.contains(short.log),
                          "pull --dry-run does not name both files:\n\(dryPull)")
            sandbox.check(try b.storeFiles() == storeB, "pull --dry-run changed B's store")
            sandbox.check(try b.head() == headB, "pull --dry-run moved B's HEAD")
            try b.expectCleanStatus("after pull --dry-run")

            try b.ccsync("pull")
            let onB = short.translated(from: a, to: b)
            sandbox.expectSameBytes((try? b.readStore(cwd: onB.cwd, short.log)) ?? [],
                                    a.translated((try short.file(short.log)) + fromA, to: b),
                                    "B's \(short.log) after the real pull")
            sandbox.check(b.storeHas(cwd: onB.cwd, fresh.log), "the pull after the dry run did not bring \(fresh.log)")
        }
    }

    // MARK: a push race

    /// Both machines push at the same moment, five times, each time with lines in a session both work on
    /// and in a session of their own. Every push exits 0 (the loser merges and retries), and after a
    /// pull on each both stores hold every line.
    @Test func concurrentPushesBothSucceedAndLoseNothing() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try Self.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            let onB = short.translated(from: a, to: b)
            let own = try StoreSession.placeGenerated(Self.toolHeavy, on: b)
            var sharedOnA = try short.file(short.log)
            var ownOnB = try own.file(own.log)

            for round in 1...5 {
                let fromA = SessionRecords.lines(2, tag: 0xa00 + round, session: short.id, cwd: short.cwd, on: a)
                let fromB = SessionRecords.lines(2, tag: 0xb00 + round, session: short.id, cwd: onB.cwd, on: b)
                let ownLines = SessionRecords.lines(1, tag: 0xc00 + round, session: own.id, cwd: own.cwd, on: b)
                try a.appendStore(cwd: short.cwd, short.log, fromA)
                try b.appendStore(cwd: onB.cwd, short.log, fromB)
                try b.appendStore(cwd: own.cwd, own.log, ownLines)
                sharedOnA += fromA + b.translated(fromB, to: a)
                ownOnB += ownLines

                let runningA = try a.startCCSync(["push"])
                let runningB = try b.startCCSync(["push"])
                let (resultA, resultB) = (try runningA.wait(timeout: Command.timeout), try runningB.wait(timeout: Command.timeout))
                sandbox.check(resultA.succeeded, "round \(round): A's push failed:\n\(resultA)")
                sandbox.check(resultB.succeeded, "round \(round): B's push failed:\n\(resultB)")
            }
            try a.ccsync("pull")
            try b.ccsync("pull")

            Self.expectSameLines(try a.readStore(cwd: short.cwd, short.log), sharedOnA, "A's shared \(short.log)", sandbox)
            Self.expectSameLines(try b.readStore(cwd: onB.cwd, short.log), a.translated(sharedOnA, to: b),
                                 "B's shared \(short.log)", sandbox)
            let repoPath = try Self.required(try world.remotePath(endingWith: "/" + short.log), "the repository has no \(short.log)")
            sandbox.check(Bytes.lines(try world.remoteBlob(repoPath)).count == Bytes.lines(sharedOnA).count,
                          "the repository's \(short.log) does not have all \(Bytes.lines(sharedOnA).count) lines")
            let ownOnA = own.translated(from: b, to: a)
            sandbox.expectSameBytes((try? a.readStore(cwd: ownOnA.cwd, own.log)) ?? [], b.translated(ownOnB, to: a),
                                    "A's copy of B's own \(own.log)")
            for machine in [a, b] {
                try machine.expectNoConflictMarkers("after the race")
                try machine.expectCleanStatus("after the race")
            }
        }
    }
}
