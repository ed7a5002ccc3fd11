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
    /// beside ours, it shows what the remote looked like while Claude ran. It runs in parallel with our
    /// prompt hook, which waits for the keeper's lock claim (it comes moments after SessionStart has
    /// answered): so it waits for a lock as long as ours would (5 s) before it records.
    static func recordingHook(_ world: ResumeWorld, into file: String) -> String {
        let locks = "git --git-dir '\(world.remote)' for-each-ref --format='%(refname)' refs/ccsync/locks/"
        return "for i in $(seq 50); do \(locks) | grep -q . && break; sleep 0.1; done; \(locks) > '\(file)'"
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
                    // A lock being deleted while it is read is no failure: look again.
                    try (try? world.remoteLocks())?.isEmpty == true && world.heldLocks(on: a).isEmpty
                        && Bytes.contains(world.remoteLog(s), probe)
                }
            }
        }
    }

    // MARK: another machine holds the session

    /// B has S open (`git ccsync resume` with a stand-in Claude that waits). A's real `claude --resume S
    /// -p <probe>` is told who holds it and is ended (its prompt refused); `<probe>` never reaches the
    /// remote: not after A's keeper, not after A's `git ccsync push` while B holds S, not after B lets go
    /// and A pushes again. A's store gets back S as it was, B's lines come in, nothing is lost.
    @Test func aRunAgainstAnotherMachinesLockIsEndedAndPublishesNothing() throws {
        try RealClaude.with { claude in
            try Sandbox.with { sandbox in
                let world = try ResumeWorld(sandbox: sandbox)
                let (a, b, s) = (world.a, world.b, ResumeWorld.s)
                try a.ccsync("claude-hooks", "install")
                let before = world.storeLog(s, on: a)
                let runB = StandInClaude.Run(sandbox: sandbox, name: "b-holds", lines: 2, waits: true)
                defer { runB.finish() }
                let resumeB = try world.startResume(on: b, [s.id], run: runB)
                try world.waitForClaude(runB, of: resumeB)

                let probe = "probe-refused-9c2e"
                let run = try claude.resume(s.id, prompt: probe, in: ResumeWorld.cwd(of: s, on: a), on: a)
                sandbox.check(run.stdoutText.contains("mac-b") || run.stderrText.contains("mac-b"),
                              "A's Claude was not told that mac-b holds S:\n\(run)")
                sandbox.check(!run.stdoutText.contains("Not logged in"), "A's prompt went on to the API:\n\(run)")
                let keeperLog = { String(decoding: Self.read(a.workingCopy + "/.git/ccsync/claude/\(s.id)/keeper.log"), as: UTF8.self) }
                try waitUntil("A's store to get S back without the refused run's rows", timeout: 20, context: { keeperLog() }) {
                    !Bytes.contains(world.storeLog(s, on: a), probe) && world.storeLog(s, on: a) == before
                }
                try a.ccsync("push")
                sandbox.check(!Bytes.contains(try world.remoteLog(s), probe), "the refused run's prompt is on the remote after A's push")
                sandbox.check(try world.remoteLocks()[s.id]?.holder == "mac-b", "B's lock changed")

                runB.finish()
                let resultB = try resumeB.wait()
                sandbox.check(resultB.succeeded, "B's resume failed:\n\(resultB)")
                try a.ccsync("pull")
                try a.ccsync("push")
                let remote = try world.remoteLog(s)
                sandbox.check(!Bytes.contains(remote, probe), "the refused run's prompt reached the remote")
                sandbox.check(!Bytes.contains(world.storeLog(s, on: a), probe), "A's store kept the refused run's prompt")
                Lines.expectEach(runB.appendedLines.map { b.translated($0, to: a) }, in: world.storeLog(s, on: a),
                                 "A's S after B let go", sandbox: sandbox)
                let locks = try world.remoteLocks()
                sandbox.check(locks.isEmpty, "locks left: \(locks.keys.sorted())")
            }
        }
    }

    // MARK: a stale copy

    /// B adds lines to S and pushes; A's copy is stale. A's real `claude --resume S -p <probe>` is
    /// ended, B's lines are in A's store afterwards (so running the command again continues from them),
    /// and `<probe>` reaches neither the remote nor A's store; no lock is left.
    @Test func aRunOnAStaleCopyRefreshesItAndIsEnded() throws {
        try RealClaude.with { claude in
            try Sandbox.with { sandbox in
                let world = try ResumeWorld(sandbox: sandbox)
                let (a, b, s) = (world.a, world.b, ResumeWorld.s)
                try a.ccsync("claude-hooks", "install")
                let cwdB = ResumeWorld.cwd(of: s, on: b)
                let line = #"{"parentUuid":"5a5a5a5a-a0","type":"user","message":{"role":"user","content":"from b"},"uuid":"b-new-1","sessionId":"\#(s.id)","cwd":"\#(cwdB)","timestamp":"2025-06-02T10:00:00.000Z"}"# + "\n"
                try b.appendStore(cwd: cwdB, s.log, Array(line.utf8))
                try b.ccsync("push")

                let probe = "probe-stale-71ab"
                let run = try claude.resume(s.id, prompt: probe, in: ResumeWorld.cwd(of: s, on: a), on: a)
                sandbox.check(!run.stdoutText.contains("Not logged in"), "A's prompt on the stale copy went on to the API:\n\(run)")
                let expected = b.translated(Array(line.utf8), to: a)
                let keeperLog = { String(decoding: Self.read(a.workingCopy + "/.git/ccsync/claude/\(s.id)/keeper.log"), as: UTF8.self) }
                try waitUntil("A's store to hold B's line and not the probe", timeout: 20, context: { keeperLog() + "\nclaude: \(run)" }) {
                    let log = world.storeLog(s, on: a)
                    return !Bytes.contains(log, probe) && Lines.of(log).contains(expected)
                }
                try a.ccsync("push")
                sandbox.check(!Bytes.contains(try world.remoteLog(s), probe), "the stale run's prompt reached the remote")
                let locks = try world.remoteLocks()
                sandbox.check(locks.isEmpty, "locks left: \(locks.keys.sorted())")
            }
        }
    }

    // MARK: installing

    /// The user's own settings (a SessionStart hook, permissions, their formatting) survive install and
    /// uninstall byte for byte; Claude runs the user's hook and ours side by side; a second install
    /// changes nothing; uninstall gives back the very file.
    @Test func installAndUninstallKeepTheUsersOwnHook() throws {
        try RealClaude.with { claude in
            try Sandbox.with { sandbox in
                let world = try ResumeWorld(sandbox: sandbox)
                let (a, s) = (world.a, ResumeWorld.s)
                let marker = sandbox.path("user-hook-ran")
                let userHook = #"{ "matcher": "resume", "hooks": [ { "type": "command", "command": "echo ran >> '\#(marker)'" } ] }"#
                let original = "{\n    \"permissions\": {\"allow\": [\"Bash(ls:*)\"]},\n    \"hooks\": {\n        \"SessionStart\": [\n            \(userHook)\n        ]\n    },\n    \"model\": \"opus\"\n}\n"
                try Self.write(original, to: Self.settings(a))
                try a.ccsync("claude-hooks", "install")
                let installed = String(decoding: Self.read(Self.settings(a)), as: UTF8.self)
                sandbox.check(installed.contains(userHook), "install changed the user's hook:\n\(installed)")
                sandbox.check(installed.contains(#""permissions": {"allow": ["Bash(ls:*)"]},"#), "install changed the permissions:\n\(installed)")
                sandbox.check(installed.contains("hook claude-session-start"), "install added no SessionStart hook:\n\(installed)")
                sandbox.check((try? JSONSerialization.jsonObject(with: Data(installed.utf8))) != nil, "the installed settings are not JSON:\n\(installed)")
                sandbox.check(Self.read(Self.settings(a) + ".ccsync-backup") == Array(original.utf8), "no backup of the user's file")
                try a.ccsync("claude-hooks", "install")
                sandbox.check(String(decoding: Self.read(Self.settings(a)), as: UTF8.self) == installed, "a second install changed the file")
                let status = try a.ccsync("claude-hooks", "status")
                sandbox.check(status.stdoutText.hasPrefix("installed"), "status after install:\n\(status)")

                let probe = "probe-install-3d0c"
                let run = try claude.resume(s.id, prompt: probe, in: ResumeWorld.cwd(of: s, on: a), on: a)
                sandbox.check(FileManager.default.fileExists(atPath: marker), "Claude did not run the user's own SessionStart hook:\n\(run)")
                try waitUntil("A's run on the remote", timeout: 20) { Bytes.contains(try world.remoteLog(s), probe) }

                try a.ccsync("claude-hooks", "uninstall")
                sandbox.expectSameBytes(Self.read(Self.settings(a)), Array(original.utf8), "the settings after uninstall")
                let after = try a.ccsync("claude-hooks", "status")
                sandbox.check(after.stdoutText.hasPrefix("missing"), "status after uninstall:\n\(after)")
                try FileManager.default.removeItem(atPath: marker)
                _ = try claude.resume(s.id, prompt: "after", in: ResumeWorld.cwd(of: s, on: a), on: a)
                sandbox.check(FileManager.default.fileExists(atPath: marker), "Claude no longer runs the user's hook after uninstall")
            }
        }
    }

    // MARK: the plugin

    static var pluginDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("claude-plugin").path
    }

    /// The plugin's hooks (`claude --plugin-dir`, nothing in settings.json) protect a run the same way:
    /// the lock is taken and, after Claude, the run's rows are on the remote and the lock is gone.
    @Test func thePluginsHooksDoTheSame() throws {
        try RealClaude.with { claude in
            try Sandbox.with { sandbox in
                let world = try ResumeWorld(sandbox: sandbox)
                let (a, s) = (world.a, ResumeWorld.s)
                let seen = sandbox.path("locks-seen")
                try Self.write(#"{"hooks": {"UserPromptSubmit": [{"hooks": [{"type": "command", "command": "\#(Self.recordingHook(world, into: seen))"}]}]}}"# + "\n",
                               to: Self.settings(a))
                let probe = "probe-plugin-58aa"
                let run = try claude.resume(s.id, prompt: probe, in: ResumeWorld.cwd(of: s, on: a), on: a,
                                            arguments: ["--plugin-dir", Self.pluginDirectory])
                sandbox.check(String(decoding: Self.read(seen), as: UTF8.self).contains(s.id),
                              "the remote had no lock on S while Claude ran with the plugin:\n\(run)")
                try waitUntil("the plugin's run on the remote and its lock released", timeout: 20) {
                    try (try? world.remoteLocks())?.isEmpty == true && Bytes.contains(world.remoteLog(s), probe)
                }
            }
        }
    }
}
