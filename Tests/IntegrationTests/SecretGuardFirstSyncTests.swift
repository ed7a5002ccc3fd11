import Foundation
import Testing

/// A first sync big enough to be staged straight into a pack (past 16 MB in repository form) is scanned for secrets as it
/// is staged (`ScannedBlobs`), not read back out of the pack: the guard still finds each token of a
/// session written into the pack, by session and line, and nothing reaches the remote.
@Suite struct SecretGuardFirstSyncTests {
    @Test func tokensInASessionStagedIntoAPackAreFoundByLine() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let a = world.a
            try a.initialize(remote: world.remote)
            let token = SecretGuardTests.gitHub
            let cwd = a.projects + "/bulk"
            let id = BulkStore.sessionID(1, tag: 0x5ec)
            var log = SecretGuardTests.record(1, session: id, cwd: cwd, text: "the key is \(token.value)")
            log += BulkStore.log(id: id, cwd: cwd, size: 20_000_000, seed: 7)
            let last = Bytes.occurrences(of: "\n", in: log).count + 1
            log += SecretGuardTests.record(2, session: id, cwd: cwd, text: "again \(token.value)")
            try a.writeStore(cwd: cwd, "\(id).jsonl", log)
            let smallID = BulkStore.sessionID(2, tag: 0x5ec)
            try a.writeStore(cwd: cwd, "\(smallID).jsonl", BulkStore.log(id: smallID, cwd: cwd, size: 10_000, seed: 8))

            let push = try a.ccsyncResult(["push"])
            let text = push.stdoutText + push.stderrText
            sandbox.check(!push.succeeded && text.contains("2 secrets found"), "the push was not refused for 2 secrets:\n\(push)")
            for line in [1, last] {
                sandbox.check(text.contains("session \(id) (") && text.contains("\(id).jsonl), line \(line): \(token.kind)"),
                              "the refusal does not name line \(line):\n\(text)")
            }
            sandbox.check(!text.contains(token.body), "the refusal shows the token")
            sandbox.check(try world.remoteFiles().allSatisfy { !$0.contains(id) }, "the session reached the remote")
        }
    }
}
