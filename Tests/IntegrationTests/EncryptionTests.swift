import Foundation
import Testing

/// Encrypted repositories (`git ccsync init --encrypt`): two machines sync real sessions through a bare
/// remote that never holds a readable line, a machine must be trusted before it reads anything, untrust
/// rotates the key, and whoever controls the remote cannot alter a line unnoticed.
@Suite struct EncryptionTests {
    static let short = SyncTests.short
    static let withSubagents = SyncTests.withSubagents
    static let notePhrase = "the zebra accountant signs the quarterly ledger"

    /// A creates the encrypted repository holding two real sessions and a memory note; B's first init
    /// stops before checking out anything and prints the command A runs; after it, B's init succeeds.
    static func encryptedWorld(_ sandbox: Sandbox) throws -> (SyncWorld, [StoreSession], trustOutput: String, firstTry: CommandResult) {
        let world = try SyncWorld(sandbox: sandbox)
        let (a, b) = (world.a, world.b)
        let sessions = [try StoreSession.placeGenerated(short, on: a), try StoreSession.placeGenerated(withSubagents, on: a)]
        try a.writeStore(cwd: sessions[0].cwd, "memory/notes.md",
                         Array("# Notes\n\(notePhrase), in \(a.projects)/shop.\n".utf8))
        try a.ccsync(contentsOf: a.initArguments(remote: world.remote) + ["--encrypt"])

        let firstTry = try b.ccsyncResult(b.initArguments(remote: world.remote))
        let text = firstTry.stdoutText + firstTry.stderrText
        guard let range = text.range(of: #"git ccsync trust mac-b age1[0-9a-z]+"#, options: .regularExpression) else {
            throw HarnessError("B's init did not print the trust command:\n\(firstTry)")
        }
        let command = text[range].split(separator: " ").map(String.init)
        let trust = try a.ccsync(contentsOf: Array(command.dropFirst(2)))
        try b.initialize(remote: world.remote)
        return (world, sessions, trust.stdoutText, firstTry)
    }

    /// Every object of the bare remote, as `git cat-file --batch-all-objects --batch` prints it.
    static func remoteObjects(_ world: SyncWorld) throws -> [UInt8] {
        try world.a.machine.git("--git-dir", world.remote, "cat-file", "--batch-all-objects", "--batch",
                                in: world.sandbox.root).stdout
    }

    /// Phrases of a session that are conversation, not names git shows anyway: 40-byte windows from the
    /// middle of its longer lines, without the session id, the project folder or a machine path.
    static func phrases(of bytes: [UInt8], id: String, avoiding paths: [String]) -> [String] {
        var found: [String] = []
        for line in bytes.split(separator: 0x0A) where line.count > 400 {
            let start = line.startIndex + line.count / 2
            let window = String(decoding: line[start..<(start + 40)], as: UTF8.self)
            if window.contains(id) || window.contains("shop") || paths.contains(where: { window.contains($0) })
                || window.contains("\u{FFFD}") { continue }
            found.append(window)
            if found.count == 8 { break }
        }
        return found
    }

    @Test func twoMachinesSyncThroughARemoteThatHoldsNothingReadable() throws {
        try Sandbox.with { sandbox in
            let (world, sessions, _, firstTry) = try Self.encryptedWorld(sandbox)
            let (a, b) = (world.a, world.b)

            // B's first try: one clear error with the fix, nothing checked out, its store untouched.
            sandbox.check(firstTry.status == 1, "B's untrusted init exited \(firstTry.status):\n\(firstTry)")
            sandbox.check(firstTry.stderrText.contains("git-ccsync: error: this repository is encrypted"),
                          "B's untrusted init error:\n\(firstTry)")

            // B's store is A's, byte for byte, with B's paths.
            for session in sessions {
                let onB = session.translated(from: a, to: b)
                for (relative, bytes) in onB.files.sorted(by: { $0.key < $1.key }) {
                    sandbox.expectSameBytes((try? b.readStore(cwd: onB.cwd, relative)) ?? [], bytes, "B's \(relative)")
                }
            }
            let noteOnB = try b.readStore(cwd: sessions[0].translated(from: a, to: b).cwd, "memory/notes.md")
            sandbox.check(Bytes.contains(noteOnB, Self.notePhrase) && Bytes.contains(noteOnB, b.projects + "/shop"),
                          "B's memory note: \(String(decoding: noteOnB, as: UTF8.self))")

            // Divergent appends: A and B both add records to the short session; both pushes succeed and
            // every line reaches both machines.
            let shortOnB = sessions[0].translated(from: a, to: b)
            let fromA = SessionRecords.lines(4, tag: 1, session: sessions[0].id, cwd: sessions[0].cwd, on: a)
            let fromB = SessionRecords.lines(3, tag: 2, session: sessions[0].id, cwd: shortOnB.cwd, on: b)
            try a.appendStore(cwd: sessions[0].cwd, sessions[0].log, fromA)
            try b.appendStore(cwd: shortOnB.cwd, sessions[0].log, fromB)
            try b.ccsync("push")
            try a.ccsync("push")
            try b.ccsync("pull")
            let finalA = try a.readStore(cwd: sessions[0].cwd, sessions[0].log)
            let finalB = try b.readStore(cwd: shortOnB.cwd, sessions[0].log)
            for line in Bytes.lines(fromA) + Bytes.lines(b.translated(fromB, to: a)) {
                sandbox.check(Bytes.contains(finalA, String(decoding: line, as: UTF8.self)), "A lost a line: \(String(decoding: line.prefix(80), as: UTF8.self))")
            }
            sandbox.expectSameBytes(b.translated(finalB, to: a), finalA, "the merged session on B (in A's paths) and on A")
            try a.expectCleanStatus("after the merge")
            try b.expectCleanStatus("after the merge")
            // Blobs written in process are stored uncompressed (core.looseCompression 0) and still valid.
            for machine in [a, b] {
                sandbox.check(try machine.git("config", "core.looseCompression").stdoutText == "0\n",
                              "\(machine.id): core.looseCompression is not 0")
                let fsck = try machine.gitResult(["fsck", "--no-dangling"])
                sandbox.check(fsck.succeeded && fsck.stderrText.isEmpty, "\(machine.id): git fsck:\n\(fsck)")
            }

            // The remote: no phrase of any session, no machine path, no placeholder form.
            let objects = try Self.remoteObjects(world)
            var phrases = [Self.notePhrase, "look at {{PROJECTS}}", "[linux-a #1.0]", "[mac-b #2.0]", "\"type\":\"user\""]
            for session in sessions {
                for (_, bytes) in session.files { phrases += Self.phrases(of: bytes, id: session.id, avoiding: [a.home]) }
            }
            try SyncTests.require(phrases.count >= 12, "only \(phrases.count) phrases to look for")
            // The search means something: each phrase (but the placeholder form) is in A's store as plaintext.
            let storeOfA = try a.storeFiles().values.reduce(into: [UInt8]()) { $0 += $1 }
            for phrase in phrases where !phrase.contains("{{") {
                sandbox.check(Bytes.contains(storeOfA, phrase), "'\(phrase)' is not in A's store: the search is vacuous")
            }
            for phrase in phrases {
                sandbox.check(!Bytes.contains(objects, phrase), "the remote holds the plaintext phrase '\(phrase)'")
            }
            for path in [a.home, b.home, a.projects, b.projects, sandbox.root] {
                sandbox.check(!Bytes.contains(objects, path), "the remote holds the machine path \(path)")
            }

            // git log -p in a working copy shows the conversation (textconv decrypts).
            let log = try a.git("log", "-p", "-3", "--", "projects").stdoutText
            sandbox.check(log.contains("[mac-b #2.0]"), "git log -p does not show B's new record:\n\(log.prefix(2000))")

            // Standard format: age(1) opens A's key file with A's identity.
            if let age = ["/usr/bin/age", "/usr/local/bin/age"].first(where: FileManager.default.isExecutableFile(atPath:)) {
                let identity = try a.git("config", "ccsync.identity").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                let keys = try Command.run(age, ["-d", "-i", identity, a.workingCopy + "/.ccsync/keys/linux-a.age"],
                                           in: a.home, environment: a.environment, stdin: nil, sandbox: sandbox)
                sandbox.check(keys.succeeded && keys.stdoutText.hasPrefix("git-ccsync repository keys v1\n"),
                              "age -d could not open the key file:\n\(keys)")
                let mode = try FileManager.default.attributesOfItem(atPath: identity)[.posixPermissions] as? Int
                sandbox.check(mode == 0o600, "the identity file has mode \(String(mode ?? 0, radix: 8))")
                sandbox.check(!identity.hasPrefix(a.workingCopy + "/"), "the identity \(identity) is inside the working copy")
            } else {
                print("skipped the age(1) check: age is not installed (apt-get install -y age)")
            }
        }
    }

    @Test func untrustRotatesTheKeyAndTheUntrustedMachineReadsNothingNew() throws {
        try Sandbox.with { sandbox in
            let (world, sessions, _, _) = try Self.encryptedWorld(sandbox)
            let (a, b) = (world.a, world.b)
            let untrust = try a.ccsync("untrust", "mac-b")
            sandbox.check(untrust.stdoutText.contains("cannot undo"), "untrust does not say what it cannot undo:\n\(untrust)")
            let keyFiles = try world.remoteFiles().filter { $0.hasPrefix(".ccsync/keys/") }
            sandbox.check(keyFiles == [".ccsync/keys/linux-a.age"], "key files after untrust: \(keyFiles)")

            let secret = SessionRecords.lines(2, tag: 7, session: sessions[0].id, cwd: sessions[0].cwd, on: a)
            try a.appendStore(cwd: sessions[0].cwd, sessions[0].log, secret)
            try a.ccsync("push")
            let shortOnB = sessions[0].translated(from: a, to: b)
            let before = try b.storeFiles()
            let pull = try b.ccsyncResult(["pull"])
            sandbox.check(!pull.succeeded, "B pulled after being untrusted:\n\(pull)")
            sandbox.check(pull.stderrText.contains("not trusted") || pull.stderrText.contains("git ccsync trust"),
                          "B's error does not name the fix:\n\(pull)")
            sandbox.check(try b.storeFiles() == before, "B's store changed after a failed pull")
            let onB = try b.readStore(cwd: shortOnB.cwd, sessions[0].log)
            sandbox.check(!Bytes.contains(onB, "[linux-a #7.0]"), "B read a line written after it was untrusted")

            // The new line is encrypted with a key B's keyring lacks (its id differs from the old lines').
            let blob = try world.remoteBlob(try SyncTests.required(try world.remotePath(endingWith: "/" + sessions[0].log), "no remote log"))
            let ids = Set(Bytes.lines(blob).map { String(decoding: $0.prefix(13), as: UTF8.self) })
            sandbox.check(ids.count == 2, "expected lines under two keys after the rotation, got \(ids)")
        }
    }

    /// A third machine still trusted after `untrust` picks up the rotated keyring with its next pull and
    /// reads the lines written with the new key, old ones included; its checkout stays clean.
    @Test func aMachineStillTrustedReadsLinesWrittenAfterTheRotation() throws {
        try Sandbox.with { sandbox in
            let (world, sessions, _, _) = try Self.encryptedWorld(sandbox)
            let a = world.a
            let home = sandbox.path("home/cleo")
            let c = try SyncMachine(Machine.Spec(id: "linux-c", home: home, projects: home + "/src", clone: home + "/.ccsync"),
                                    sandbox: sandbox)
            let first = try c.ccsyncResult(c.initArguments(remote: world.remote))
            guard let range = (first.stdoutText + first.stderrText).range(of: #"git ccsync trust linux-c age1[0-9a-z]+"#,
                                                                          options: .regularExpression) else {
                throw HarnessError("C's init did not print the trust command:\n\(first)")
            }
            try a.ccsync(contentsOf: Array((first.stdoutText + first.stderrText)[range].split(separator: " ").map(String.init).dropFirst(2)))
            try c.initialize(remote: world.remote)

            try a.ccsync("untrust", "mac-b")
            let fresh = SessionRecords.lines(2, tag: 9, session: sessions[0].id, cwd: sessions[0].cwd, on: a)
            try a.appendStore(cwd: sessions[0].cwd, sessions[0].log, fresh)
            try a.ccsync("push")
            try c.ccsync("pull")
            let onC = sessions[0].translated(from: a, to: c)
            let logOnC = try c.readStore(cwd: onC.cwd, sessions[0].log)
            sandbox.expectSameBytes(logOnC, try onC.file(sessions[0].log) + a.translated(fresh, to: c),
                                    "C's session after the rotation")
            try c.expectCleanStatus("after pulling the rotated keyring")
        }
    }

    @Test func lineAlteredOnTheRemoteIsAnErrorNamingFileAndLineAndTouchesNoStore() throws {
        try Sandbox.with { sandbox in
            let (world, sessions, _, _) = try Self.encryptedWorld(sandbox)
            let (a, b) = (world.a, world.b)
            // The host rewrites line 2 of the short session with a plain clone (no filter) and pushes.
            let host = sandbox.path("host-clone")
            try a.machine.git("clone", "--quiet", world.remote, host, in: sandbox.root)
            let path = try SyncTests.required(try world.remotePath(endingWith: "/" + sessions[0].log), "no remote log")
            var lines = Bytes.lines(try world.remoteBlob(path)).map { Array($0) }
            var second = lines[1]
            second[second.count - 5] = second[second.count - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            lines[1] = second
            try Array(lines.joined(separator: [0x0A]) + [0x0A]).withUnsafeBytes {
                try Data($0).write(to: URL(fileURLWithPath: host + "/" + path))
            }
            try a.machine.git("-C", host, "commit", "--quiet", "-am", "an innocent-looking change", in: sandbox.root)
            try a.machine.git("-C", host, "push", "--quiet", "origin", "main", in: sandbox.root)

            let before = try b.storeFiles()
            let pull = try b.ccsyncResult(["pull"])
            sandbox.check(!pull.succeeded, "B pulled a tampered line without an error:\n\(pull)")
            sandbox.check(pull.stderrText.contains("\(path) line 2"), "the error does not name \(path) line 2:\n\(pull)")
            sandbox.check(try b.storeFiles() == before, "B's store changed after pulling a tampered line")
        }
    }
}

extension EncryptionTests {
    /// `git ccsync encrypt` on a repository already in use: it warns that the pushed history stays
    /// readable, the next commit holds only ciphertext, the checkout stays clean, and a secret in a new
    /// line is still found (the guard reads the plaintext) and named by session and line.
    @Test func encryptingAnExistingRepositoryAndTheSecretGuard() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let a = world.a
            let session = try StoreSession.placeGenerated(Self.short, on: a)
            try a.initialize(remote: world.remote)
            let encrypt = try a.ccsync("encrypt")
            let said = encrypt.stdoutText + encrypt.stderrText
            sandbox.check(said.contains("history already pushed stays readable") && said.contains("set-remote"),
                          "encrypt does not warn about the readable history:\n\(encrypt)")
            try a.expectCleanStatus("after encrypt")
            let path = try SyncTests.required(try world.remotePath(endingWith: "/" + session.log), "no remote log")
            let blob = try world.remoteBlob(path)
            sandbox.check(Bytes.lines(blob).allSatisfy { $0.starts(with: Array("ccs1.".utf8)) },
                          "the remote's \(path) is not all ciphertext after encrypt")
            for file in [".ccsync/config", ".ccsync/machines/linux-a"] {
                sandbox.check(!Bytes.contains(try world.remoteBlob(file), a.home), "the remote's \(file) holds A's home")
            }

            let token = SecretGuardTests.aws
            let line = SecretGuardTests.record(1, session: session.id, cwd: session.cwd, text: "key \(token.value)")
            try a.appendStore(cwd: session.cwd, session.log, line)
            let refused = try a.ccsyncResult(["push"])
            sandbox.check(!refused.succeeded && refused.stderrText.contains(token.kind),
                          "a push with an AWS key in an encrypted repository was not refused:\n\(refused)")
            let lineNumber = Bytes.lines(try a.readStore(cwd: session.cwd, session.log)).count
            sandbox.check(refused.stderrText.contains("line \(lineNumber)"), "the refusal does not name line \(lineNumber):\n\(refused)")
            sandbox.check(!refused.stderrText.contains(token.body), "the refusal shows the secret")
        }
    }
}

extension SyncMachine {
    /// `git-ccsync` with an argument array; must succeed.
    @discardableResult
    func ccsync(contentsOf arguments: [String]) throws -> CommandResult {
        try ccsyncResult(arguments).orThrow()
    }
}
