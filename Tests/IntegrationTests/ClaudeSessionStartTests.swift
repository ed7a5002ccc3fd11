import CCSyncCore
import Foundation
import Testing

/// SessionStart's decision and the keeper's lock claim driven through the core (no executable, no
/// hook process): the race between them is played step by step, so each outcome is deterministic.
@Suite struct ClaudeSessionStartTests {
    static func copy(_ machine: SyncMachine) throws -> WorkingCopy {
        try WorkingCopy.open(directory: machine.workingCopy, home: machine.home, defaultClaudeRoot: machine.home + "/.claude",
                             runner: ProcessRunner(environment: machine.environment))
    }

    /// Free and fresh: the decision is `.free` with the remote's tip and takes no lock; the claim takes
    /// it; a second SessionStart on this machine then finds it this machine's (`.locked`, not taken again).
    @Test func aFreeSessionIsClaimedOnceAndThenKnownAsOurs() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, s) = (world.a, ResumeWorld.s)
            let start = ClaudeSessionStart(copy: try Self.copy(a))
            let tip = String(try a.git("ls-remote", "origin", "refs/heads/main").stdoutText.prefix(40))
            let outcome = try start.decide(session: s.id, cwd: nil)
            sandbox.check(outcome == .free(tip: tip), "a free, fresh session decided \(outcome), not free at \(tip)")
            sandbox.check(try world.remoteLocks().isEmpty, "deciding took a lock")
            let claim = try start.claim(session: s.id, judged: tip, ttl: 600)
            sandbox.check(try claim == .locked && world.remoteLocks()[s.id]?.holder == "linux-a", "the claim: \(claim)")
            let lockRef = try a.git("ls-remote", "origin", LockManager.remotePrefix + s.id).stdoutText
            let again = try ClaudeSessionStart(copy: try Self.copy(a)).decide(session: s.id, cwd: nil)
            sandbox.check(again == .locked, "a second SessionStart here decided \(again)")
            sandbox.check(try a.git("ls-remote", "origin", LockManager.remotePrefix + s.id).stdoutText == lockRef,
                          "the second SessionStart moved the lock")
        }
    }

    /// B locks S after A decided: A's claim fails on its lease and names B.
    @Test func aClaimAfterAnotherMachineLockedIsRefused() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            let start = ClaudeSessionStart(copy: try Self.copy(a))
            guard case .free(let tip) = try start.decide(session: s.id, cwd: nil) else {
                sandbox.check(false, "a free, fresh session was not decided free")
                return
            }
            try world.lockManager(b, ttl: 600).acquire(s.id)
            let claim = try start.claim(session: s.id, judged: tip, ttl: 600)
            guard case .heldByOther(let record) = claim else {
                sandbox.check(false, "the claim after B's lock: \(claim)")
                return
            }
            sandbox.check(record.holder == "mac-b", "the claim names \(record.holder)")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "mac-b", "B's lock changed")
            sandbox.check(try world.heldLocks(on: a).isEmpty, "A believes it holds a lock")
        }
    }

    /// Between A's decision and its claim, B takes S's lock, pushes a line of S and lets go: A's claim
    /// (its lease on the branch fails, the lock is free again) finds the copy stale. A line of another
    /// session in between does not: that claim is retried and wins.
    @Test func aClaimFindsNewLinesOfItsSessionOnly() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            let start = ClaudeSessionStart(copy: try Self.copy(a))
            guard case .free(let tip) = try start.decide(session: s.id, cwd: nil) else {
                sandbox.check(false, "a free, fresh session was not decided free")
                return
            }
            let cwd = ResumeWorld.cwd(of: s, on: b)
            try b.appendStore(cwd: cwd, s.log, Array((#"{"type":"user","message":{"role":"user","content":"b-new"},"uuid":"b-new-1"}"# + "\n").utf8))
            let manager = try world.lockManager(b, ttl: 600)
            try manager.acquire(s.id)
            try b.ccsync("push")
            try manager.release(s.id)
            let claim = try start.claim(session: s.id, judged: tip, ttl: 600)
            sandbox.check(claim == .stale, "the claim after B changed S: \(claim)")
            sandbox.check(try world.remoteLocks().isEmpty, "a lock is left after a stale claim")

            // Now fresh again (decided after B's push), and B changes only another session.
            try a.ccsync("pull")
            guard case .free(let fresh) = try start.decide(session: s.id, cwd: nil) else {
                sandbox.check(false, "S after the pull was not decided free")
                return
            }
            let other = try #require(world.sessions.first { $0.id != s.id })
            try b.appendStore(cwd: ResumeWorld.cwd(of: other, on: b), other.log,
                              Array((#"{"type":"user","message":{"role":"user","content":"b-other"},"uuid":"b-other-1"}"# + "\n").utf8))
            try b.ccsync("push")
            let second = try start.claim(session: s.id, judged: fresh, ttl: 600)
            sandbox.check(try second == .locked && world.remoteLocks()[s.id]?.holder == "linux-a",
                          "the claim after B changed another session: \(second)")
        }
    }
}
