import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `git ccsync pull` when the pull only needs a fast-forward: done in process (read the blob, smudge,
/// write atomically, index entry from `lstat`, branch moved under a lease, `ORIG_HEAD` and a
/// "Fast-forward" reflog entry), or handed to `git merge` wherever git's own checks or conversions could
/// matter. Either way B must end exactly where a `git merge` would leave it: HEAD at the remote's tip, a
/// clean `git status`, the smudged files in the work tree, A's lines in B's store; and nothing in B's
/// working copy that was in the way may be lost or written through.
@Suite struct FastForwardTests {
    // MARK: helpers

    /// A `git ccsync pull` and what it ran: `git merge` shows in git's trace (`GIT_TRACE`), the fast
    /// path's refusals in ours (`GIT_CCSYNC_TRACE`).
    struct Pull {
        let result: CommandResult
        let gitTrace: String
        var ranGitMerge: Bool { gitTrace.contains("built-in: git merge ") }
        /// What the pull told its user on stderr: everything but our trace's lines (`<n> ms  <step>`).
        var messages: String {
            result.stderrText.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("git-ccsync: ") || !$0.contains(" ms  ") }.joined(separator: "\n")
        }
        /// Whether a failed pull said what is in the way: the path, or what kind of thing it is.
        func namesTheObstacle(_ path: String) -> Bool {
            let text = messages
            return text.contains("error") && (text.contains(path) || ["untracked", "would be overwritten", "local changes", "your changes"]
                .contains { text.contains($0) })
        }
        /// The paths the fast path left to git (`fast-forward left to git: <path>`).
        var leftToGit: [String] {
            result.stderrText.split(separator: "\n").compactMap { line in
                line.range(of: "fast-forward left to git: ").map { String(line[$0.upperBound...]) }
            }
        }
    }

    static func pull(_ machine: SyncMachine, _ sandbox: Sandbox) throws -> Pull {
        let traceFile = try sandbox.nextOutputFile("git-trace")
        let result = try machine.ccsyncResult(["pull"], environment: ["GIT_TRACE": traceFile, "GIT_CCSYNC_TRACE": "1"])
        let trace = (try? String(contentsOfFile: traceFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: traceFile)
        return Pull(result: result, gitTrace: trace)
    }

    static func trimmed(_ result: CommandResult) -> String {
        result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The repository path of the log `id` on the remote's `main` (exactly one must exist).
    static func repoPath(_ world: SyncWorld, _ id: String) throws -> String {
        try SyncTests.required(try world.remotePath(endingWith: "/\(id).jsonl"), "the repository has no \(id).jsonl")
    }

    /// B after a pull that brought the remote's tip: HEAD is the remote branch, `git status` is clean,
    /// `git diff` and `git diff --cached` are empty. With `changedSince` (the HEAD before the pull), the
    /// index entries of the files the pull wrote must match them by stat or, where racily clean, by
    /// content, as `git checkout` leaves them: `git diff-files`, which does not refresh the index, run
    /// before anything else refreshes it. (Other entries may be stat-dirty for reasons of their own.)
    static func expectAtRemoteTip(_ machine: SyncMachine, _ world: SyncWorld, _ context: String, changedSince oldHead: String? = nil,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sandbox = world.sandbox
        if let oldHead {
            let diffFiles = try machine.gitResult(["diff-files", "--name-only"])
            let written = Set(try machine.git("diff", "--no-renames", "--name-only", oldHead, "HEAD").stdoutText.split(separator: "\n").map(String.init))
            let stale = diffFiles.stdoutText.split(separator: "\n").map(String.init).filter { written.contains($0) }
            if !diffFiles.succeeded || !stale.isEmpty {
                var detail = ""
                for path in stale {
                    detail += try machine.git("ls-files", "--debug", "--", path).stdoutText
                    var st = stat()
                    if lstat(machine.workingCopy + "/" + path, &st) == 0 {
                        detail += "  work tree: ctime \(st.changeTime.tv_sec):\(st.changeTime.tv_nsec) mtime \(st.modificationTime.tv_sec):\(st.modificationTime.tv_nsec) "
                            + "ino \(st.st_ino) size \(st.st_size)\n"
                    }
                }
                sandbox.check(false, "\(machine.id), \(context): the index entries of files the pull wrote do not match them "
                              + "(git diff-files, no refresh): \(stale)\n\(diffFiles)\n\(detail)", sourceLocation: sourceLocation)
            }
        }
        let head = try machine.head()
        let tracking = trimmed(try machine.git("rev-parse", "refs/remotes/origin/main"))
        let remote = try world.remoteHead()
        sandbox.check(head == tracking, "\(machine.id), \(context): HEAD \(head) is not refs/remotes/origin/main \(tracking)",
                      sourceLocation: sourceLocation)
        sandbox.check(head == remote, "\(machine.id), \(context): HEAD \(head) is not the remote's main \(remote ?? "(none)")",
                      sourceLocation: sourceLocation)
        try machine.expectCleanStatus(context, sourceLocation: sourceLocation)
        for arguments in [["diff", "--exit-code", "--stat"], ["diff", "--cached", "--exit-code", "--stat"]] {
            let diff = try machine.gitResult(arguments)
            sandbox.check(diff.succeeded && diff.stdout.isEmpty, "\(machine.id), \(context): git \(arguments[0...1].joined(separator: " ")) is not empty:\n\(diff)",
                          sourceLocation: sourceLocation)
        }
    }

    /// What a fast-forward leaves besides the branch: `ORIG_HEAD` at the old HEAD, and a reflog entry
    /// saying "Fast-forward" for the new HEAD (HEAD's and the branch's).
    static func expectFastForwardRecords(_ machine: SyncMachine, from oldHead: String, _ sandbox: Sandbox, _ context: String,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let origHead = (try? String(contentsOfFile: machine.workingCopy + "/.git/ORIG_HEAD", encoding: .utf8)) ?? "(missing)"
        sandbox.check(origHead.trimmingCharacters(in: .whitespacesAndNewlines) == oldHead,
                      "\(machine.id), \(context): .git/ORIG_HEAD is \(origHead), expected the old HEAD \(oldHead)",
                      sourceLocation: sourceLocation)
        let head = try machine.head()
        let plain = try machine.git("reflog", "-1").stdoutText
        sandbox.check(plain.contains("Fast-forward"), "\(machine.id), \(context): git reflog -1 does not mention Fast-forward: \(plain)",
                      sourceLocation: sourceLocation)
        for ref in ["HEAD", "refs/heads/main"] {
            let entry = trimmed(try machine.git("reflog", "show", "-1", "--format=%H %gs", ref))
            sandbox.check(entry.hasPrefix(head + " ") && entry.contains("Fast-forward"),
                          "\(machine.id), \(context): the newest \(ref) reflog entry is '\(entry)', expected \(head) ... Fast-forward",
                          sourceLocation: sourceLocation)
        }
    }

    /// Whether `marker` is still somewhere in `machine`'s working copy for `path`: the work-tree file,
    /// the index's blob, or a commit reachable from HEAD (blobs as stored, no textconv).
    static func placesHolding(_ marker: String, path: String, on machine: SyncMachine) throws -> [String] {
        var places: [String] = []
        if let bytes = try? machine.machine.read(path), Bytes.contains(bytes, marker) { places.append("work tree") }
        let staged = try machine.gitResult(["cat-file", "blob", ":\(path)"])
        if staged.succeeded, Bytes.contains(staged.stdout, marker) { places.append("index") }
        let commits = try machine.git("log", "--no-textconv", "--format=%H", "-S", marker, "HEAD", "--").stdoutText
        if !commits.isEmpty { places.append("commits " + commits.split(separator: "\n").joined(separator: ",")) }
        return places
    }

    /// Every file (and its bytes) and every folder under `directory`, symlinks not followed.
    static func snapshot(_ directory: String) throws -> [String: [UInt8]?] {
        var result: [String: [UInt8]?] = [:]
        guard let walker = FileManager.default.enumerator(atPath: directory) else { throw HarnessError("cannot list \(directory)") }
        while let relative = walker.nextObject() as? String {
            let type = walker.fileAttributes?[.type] as? FileAttributeType
            if type == .typeRegular {
                result[relative] = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + relative)))
            } else {
                result[relative + " (\(type?.rawValue ?? "?"))"] = .some(nil)
            }
        }
        return result
    }

    /// A session in a project of its own: `count` records of `machine`'s with `cwd`.
    static func newSession(_ id: String, cwd: String, tag: Int, count: Int = 4, on machine: SyncMachine) throws -> [UInt8] {
        let lines = SessionRecords.lines(count, tag: tag, session: id, cwd: cwd, on: machine)
        try machine.writeStore(cwd: cwd, "\(id).jsonl", lines)
        return lines
    }

    // MARK: 1. plain fast-forwards

    /// A appends to a session and pushes; B's pull fast-forwards in process and leaves B exactly as
    /// `git merge` would: HEAD at the remote, a clean status, the smudged file, the lines in the store,
    /// `ORIG_HEAD` and the reflog entry.
    @Test func appendedLinesFastForwardInProcess() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try SyncTests.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            try a.ccsync("pull")
            let onB = short.translated(from: a, to: b)
            let log = short.log
            let path = try Self.repoPath(world, short.id)
            var expectedOnA = try short.file(log)

            for round in 1...2 {
                let fromA = SessionRecords.lines(3, tag: 0xa10 + round, session: short.id, cwd: short.cwd, on: a)
                try a.appendStore(cwd: short.cwd, log, fromA)
                expectedOnA += fromA
                try a.ccsync("push")
                let oldHead = try b.head()
                try SyncTests.require(try world.remoteHead() != oldHead, "A's push did not reach the remote")

                let pull = try Self.pull(b, sandbox)
                let step = "round \(round)"
                sandbox.check(pull.result.succeeded, "\(step): B's pull failed:\n\(pull.result)")
                sandbox.check(!pull.ranGitMerge && pull.leftToGit.isEmpty,
                              "\(step): a pull that only needs a fast-forward ran git merge (left to git: \(pull.leftToGit)):\n\(pull.result.stderrText)")
                try Self.expectAtRemoteTip(b, world, step, changedSince: oldHead)
                try Self.expectFastForwardRecords(b, from: oldHead, sandbox, step)
                let expectedOnB = a.translated(expectedOnA, to: b)
                sandbox.expectSameBytes((try? b.machine.read(path)) ?? [], expectedOnB, "\(step): B's work-tree \(path) (smudged, B's paths)")
                sandbox.expectSameBytes((try? b.readStore(cwd: onB.cwd, log)) ?? [], expectedOnB, "\(step): B's store \(log)")
                sandbox.expectSameBytes(try b.machine.blob(path), try world.remoteBlob(path), "\(step): B's HEAD blob of \(path)")
            }
            try b.machine.expectPristine("after the fast-forwards")
        }
    }

    /// A new session in a new project folder arrives the same way; then A deletes it from the
    /// repository with plain git, and B's fast-forward removes the file and its emptied folder from
    /// the work tree (the store keeps it: sync never deletes there).
    @Test func aNewProjectArrivesAndItsDeletionLeavesNoEmptyFolder() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            // Something on both sides first, so that B's pull below is a fast-forward of a real history.
            let first = "fa570000-0000-4000-8000-000000000001"
            _ = try Self.newSession(first, cwd: a.projects + "/first", tag: 0xa20, on: a)
            try a.ccsync("push")
            try b.ccsync("pull")
            try a.ccsync("pull")

            let id = "fa570000-0000-4000-8000-000000000002"
            let cwdA = a.projects + "/fresh", cwdB = b.projects + "/fresh"
            let lines = try Self.newSession(id, cwd: cwdA, tag: 0xa21, on: a)
            try a.ccsync("push")
            let path = try Self.repoPath(world, id)
            let folder = String(path.split(separator: "/").dropLast().joined(separator: "/"))
            try SyncTests.require(folder.hasPrefix("projects/") && !FileManager.default.fileExists(atPath: b.workingCopy + "/" + folder),
                                  "\(folder) is not a new project folder for B")

            var oldHead = try b.head()
            var pull = try Self.pull(b, sandbox)
            sandbox.check(pull.result.succeeded, "B's pull of a new project failed:\n\(pull.result)")
            sandbox.check(!pull.ranGitMerge && pull.leftToGit.isEmpty,
                          "a pull that only adds a project ran git merge (left to git: \(pull.leftToGit)):\n\(pull.result.stderrText)")
            try Self.expectAtRemoteTip(b, world, "after the new project", changedSince: oldHead)
            try Self.expectFastForwardRecords(b, from: oldHead, sandbox, "after the new project")
            let expected = a.translated(lines, to: b)
            sandbox.expectSameBytes((try? b.machine.read(path)) ?? [], expected, "B's work-tree \(path)")
            sandbox.expectSameBytes((try? b.readStore(cwd: cwdB, "\(id).jsonl")) ?? [], expected, "B's store copy of the new session")
            let folderFiles = (try? FileManager.default.contentsOfDirectory(atPath: b.workingCopy + "/" + folder))?.sorted() ?? []
            let tracked = try a.git("ls-tree", "--name-only", "HEAD", folder + "/").stdoutText
                .split(separator: "\n").map { String($0.split(separator: "/").last ?? "") }.sorted()
            sandbox.check(folderFiles == tracked, "B's \(folder) holds \(folderFiles), the commit \(tracked)")

            // A deletes the project from the repository with plain git.
            try a.git("rm", "-r", "-q", "--", folder)
            try a.git("commit", "-q", "-m", "drop the fresh project")
            try a.git("push", "-q", "origin", "HEAD:main")
            try SyncTests.require(!(try world.remoteFiles()).contains { $0.hasPrefix(folder + "/") },
                                  "A's push did not delete \(folder) on the remote")

            oldHead = try b.head()
            pull = try Self.pull(b, sandbox)
            sandbox.check(pull.result.succeeded, "B's pull of the deletion failed:\n\(pull.result)")
            sandbox.check(!pull.ranGitMerge && pull.leftToGit.isEmpty,
                          "a pull that only deletes files ran git merge (left to git: \(pull.leftToGit)):\n\(pull.result.stderrText)")
            try Self.expectAtRemoteTip(b, world, "after the deletion", changedSince: oldHead)
            try Self.expectFastForwardRecords(b, from: oldHead, sandbox, "after the deletion")
            sandbox.check(!FileManager.default.fileExists(atPath: b.workingCopy + "/" + path), "B's work tree still has \(path)")
            var isDirectory: ObjCBool = false
            let folderLeft = FileManager.default.fileExists(atPath: b.workingCopy + "/" + folder, isDirectory: &isDirectory)
            sandbox.check(!folderLeft, "B's work tree still has the emptied folder \(folder) (directory: \(isDirectory.boolValue))")
            sandbox.check(FileManager.default.fileExists(atPath: b.workingCopy + "/projects"), "the deletion removed projects/ itself")
            // The other project is untouched.
            let firstPath = try Self.repoPath(world, first)
            sandbox.expectSameBytes((try? b.machine.read(firstPath)) ?? [], a.translated(try a.readStore(cwd: a.projects + "/first", "\(first).jsonl"), to: b),
                                    "B's work-tree \(firstPath) after the deletion")
            try b.machine.expectPristine("after the deletion")
        }
    }

    // MARK: 2. racily clean entries

    /// Pulls and pushes back to back, with no pause: every pull finds index entries written in the same
    /// second (racily clean), on B and on A, and must still end clean with every line.
    @Test func backToBackRoundsWithRacilyCleanEntries() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try SyncTests.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            try a.ccsync("pull")
            let onB = short.translated(from: a, to: b)
            let log = short.log
            let path = try Self.repoPath(world, short.id)
            var expectedOnA = try short.file(log)

            for round in 1...6 {
                let fromA = SessionRecords.lines(2, tag: 0xa30 + round, session: short.id, cwd: short.cwd, on: a)
                try a.appendStore(cwd: short.cwd, log, fromA)
                expectedOnA += fromA
                try a.ccsync("push")
                let oldB = try b.head()
                let pullB = try Self.pull(b, sandbox)
                sandbox.check(pullB.result.succeeded, "round \(round): B's pull failed:\n\(pullB.result)")
                sandbox.check(!pullB.ranGitMerge, "round \(round): B's pull ran git merge (left to git: \(pullB.leftToGit))")
                try Self.expectAtRemoteTip(b, world, "round \(round), B after its pull", changedSince: oldB)
                sandbox.expectSameBytes((try? b.readStore(cwd: onB.cwd, log)) ?? [], a.translated(expectedOnA, to: b),
                                        "round \(round): B's store \(log)")
                sandbox.expectSameBytes((try? b.machine.read(path)) ?? [], a.translated(expectedOnA, to: b),
                                        "round \(round): B's work-tree \(path)")

                let fromB = SessionRecords.lines(2, tag: 0xb30 + round, session: short.id, cwd: onB.cwd, on: b)
                try b.appendStore(cwd: onB.cwd, log, fromB)
                expectedOnA += b.translated(fromB, to: a)
                try b.ccsync("push")
                let oldA = try a.head()
                let pullA = try Self.pull(a, sandbox)
                sandbox.check(pullA.result.succeeded, "round \(round): A's pull failed:\n\(pullA.result)")
                sandbox.check(!pullA.ranGitMerge, "round \(round): A's pull ran git merge (left to git: \(pullA.leftToGit))")
                try Self.expectAtRemoteTip(a, world, "round \(round), A after its pull", changedSince: oldA)
                sandbox.expectSameBytes((try? a.readStore(cwd: short.cwd, log)) ?? [], expectedOnA, "round \(round): A's store \(log)")
                sandbox.expectSameBytes((try? a.machine.read(path)) ?? [], expectedOnA, "round \(round): A's work-tree \(path)")
            }
            try a.machine.expectPristine("after the rounds")
            try b.machine.expectPristine("after the rounds")
        }
    }

    // MARK: 3. things in the way

    /// B edits its working copy's copy of a session by hand (not through the store) and A appends to the
    /// same session. B's pull must not lose the edit (it is committed and merged, or the pull fails
    /// clearly), nor A's lines when it succeeds.
    @Test func anUncommittedEditInTheWorkTreeIsNotLost() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try SyncTests.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            try a.ccsync("pull")
            let onB = short.translated(from: a, to: b)
            let path = try Self.repoPath(world, short.id)
            let marker = "b-hand-edit-7f3e"
            let edit = Array(#"{"type":"user","uuid":"\#(marker)","message":{"role":"user","content":"typed into the working copy on B"}}"#.utf8) + [0x0A]
            try b.machine.append(path, edit)
            let status = try b.git("status", "--porcelain").stdoutText
            try SyncTests.require(status.contains(path), "git does not see B's edit: \(status)")

            let fromA = SessionRecords.lines(3, tag: 0xa40, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, short.log, fromA)
            try a.ccsync("push")

            let pull = try Self.pull(b, sandbox)
            try Self.expectEditKept(marker, path: path, pull: pull, on: b, world)
            if pull.result.succeeded {
                let expectedLines = a.translated(try short.file(short.log) + fromA, to: b)
                let inStore = (try? b.readStore(cwd: onB.cwd, short.log)) ?? []
                let inTree = (try? b.machine.read(path)) ?? []
                for line in Bytes.lines(expectedLines) {
                    let text = String(decoding: line, as: UTF8.self)
                    sandbox.check(Bytes.contains(inStore, text), "B's store lost a line: \(text.prefix(120))")
                    sandbox.check(Bytes.contains(inTree, text), "B's work tree lost a line: \(text.prefix(120))")
                }
            }
        }
    }

    /// The same, but the edit keeps the file's size and its modification time (an in-place edit followed
    /// by `touch -r`, or a tool that restores times): stat alone cannot tell; git's check of the change
    /// time (and its content check) still sees it, so the pull must not overwrite it either.
    @Test func anEditThatKeepsSizeAndModificationTimeIsNotLost() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try SyncTests.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            try a.ccsync("pull")
            let path = try Self.repoPath(world, short.id)
            let tag = 0xa51
            let fromA = SessionRecords.lines(3, tag: tag, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, short.log, fromA)
            try a.ccsync("push")
            try b.ccsync("pull")
            // A second later git's status rewrites an index whose entries are racily clean: from then on
            // the index is newer than the file by a whole second, and the entry's stat is trusted (by
            // git too, which still compares the change time).
            Thread.sleep(forTimeInterval: 1.1)
            try b.expectCleanStatus("before the edit")

            // A's lines name A's machine id in their text: one word of one of them changes case.
            let needle = "[\(a.id) #\(tag).0] look at"
            let editMarker = "[\(a.id) #\(tag).0] LOOK AT"
            var bytes = try b.machine.read(path)
            try SyncTests.require(!Bytes.contains(bytes, editMarker), "the log already holds \(editMarker)")
            let at = try SyncTests.required(Bytes.occurrences(of: needle, in: bytes).first, "B's copy lacks \(needle)")
            bytes.replaceSubrange(at..<(at + needle.utf8.count), with: Array(editMarker.utf8))
            try Self.overwriteInPlaceKeepingTimes(b.machine.absolute(path), bytes)
            let status = try b.git("status", "--porcelain").stdoutText
            try SyncTests.require(status.contains(path), "git does not see B's same-size edit: '\(status)'")
            // The case this test is about: the index entry's mtime, size and inode are the file's.
            var st = stat()
            _ = lstat(b.machine.absolute(path), &st)
            let entry = try b.git("ls-files", "--debug", "--", path).stdoutText
            try SyncTests.require(entry.contains("mtime: \(st.modificationTime.tv_sec):\(st.modificationTime.tv_nsec)\n") && entry.contains("size: \(st.st_size)\t")
                                  && entry.contains("ino: \(st.st_ino)\n"),
                                  "the index entry does not carry the edited file's mtime, size and inode:\n\(entry)")

            let more = SessionRecords.lines(2, tag: 0xa52, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, short.log, more)
            try a.ccsync("push")

            let pull = try Self.pull(b, sandbox)
            try Self.expectEditKept(editMarker, path: path, pull: pull, on: b, world)
        }
    }

    /// Writes `bytes` (the same length) over `path` in place, then gives it back its access and
    /// modification times to the nanosecond: size, inode and mtime unchanged, only the ctime moved.
    static func overwriteInPlaceKeepingTimes(_ path: String, _ bytes: [UInt8]) throws {
        var before = stat()
        guard lstat(path, &before) == 0 else { throw HarnessError("lstat \(path): \(String(cString: strerror(errno)))") }
        guard Int(before.st_size) == bytes.count else { throw HarnessError("\(path): not the same size") }
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else { throw HarnessError("open \(path): \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        close(fd)
        guard written == bytes.count else { throw HarnessError("pwrite \(path) wrote \(written)") }
        var times = [before.accessTime, before.modificationTime]
        guard utimensat(AT_FDCWD, path, &times, 0) == 0 else { throw HarnessError("utimensat \(path): \(String(cString: strerror(errno)))") }
        var after = stat()
        guard lstat(path, &after) == 0, after.st_ino == before.st_ino, after.st_size == before.st_size,
              after.modificationTime.tv_sec == before.modificationTime.tv_sec, after.modificationTime.tv_nsec == before.modificationTime.tv_nsec else {
            throw HarnessError("\(path): could not keep its stat")
        }
    }

    /// After B's pull with a local edit in the way: the edit's bytes are still in the work tree, the
    /// index or a commit reachable from HEAD; a failed pull said why and left no merge open, a
    /// successful one ended at the remote's tip with a clean status.
    static func expectEditKept(_ marker: String, path: String, pull: Pull, on b: SyncMachine, _ world: SyncWorld,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sandbox = world.sandbox
        let places = try Self.placesHolding(marker, path: path, on: b)
        sandbox.check(!places.isEmpty, "B's edit (\(marker)) is gone: not in the work tree, the index or any commit reachable from HEAD "
                      + "(pull \(pull.result.succeeded ? "succeeded" : "failed"), git merge \(pull.ranGitMerge ? "ran" : "did not run"))",
                      sourceLocation: sourceLocation)
        if pull.result.succeeded {
            try Self.expectAtRemoteTipOrAhead(b, world, "after pulling over an edit", sourceLocation: sourceLocation)
        } else {
            sandbox.check(pull.namesTheObstacle(path), "B's pull failed without saying what is in the way (\(path), edited):\n\(pull.messages)",
                          sourceLocation: sourceLocation)
            sandbox.check(!FileManager.default.fileExists(atPath: b.workingCopy + "/.git/MERGE_HEAD"),
                          "B's failed pull left a merge open", sourceLocation: sourceLocation)
        }
    }

    /// HEAD contains the remote's tip (a merge of B's own commit may be ahead of it) and the status is clean.
    static func expectAtRemoteTipOrAhead(_ machine: SyncMachine, _ world: SyncWorld, _ context: String,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let remote = try SyncTests.required(try world.remoteHead(), "the remote has no main")
        let contains = try machine.gitResult(["merge-base", "--is-ancestor", remote, "HEAD"]).succeeded
        world.sandbox.check(contains, "\(machine.id), \(context): HEAD does not contain the remote's main \(remote)",
                            sourceLocation: sourceLocation)
        try machine.expectCleanStatus(context, sourceLocation: sourceLocation)
    }

    /// An untracked file in B's working copy where A adds a session: not overwritten silently.
    @Test func anUntrackedFileWhereASessionArrivesIsNotOverwritten() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try SyncTests.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            try a.ccsync("pull")
            let shortPath = try Self.repoPath(world, short.id)
            let folder = String(shortPath.split(separator: "/").dropLast().joined(separator: "/"))
            let id = "fa570000-0000-4000-8000-0000000000b3"
            let path = folder + "/\(id).jsonl"
            let untracked = Array("B's own notes, never committed\n".utf8)
            try b.machine.write(path, untracked)

            let lines = SessionRecords.lines(3, tag: 0xa60, session: id, cwd: short.cwd, on: a)
            try a.writeStore(cwd: short.cwd, "\(id).jsonl", lines)
            try a.ccsync("push")
            try SyncTests.require(try world.remoteFiles().contains(path), "A's new session is not at \(path) on the remote")

            let pull = try Self.pull(b, sandbox)
            let places = try Self.placesHolding("B's own notes, never committed", path: path, on: b)
            sandbox.check(!places.isEmpty, "B's untracked \(path) was overwritten: its content is nowhere "
                          + "(pull \(pull.result.succeeded ? "succeeded" : "failed"), git merge \(pull.ranGitMerge ? "ran" : "did not run")):\n\(pull.result)")
            if pull.result.succeeded {
                try Self.expectAtRemoteTipOrAhead(b, world, "after pulling over an untracked file")
            } else {
                sandbox.check(pull.namesTheObstacle(path), "B's pull failed without saying what is in the way (\(path), untracked):\n\(pull.messages)")
                sandbox.expectSameBytes((try? b.machine.read(path)) ?? [], untracked, "B's untracked \(path) after the failed pull")
                sandbox.check(!FileManager.default.fileExists(atPath: b.workingCopy + "/.git/MERGE_HEAD"), "B's failed pull left a merge open")
                sandbox.check(try b.head() != world.remoteHead(), "B's failed pull still moved HEAD to the remote's tip")
            }
        }
    }

    /// A project folder in B's working copy replaced by a symlink to a folder outside it: B's pull of a
    /// change in that project writes nothing there.
    @Test func aSymlinkedProjectFolderIsNotWrittenThrough() throws {
        try Sandbox.with { sandbox in
            let (world, short) = try SyncTests.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            try a.ccsync("pull")
            let path = try Self.repoPath(world, short.id)
            let folder = String(path.split(separator: "/").dropLast().joined(separator: "/"))
            let fm = FileManager.default
            let outside = sandbox.path("outside")
            // The folder's files move outside; the folder becomes a link to them.
            try fm.moveItem(atPath: b.workingCopy + "/" + folder, toPath: outside)
            try fm.createSymbolicLink(atPath: b.workingCopy + "/" + folder, withDestinationPath: outside)
            let before = try Self.snapshot(outside)
            try SyncTests.require(before.keys.contains(short.log), "the outside folder lacks \(short.log): \(before.keys.sorted())")

            let fromA = SessionRecords.lines(3, tag: 0xa70, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, short.log, fromA)
            // A new session in the same project too: a file to create, not only one to change.
            let id = "fa570000-0000-4000-8000-0000000000c3"
            try a.writeStore(cwd: short.cwd, "\(id).jsonl", SessionRecords.lines(2, tag: 0xa71, session: id, cwd: short.cwd, on: a))
            try a.ccsync("push")

            let pull = try Self.pull(b, sandbox)
            let after = try Self.snapshot(outside)
            let changed = Set(before.keys).symmetricDifference(after.keys).sorted()
                + before.keys.filter { after[$0] != nil && after[$0]! != before[$0]! }.sorted()
            sandbox.check(changed.isEmpty, "B's pull wrote outside its working copy, through the symlinked \(folder): \(changed)\n"
                          + "pull \(pull.result.succeeded ? "succeeded" : "failed"), git merge \(pull.ranGitMerge ? "ran" : "did not run"):\n\(pull.result)")
            if !pull.result.succeeded {
                sandbox.check(pull.messages.contains("error"), "B's pull failed without an error message:\n\(pull.result)")
            }
            sandbox.check(!fm.fileExists(atPath: b.workingCopy + "/.git/MERGE_HEAD"), "B's pull left a merge open")
        }
    }

    // MARK: 4. .gitattributes and .ccsync/config arriving with a session

    enum SharedFileChange: String, CaseIterable, Sendable {
        /// A comment line in `.gitattributes`.
        case attributesComment
        /// `*.jsonl text eol=lf` in `.gitattributes`: a conversion attribute for every log from then on.
        case attributesEndOfLine
        /// A new placeholder in `.ccsync/config`, with a session under it.
        case newPlaceholder
        /// The same with a comment in `.gitattributes` too, so that the pull goes through `git merge`.
        case newPlaceholderAndAttributes
    }

    /// A change to `.gitattributes` or `.ccsync/config` arrives with a session change: B ends at the
    /// remote with a clean status and the lines in its store; and so does the next plain pull.
    @Test(arguments: SharedFileChange.allCases)
    func aSharedFileChangeArrivingWithASession(_ change: SharedFileChange) throws {
        try Sandbox.with("sharedFile-\(change.rawValue)") { sandbox in
            let (world, short) = try SyncTests.twoMachinesSharingShort(sandbox)
            let (a, b) = (world.a, world.b)
            try a.ccsync("pull")
            let onB = short.translated(from: a, to: b)
            let log = short.log
            var expectedOnA = try short.file(log)

            let changedFile: String
            var work: (id: String, lines: [UInt8], expectedOnB: [UInt8])?
            switch change {
            case .attributesComment:
                changedFile = ".gitattributes"
                try a.machine.append(changedFile, Array("# the sessions of linux-a and mac-b\n".utf8))
            case .attributesEndOfLine:
                changedFile = ".gitattributes"
                try a.machine.append(changedFile, Array("*.jsonl text eol=lf\n".utf8))
            case .newPlaceholder, .newPlaceholderAndAttributes:
                changedFile = ".ccsync/config"
                if change == .newPlaceholderAndAttributes {
                    try a.machine.append(".gitattributes", Array("# the sessions of linux-a and mac-b\n".utf8))
                    try a.git("add", "--", ".gitattributes")
                }
                try a.machine.append(changedFile, Array("[placeholder \"WORK\"]\n\tlinux-a = \(a.home)/work\n\tmac-b = \(b.home)/Work\n".utf8))
                let id = "fa570000-0000-4000-8000-0000000000d4"
                func line(_ uuid: String, _ root: String) -> String {
                    #"{"type":"user","cwd":"\#(root)/api","sessionId":"\#(id)","uuid":"\#(uuid)","message":{"role":"user","content":"open \#(root)/api/main.go"}}"# + "\n"
                }
                let lines = Array((line("w1", a.home + "/work") + line("w2", a.home + "/work")).utf8)
                let expected = Array((line("w1", b.home + "/Work") + line("w2", b.home + "/Work")).utf8)
                try a.writeStore(cwd: a.home + "/work/api", "\(id).jsonl", lines)
                work = (id, lines, expected)
            }
            try a.git("add", "--", changedFile)
            try a.git("commit", "-q", "-m", "change \(changedFile)")
            let fromA = SessionRecords.lines(3, tag: 0xa80, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, log, fromA)
            expectedOnA += fromA
            try a.ccsync("push")
            if let work {
                try SyncTests.require(try world.remotePath(endingWith: "/\(work.id).jsonl") != nil, "A's push lacks the WORK session")
            }

            var oldHead = try b.head()
            let pull = try Self.pull(b, sandbox)
            let how = pull.ranGitMerge ? "through git merge" : "in process"
            sandbox.check(pull.result.succeeded, "B's pull of the \(changedFile) change failed:\n\(pull.result)")
            try Self.expectAtRemoteTip(b, world, "after the \(changedFile) change (\(how))", changedSince: oldHead)
            sandbox.expectSameBytes((try? b.machine.read(changedFile)) ?? [], try a.machine.read(changedFile), "B's \(changedFile)")
            sandbox.expectSameBytes((try? b.readStore(cwd: onB.cwd, log)) ?? [], a.translated(expectedOnA, to: b), "B's store \(log)")
            if let work {
                sandbox.expectSameBytes((try? b.readStore(cwd: b.home + "/Work/api", "\(work.id).jsonl")) ?? [], work.expectedOnB,
                                        "B's store copy of the WORK session (B's {{WORK}} path)")
                let path = try Self.repoPath(world, work.id)
                sandbox.expectSameBytes((try? b.machine.read(path)) ?? [], work.expectedOnB, "B's work-tree \(path)")
            }
            try b.machine.expectPristine("after the \(changedFile) change")

            // The next pull, with the new file in place, brings a plain append.
            let more = SessionRecords.lines(2, tag: 0xa81, session: short.id, cwd: short.cwd, on: a)
            try a.appendStore(cwd: short.cwd, log, more)
            expectedOnA += more
            try a.ccsync("push")
            oldHead = try b.head()
            let next = try Self.pull(b, sandbox)
            sandbox.check(next.result.succeeded, "B's next pull failed:\n\(next.result)")
            try Self.expectAtRemoteTip(b, world, "after the next pull (\(next.ranGitMerge ? "through git merge" : "in process"))",
                                       changedSince: oldHead)
            sandbox.expectSameBytes((try? b.readStore(cwd: onB.cwd, log)) ?? [], a.translated(expectedOnA, to: b), "B's store \(log) after the next pull")
            if let work {
                sandbox.expectSameBytes((try? b.readStore(cwd: b.home + "/Work/api", "\(work.id).jsonl")) ?? [], work.expectedOnB,
                                        "B's store copy of the WORK session after the next pull")
            }
            try b.machine.expectPristine("after the next pull")
        }
    }
}
