import Foundation
import Testing

/// Issue 14, part 4: "machines running an older git-ccsync get a clear message, never a broken
/// session". Older versions leave `<id>.parts/` alone, silently, so the machines that understand parts
/// say it: each machine's record (`.ccsync/machines/<id>`) names the version that last pushed from it,
/// and a record without one (an older version's) gets a notice in `status`, `doctor` and, once per
/// change, `push`, as soon as a session is kept in parts. The record is rewritten only after an upgrade.
@Suite struct OlderMachineNoticeTests {
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw HarnessError(message()) }
    }

    /// The commits on the remote's `main` that touched `path`.
    static func remoteCommits(_ world: SyncWorld, touching path: String) throws -> Int {
        let count = try world.a.machine.git("--git-dir", world.remote, "rev-list", "--count", "main", "--", path, in: world.sandbox.root)
        return Int(count.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test func aMachineWhoseRecordNamesNoVersionIsNamedOnceSessionsAreInPartsUntilItPushesWithThisVersion() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let aRecord = ".ccsync/machines/\(a.id)", bRecord = ".ccsync/machines/\(b.id)"
            for machine in [a, b] { try machine.git("config", "ccsync.maxFileSize", "1000000") }
            let initial = String(decoding: try world.remoteBlob(aRecord), as: UTF8.self)
            try Self.require(initial.contains("version = "), "init does not record the version: \(initial)")

            // B's record as an older git-ccsync wrote it (no version), pushed with plain git; B's
            // marker goes too, as on a machine that was never synced by this version.
            let old = String(decoding: try world.remoteBlob(bRecord), as: UTF8.self)
                .split(separator: "\n").filter { !$0.hasPrefix("version") }.joined(separator: "\n") + "\n"
            try Data(old.utf8).write(to: URL(fileURLWithPath: b.workingCopy + "/" + bRecord))
            try b.git("commit", "--quiet", "-m", "an older git-ccsync's record", "--", bRecord)
            try b.git("push", "--quiet", "--no-verify", "origin", "HEAD:main")
            try? FileManager.default.removeItem(atPath: b.workingCopy + "/.git/ccsync/recorded-version")
            try a.ccsync("pull")

            // No session in parts yet: nothing to say.
            let before = try a.ccsync("status").stdoutText
            sandbox.check(!before.contains("notices:") && !before.contains(b.id + " runs"),
                          "status speaks of older machines before any session is in parts:\n\(before)")
            let doctorBefore = try a.ccsyncResult(["doctor"]).stdoutText
            sandbox.check(!doctorBefore.contains("other machines' versions"), "doctor speaks of versions before parts:\n\(doctorBefore)")

            // A 3 MB session over the 1 MB limit goes in parts: push says it once.
            let id = "2b2b2b2b-6666-4666-8666-666666666666"
            let cwd = a.projects + "/long"
            try a.writeStore(cwd: cwd, "\(id).jsonl", LongSessionTests.log(session: id, cwd: cwd, size: 3_000_000))
            let push = try a.ccsync("push")
            try Self.require(try world.remoteFiles().contains { $0.contains("/\(id).parts/") }, "the session is not in parts")
            let line = "machine \(b.id) runs an older git-ccsync"
            sandbox.check(push.stderrText.contains(line) && push.stderrText.contains("the session kept in parts")
                          && push.stderrText.contains("make install"),
                          "push does not name the machine that may not see the session in parts:\n\(push)")
            let again = try a.ccsync("push")
            sandbox.check(!again.stderrText.contains(line) && !again.stdoutText.contains(line), "push says it again:\n\(again)")
            // A second session in parts changes what there is to say: push says it again, once.
            let second = "2c2c2c2c-6666-4666-8666-666666666666"
            try a.writeStore(cwd: cwd, "\(second).jsonl", LongSessionTests.log(session: second, cwd: cwd, size: 2_000_000, tag: "second"))
            let more = try a.ccsync("push")
            sandbox.check(more.stderrText.contains(line) && more.stderrText.contains("the 2 sessions kept in parts"),
                          "push does not tell of the second session in parts:\n\(more)")
            let quiet = try a.ccsync("push")
            sandbox.check(!quiet.stderrText.contains(line), "push says it again:\n\(quiet)")
            let status = try a.ccsyncResult(["status"])
            sandbox.check(status.status == 0 && status.stdoutText.contains("notices:") && status.stdoutText.contains(line),
                          "status does not name the machine:\n\(status)")
            let doctor = try a.ccsyncResult(["doctor"])
            sandbox.check(doctor.stdoutText.contains("note  other machines' versions: " + line),
                          "doctor does not name the machine:\n\(doctor)")
            sandbox.check(!doctor.stdoutText.contains("FAIL  other machines"), "doctor fails on a notice:\n\(doctor)")

            // B pushes with this version: its record names it, in one commit, and never again.
            let recordCommits = try Self.remoteCommits(world, touching: bRecord)
            try b.ccsync("push")
            sandbox.check(String(decoding: try world.remoteBlob(bRecord), as: UTF8.self).contains("version = "),
                          "B's push did not record its version")
            sandbox.check(try Self.remoteCommits(world, touching: bRecord) == recordCommits + 1,
                          "B's record was not rewritten exactly once")
            let head = try world.remoteHead()
            try b.ccsync("push")
            try b.ccsync("pull")
            try b.ccsync("push")
            sandbox.check(try world.remoteHead() == head, "pushes with nothing new made commits (the record churns)")

            // A learns it: the notice is gone everywhere, and A's own record never moved.
            try a.ccsync("pull")
            let after = try a.ccsync("status").stdoutText
            sandbox.check(!after.contains(b.id + " runs"), "status still names B after it pushed with this version:\n\(after)")
            let doctorAfter = try a.ccsyncResult(["doctor"]).stdoutText
            sandbox.check(doctorAfter.contains("ok    other machines' versions") && !doctorAfter.contains(b.id + " runs"),
                          "doctor still names B:\n\(doctorAfter)")
            try a.appendStore(cwd: cwd, "\(id).jsonl", LongSessionTests.appended("a1", session: id, cwd: cwd))
            let later = try a.ccsync("push")
            sandbox.check(!later.stderrText.contains(b.id + " runs"), "push names B after it pushed with this version:\n\(later)")
            sandbox.check(try Self.remoteCommits(world, touching: aRecord) == 1, "A's record was rewritten though its version did not change")
        }
    }
}
