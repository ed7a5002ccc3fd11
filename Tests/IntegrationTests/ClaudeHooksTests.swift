import CCSyncCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, plain `claude` protected by Claude Code's hooks, end to end with the real Claude Code
/// (`RealClaude`; skipped with one line when it is not installed): two machines, hooks installed with
/// `git ccsync claude-hooks install`, a local bare remote.
@Suite(.serialized) struct ClaudeHooksTests {
    /// A user's own hook that writes the remote's lock refs (and that it ran) into a file: installed
    /// beside ours, it shows what the remote looked like while Claude ran.
    static func recordingHook(_ world: ResumeWorld, into file: String) -> String {
        "git --git-dir '\(world.remote)' for-each-ref --format='%(refname)' refs/ccsync/locks/ > '\(file)'"
    }

    static func settings(_ machine: SyncMachine) -> String { machine.claudeRoot + "/settings.json" }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) -> [UInt8] {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map(Array.init) ?? []
    }

    // MARK: a free session

    /// A's real `claude --resume S -p <probe>`: the lock is on the remote while Claude runs (seen by a
    /// user hook of the test at UserPromptSubmit), and within 20 s of Claude's exit the run's rows are on
    /// the remote and no lock is left.
    @Test func aRunLocksThenPushesAndUnlocks() throws {
        try RealClaude.with { claude in
            try Sandbox.with { sandbox in
                let world = try ResumeWorld(sandbox: sandbox)
                let (a, s) = (world.a, ResumeWorld.s)
                let seen = sandbox.path("locks-seen")
                try Self.write(#"{"hooks": {"UserPromptSubmit": [{"hooks": [{"type": "command", "command": "\#(Self.recordingHook(world, into: seen))"}]}]}}"# + "\n",
                               to: Self.settings(a))
                try a.ccsync("claude-hooks", "install")
                let probe = "probe-free-4f1d"
                let run = try claude.resume(s.id, prompt: probe, in: ResumeWorld.cwd(of: s, on: a), on: a)
                let locks = String(decoding: Self.read(seen), as: UTF8.self)
                sandbox.check(locks.contains(LockManager.remotePrefix + s.id),
                              "the remote had no lock on S while Claude ran (locks: '\(locks)'); claude: \(run)")
                try waitUntil("A's run on the remote and its lock released", timeout: 20,
                              context: { "keeper log:\n" + String(decoding: Self.read(a.workingCopy + "/.git/ccsync/claude/\(s.id)/keeper.log"), as: UTF8.self) }) {
                    try world.remoteLocks().isEmpty && Bytes.contains(try world.remoteLog(s), probe)
                }
                sandbox.check(try world.heldLocks(on: a).isEmpty, "A still believes it holds a lock")
            }
        }
    }
}
