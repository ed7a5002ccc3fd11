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

/// The hooks without the real Claude Code: what needs a logged-in, interactive Claude (a turn's end, a
/// SIGKILL) is played by a `sleep` standing in for the Claude process (`CLAUDE_PID`) and the hook
/// commands run by hand with the JSON Claude would send.
@Suite struct ClaudeHookCommandTests {
    static func input(_ session: ResumeWorld.Session, on machine: SyncMachine, event: String) -> [UInt8] {
        let cwd = ResumeWorld.cwd(of: session, on: machine)
        let transcript = machine.storePath(cwd: cwd, session.log)
        return Array(#"{"session_id":"\#(session.id)","transcript_path":"\#(transcript)","cwd":"\#(cwd)","hook_event_name":"\#(event)","source":"resume"}"#.utf8)
    }

    static func hook(_ name: String, on machine: SyncMachine, claude: BackgroundCommand, session: ResumeWorld.Session,
                     event: String) throws -> CommandResult {
        try machine.ccsyncResult(["hook", name], in: ResumeWorld.cwd(of: session, on: machine),
                                 stdin: input(session, on: machine, event: event),
                                 environment: ["CLAUDE_PID": String(claude.pid), "GIT_CCSYNC_TRACE": "1"])
    }

    /// A process standing in for Claude: it dies of SIGTERM as Claude does (a plain `sleep` started by
    /// the test process inherits its blocked signals).
    static func claude(_ sandbox: Sandbox) throws -> BackgroundCommand {
        try BackgroundCommand("/usr/bin/env", ["python3", "-c", "import signal,time; signal.pthread_sigmask(signal.SIG_SETMASK, []); signal.signal(signal.SIGTERM, signal.SIG_DFL); time.sleep(300)"],
                              in: sandbox.root, environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"], sandbox: sandbox)
    }

    /// SessionStart locks S; a turn's lines reach the remote within seconds of the Stop hook (not the
    /// backup interval); after Claude is killed with SIGKILL (no SessionEnd), the keeper notices, pushes
    /// the last lines and releases the lock.
    @Test func aTurnIsBackedUpSoonAndAKilledClaudeIsNoticed() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox, backupInterval: 3600)
            let (a, s) = (world.a, ResumeWorld.s)
            let claude = try Self.claude(sandbox)
            let start = try Self.hook("claude-session-start", on: a, claude: claude, session: s, event: "SessionStart")
            sandbox.check(start.succeeded && start.stdoutText.isEmpty, "SessionStart on a free, fresh session said something:\n\(start)")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "linux-a", "SessionStart took no lock")

            let cwd = ResumeWorld.cwd(of: s, on: a)
            let turn = #"{"type":"user","message":{"role":"user","content":"turn one"},"uuid":"turn-1","sessionId":"\#(s.id)","cwd":"\#(cwd)"}"# + "\n"
            try a.appendStore(cwd: cwd, s.log, Array(turn.utf8))
            let stop = try Self.hook("claude-stop", on: a, claude: claude, session: s, event: "Stop")
            sandbox.check(stop.succeeded, "the Stop hook failed:\n\(stop)")
            try waitUntil("the turn on the remote", timeout: 15) { Bytes.contains(try world.remoteLog(s), "turn one") }
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "linux-a", "the lock went with the turn's backup")

            let last = #"{"type":"user","message":{"role":"user","content":"last words"},"uuid":"turn-2","sessionId":"\#(s.id)","cwd":"\#(cwd)"}"# + "\n"
            try a.appendStore(cwd: cwd, s.log, Array(last.utf8))
            claude.send(SIGKILL)
            try waitUntil("the keeper to push and unlock after SIGKILL", timeout: 15) {
                try (try? world.remoteLocks())?.isEmpty == true && Bytes.contains(world.remoteLog(s), "last words")
            }
        }
    }

    /// `git ccsync resume` runs Claude with the hooks installed: the hooks leave its session alone (no
    /// second lock, no keeper), and resume pushes and unlocks as before.
    @Test func resumeAndTheHooksDoNotDoubleUp() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, s) = (world.a, ResumeWorld.s)
            try a.ccsync("claude-hooks", "install")
            // A stand-in that calls the SessionStart hook the way Claude would, then writes its lines.
            let wrapper = sandbox.path("bin/claude-with-hooks")
            let script = "#!/bin/sh\nprintf '%s' '\(String(decoding: Self.input(s, on: a, event: "SessionStart"), as: UTF8.self))' | CLAUDE_PID=$$ git-ccsync hook claude-session-start > '\(sandbox.path("hook-out"))'\nexec '\(world.claude.script)' \"$@\"\n"
            try Data(script.utf8).write(to: URL(fileURLWithPath: wrapper))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
            try a.git("config", "ccsync.claudeCommand", wrapper)
            let run = StandInClaude.Run(sandbox: sandbox, name: "a-resume", lines: 2)
            let result = try world.resume(on: a, [s.id], run: run)
            sandbox.check(result.succeeded, "resume failed:\n\(result)")
            sandbox.check(run.appendedLines.count == 2, "the stand-in did not run")
            sandbox.check(!FileManager.default.fileExists(atPath: a.workingCopy + "/.git/ccsync/claude/\(s.id)/keeper.log"),
                          "the hooks started a keeper for the session resume runs")
            sandbox.check(try world.remoteLocks().isEmpty, "a lock is left after resume")
            let uuids = Lines.uuids(try world.remoteLog(s))
            sandbox.check(uuids.contains("a-resume-0") && uuids.contains("a-resume-1"), "the remote's S lacks the run's lines: \(uuids)")
            sandbox.check(String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: sandbox.path("hook-out")))) ?? Data(), as: UTF8.self).isEmpty,
                          "the SessionStart hook said something inside resume")
        }
    }

    /// The plugin's hook script without git-ccsync on PATH: SessionStart says so plainly, the other hooks
    /// stay quiet, and none fails Claude.
    @Test func thePluginSaysWhenGitCCSyncIsMissing() throws {
        try Sandbox.with { sandbox in
            let script = ClaudeHooksTests.pluginDirectory + "/scripts/ccsync-hook"
            let start = try Command.run(script, ["claude-session-start"], in: sandbox.root, environment: ["PATH": "/usr/bin:/bin"],
                                        stdin: Array("{}".utf8), sandbox: sandbox)
            sandbox.check(start.succeeded && start.stdoutText.contains("\"systemMessage\"") && start.stdoutText.contains("not installed"),
                          "SessionStart without git-ccsync:\n\(start)")
            sandbox.check((try? JSONSerialization.jsonObject(with: Data(start.stdout))) != nil, "the message is not JSON:\n\(start)")
            let stop = try Command.run(script, ["claude-stop"], in: sandbox.root, environment: ["PATH": "/usr/bin:/bin"],
                                       stdin: Array("{}".utf8), sandbox: sandbox)
            sandbox.check(stop.succeeded && stop.stdout.isEmpty, "Stop without git-ccsync:\n\(stop)")
        }
    }

    /// The plugin's hooks.json names the same events, hooks and timeouts as `claude-hooks install`.
    @Test func thePluginMatchesTheInstalledHooks() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: ClaudeHooksTests.pluginDirectory + "/hooks/hooks.json"))
        let hooks = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["hooks"] as? [String: Any])
        #expect(Set(hooks.keys) == Set(ClaudeHookEntries.all.map(\.event)))
        for hook in ClaudeHookEntries.all {
            let group = (hooks[hook.event] as? [[String: Any]])?.first
            let command = (group?["hooks"] as? [[String: Any]])?.first
            #expect((command?["command"] as? String)?.hasSuffix("/scripts/ccsync-hook\" " + hook.name) == true, "\(hook.event)")
            #expect(command?["timeout"] as? Int == hook.timeout, "\(hook.event)")
        }
    }

    /// `init --claude-hooks` installs the hooks for the working copy it sets up (B's is the default
    /// `~/.ccsync`, so the commands name no `--dir`); `--no-claude-hooks` leaves Claude's settings alone.
    @Test func initInstallsTheHooksWhenAsked() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            try a.ccsyncResult(a.initArguments(remote: world.remote) + ["--no-claude-hooks"]).orThrow()
            sandbox.check(!FileManager.default.fileExists(atPath: a.claudeRoot + "/settings.json"), "--no-claude-hooks wrote settings")
            try b.ccsyncResult(b.initArguments(remote: world.remote) + ["--claude-hooks"]).orThrow()
            let text = (try? String(contentsOfFile: b.claudeRoot + "/settings.json", encoding: .utf8)) ?? ""
            sandbox.check(text.contains(" hook claude-session-start\"") && text.contains(" hook claude-session-end\""),
                          "init --claude-hooks did not install the hooks into B's CLAUDE_CONFIG_DIR:\n\(text)")
            sandbox.check(try b.ccsync("claude-hooks", "status").stdoutText.hasPrefix("installed"), "status after init --claude-hooks")
        }
    }

    /// `status` and `doctor` say whether the hooks are installed and working: missing (a choice, not a
    /// failure), installed, calling a binary that is gone, switched off by `disableAllHooks`.
    @Test func statusAndDoctorReportTheHooks() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let a = world.a
            let settings = a.claudeRoot + "/settings.json"
            func doctorCheck() throws -> [String: Any]? {
                let result = try a.ccsyncResult(["doctor", "--format", "json"])
                let checks = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: Any]] ?? []
                return checks.first { $0["name"] as? String == "Claude Code hooks" }
            }
            sandbox.check(try a.ccsync("status").stdoutText.contains("claude hooks:  not installed"), "status before install")
            sandbox.check(try doctorCheck()?["ok"] as? Bool == true, "doctor fails hooks that were never installed")
            try a.ccsync("claude-hooks", "install")
            let installed = try a.ccsync("status").stdoutText
            sandbox.check(installed.contains("claude hooks:  installed in \(settings)"), "status after install:\n\(installed)")
            sandbox.check(try doctorCheck()?["ok"] as? Bool == true, "doctor after install")

            // The binary the hooks call is gone.
            let text = try String(contentsOfFile: settings, encoding: .utf8)
            try Data(text.replacingOccurrences(of: a.resolvedBinary, with: "/nonexistent/git-ccsync").utf8).write(to: URL(fileURLWithPath: settings))
            let gone = try a.ccsync("status").stdoutText
            sandbox.check(gone.contains("problems:") && gone.contains("Claude Code hooks"), "status with the hooks' binary gone:\n\(gone)")
            sandbox.check(try doctorCheck()?["ok"] as? Bool == false, "doctor with the hooks' binary gone")
            let status = try a.ccsyncResult(["claude-hooks", "status"])
            sandbox.check(status.status == 1 && status.stdoutText.hasPrefix("outdated"), "claude-hooks status:\n\(status)")
            try a.ccsync("claude-hooks", "install")
            sandbox.check(try doctorCheck()?["ok"] as? Bool == true, "doctor after installing again")

            let current = try String(contentsOfFile: settings, encoding: .utf8)
            sandbox.check(current.hasPrefix("{\n"), "the settings install wrote:\n\(current)")
            let disabled = "{\n  \"disableAllHooks\": true," + current.dropFirst(1)
            try Data(disabled.utf8).write(to: URL(fileURLWithPath: settings))
            let off = try doctorCheck()
            sandbox.check(off?["ok"] as? Bool == false && (off?["detail"] as? String ?? "").contains("disableAllHooks"),
                          "doctor with disableAllHooks: \(String(describing: off))")
        }
    }

    /// A plain `claude` has S open on A (its hooks hold the lock) when A's `git ccsync resume S` runs: the
    /// resume goes ahead (the lock is this machine's), pushes its lines and leaves the lock to the keeper,
    /// which lets go when that Claude exits.
    @Test func resumeBesideAPlainClaudeLeavesTheLockToItsKeeper() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, s) = (world.a, ResumeWorld.s)
            let claude = try Self.claude(sandbox)
            let start = try Self.hook("claude-session-start", on: a, claude: claude, session: s, event: "SessionStart")
            let holder = try world.remoteLocks()[s.id]?.holder
            sandbox.check(start.succeeded && holder == "linux-a", "SessionStart took no lock:\n\(start)")
            let run = StandInClaude.Run(sandbox: sandbox, name: "a-resume", lines: 2)
            let result = try world.resume(on: a, [s.id], run: run)
            sandbox.check(result.succeeded, "resume beside a plain claude failed:\n\(result)")
            sandbox.check(Lines.uuids(try world.remoteLog(s)).contains("a-resume-1"), "resume did not push its lines")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "linux-a", "resume released the lock the plain claude's keeper holds")
            claude.send(SIGKILL)
            try waitUntil("the keeper to let go after its Claude", timeout: 15) { (try? world.remoteLocks())?.isEmpty == true }
        }
    }

    /// A settings file that is not JSON: a clear error naming it, and the file stays as it was.
    @Test func invalidSettingsAreAnErrorAndStayUntouched() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let a = world.a
            let path = a.claudeRoot + "/settings.json"
            let broken = Array("{\n  \"hooks\": {,\n}\n".utf8)
            try Data(broken).write(to: URL(fileURLWithPath: path))
            let result = try a.ccsyncResult(["claude-hooks", "install"])
            sandbox.check(result.status == 1 && result.stderrText.contains(path) && result.stderrText.contains("not valid JSON"),
                          "install into a broken settings file:\n\(result)")
            sandbox.expectSameBytes((try? Data(contentsOf: URL(fileURLWithPath: path))).map(Array.init) ?? [], broken, "the broken settings file")
        }
    }

    /// Another machine holds S: SessionStart tells who and how to take over, the prompt hook refuses with
    /// the same words, PreCompact refuses, and this "Claude" is sent SIGTERM within seconds.
    @Test func aLockedOutClaudeIsToldAndEnded() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            try world.lockManager(b, ttl: 600).acquire(s.id)
            let claude = try Self.claude(sandbox)
            let start = try Self.hook("claude-session-start", on: a, claude: claude, session: s, event: "SessionStart")
            let message = start.stdoutText
            sandbox.check(message.contains("\"systemMessage\"") && message.contains("mac-b") && message.contains("git ccsync resume 5a5a5a5a --force"),
                          "SessionStart did not say who holds S and how to take it over:\n\(start)")
            let prompt = try Self.hook("claude-prompt", on: a, claude: claude, session: s, event: "UserPromptSubmit")
            sandbox.check(prompt.stdoutText.contains(#""decision":"block""#) && prompt.stdoutText.contains("suppressOriginalPrompt")
                          && prompt.stdoutText.contains("mac-b"), "the prompt was not refused:\n\(prompt)")
            let compact = try Self.hook("claude-pre-compact", on: a, claude: claude, session: s, event: "PreCompact")
            sandbox.check(compact.status == 2, "PreCompact was not refused:\n\(compact)")
            try waitUntil("the locked-out Claude to be ended", timeout: 15) { !claude.isRunning }
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "mac-b", "B's lock changed")
        }
    }

    /// A refused run whose keeper never got to it (none runs here): the next `git ccsync push` puts the
    /// transcript back before reading the store, and while that Claude still runs, leaves S out.
    @Test func aPushBeforeTheKeeperPublishesNoneOfARefusedRun() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, s) = (world.a, ResumeWorld.s)
            let cwd = ResumeWorld.cwd(of: s, on: a)
            let transcript = a.storePath(cwd: cwd, s.log)
            let claude = try Self.claude(sandbox)
            let gitDirectory = a.workingCopy + "/.git"
            let state = ClaudeRunState(gitDirectory: gitDirectory, session: s.id)
            let run = ClaudeRun(pid: claude.pid, startTime: PidFile.startTime(of: claude.pid) ?? 0, status: .refused, transcript: transcript)
            try state.record(run)
            try state.saveSnapshot(of: run)
            let before = world.storeLog(s, on: a)
            let probe = #"{"type":"user","message":{"role":"user","content":"probe-early-push"},"uuid":"refused-1"}"# + "\n"
            try a.appendStore(cwd: cwd, s.log, Array(probe.utf8))

            try a.ccsync("push")
            sandbox.check(!Bytes.contains(try world.remoteLog(s), "probe-early-push"), "a push while the refused Claude runs sent its rows")
            claude.send(SIGKILL)
            try waitUntil("the refused Claude to be gone", timeout: 10) { !claude.isRunning }
            try a.ccsync("push")
            sandbox.check(!Bytes.contains(try world.remoteLog(s), "probe-early-push"), "a push after the refused Claude sent its rows")
            sandbox.expectSameBytes(world.storeLog(s, on: a), before, "A's S after the push put it back")
            sandbox.check(state.runs().isEmpty, "the refused run was not forgotten")
        }
    }

    /// A remote slower than `ccsync.hookTimeout`: SessionStart gives up in time and says the session is
    /// not locked; the keeper locks it once the remote answers, and pushes and unlocks after Claude.
    @Test func aSlowRemoteLeavesTheSessionUnlockedThenTheKeeperCatchesUp() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, s) = (world.a, ResumeWorld.s)
            try FaultyRemote(sandbox: sandbox, path: world.remote).slowTransport(for: a, seconds: 3)
            try a.git("config", "ccsync.hookTimeout", "1")
            let claude = try Self.claude(sandbox)
            // Timed by a shell (its wait returns when the hook exits), as Claude waits for it.
            let timed = "s=$(date +%s%N); \"$0\" hook claude-session-start; e=$(date +%s%N); echo \"took $(( (e - s) / 1000000 )) ms\" >&2"
            let start = try Command.run("/bin/sh", ["-c", timed, a.machine.binary], in: ResumeWorld.cwd(of: s, on: a),
                                        environment: a.environment.merging(["CLAUDE_PID": String(claude.pid)]) { $1 },
                                        stdin: Self.input(s, on: a, event: "SessionStart"), sandbox: sandbox)
            sandbox.check(start.stdoutText.contains("NOT locked"), "SessionStart did not say the session is unlocked:\n\(start)")
            let took = start.stderrText.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? Int.max
            sandbox.check(took < 2500, "SessionStart took \(took) ms with a 1 s deadline and a 3 s remote:\n\(start)")
            try waitUntil("the keeper to lock S", timeout: 60) { (try? world.remoteLocks())?[s.id]?.holder == "linux-a" }
            let cwd = ResumeWorld.cwd(of: s, on: a)
            try a.appendStore(cwd: cwd, s.log, Array((#"{"type":"user","message":{"role":"user","content":"offline turn"},"uuid":"off-1"}"# + "\n").utf8))
            claude.send(SIGKILL)
            try waitUntil("the keeper to push and unlock", timeout: 60) {
                try (try? world.remoteLocks())?.isEmpty == true && Bytes.contains(world.remoteLog(s), "offline turn")
            }
        }
    }
}
