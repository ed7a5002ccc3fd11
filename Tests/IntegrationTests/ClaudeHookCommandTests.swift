import CCSyncCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

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
                     event: String, environment: [String: String] = [:]) throws -> CommandResult {
        try machine.ccsyncResult(["hook", name], in: ResumeWorld.cwd(of: session, on: machine),
                                 stdin: input(session, on: machine, event: event),
                                 environment: ["CLAUDE_PID": String(claude.pid), "GIT_CCSYNC_TRACE": "1"].merging(environment) { $1 })
    }

    /// SessionStart answered "go on" for a free, fresh session: the keeper it started holds the lock for
    /// this machine moments later (its first step), and the run is recorded as locked.
    static func waitForKeeperLock(_ world: ResumeWorld, on machine: SyncMachine, claude: BackgroundCommand,
                                  session: ResumeWorld.Session) throws {
        let state = ClaudeRunState(gitDirectory: machine.workingCopy + "/.git", session: session.id)
        try waitUntil("the keeper to take the lock", timeout: 10) {
            (try? world.remoteLocks())?[session.id]?.holder == machine.id && state.run(pid: claude.pid)?.status == .locked
        }
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
            try Self.waitForKeeperLock(world, on: a, claude: claude, session: s)

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
            sandbox.check(start.succeeded, "SessionStart failed:\n\(start)")
            try Self.waitForKeeperLock(world, on: a, claude: claude, session: s)
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

    // MARK: the race between SessionStart's answer and the keeper's claim

    /// SessionStart on A finds S free and fresh and lets "Claude" go on; before A's keeper claims the
    /// lock (held back by the test's gate), B locks S. A's claim loses: the run becomes a refused one,
    /// exactly as if SessionStart had seen B's lock: the prompt hook refuses with B's name, this Claude
    /// is ended, its rows never reach the remote (not by a push while it runs, not after), A's store
    /// gets back S's bytes from SessionStart time, and B's lock stays.
    @Test func aClaimLostToAnotherMachineEndsTheRunLikeARefusal() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            let cwd = ResumeWorld.cwd(of: s, on: a)
            let gate = sandbox.path("claim-gate")
            let claude = try Self.claude(sandbox)
            let before = world.storeLog(s, on: a)
            let start = try Self.hook("claude-session-start", on: a, claude: claude, session: s, event: "SessionStart",
                                      environment: ["GIT_CCSYNC_TEST_CLAIM_GATE": gate])
            sandbox.check(start.succeeded && start.stdoutText.isEmpty, "SessionStart on a free, fresh session said something:\n\(start)")
            let state = ClaudeRunState(gitDirectory: a.workingCopy + "/.git", session: s.id)
            sandbox.check(state.run(pid: claude.pid)?.status == .claiming, "the run is not waiting for its claim: \(String(describing: state.run(pid: claude.pid)))")

            try world.lockManager(b, ttl: 600).acquire(s.id)
            let probe = #"{"type":"user","message":{"role":"user","content":"probe-lost-claim"},"uuid":"lost-1"}"# + "\n"
            try a.appendStore(cwd: cwd, s.log, Array(probe.utf8))
            try a.ccsync("push")
            sandbox.check(!Bytes.contains(try world.remoteLog(s), "probe-lost-claim"), "a push before the claim sent the run's rows")

            FileManager.default.createFile(atPath: gate, contents: Data())
            let prompt = try Self.hook("claude-prompt", on: a, claude: claude, session: s, event: "UserPromptSubmit")
            sandbox.check(prompt.stdoutText.contains(#""decision":"block""#) && prompt.stdoutText.contains("mac-b")
                          && prompt.stdoutText.contains("--force"), "the prompt after a lost claim was not refused:\n\(prompt)")
            try waitUntil("the Claude whose claim was lost to be ended", timeout: 15) { !claude.isRunning }
            try waitUntil("its transcript put back", timeout: 15) { world.storeLog(s, on: a) == before && state.runs().isEmpty }
            try a.ccsync("push")
            sandbox.check(!Bytes.contains(try world.remoteLog(s), "probe-lost-claim"), "a push after the lost claim sent the run's rows")
            sandbox.check(try world.remoteLocks()[s.id]?.holder == "mac-b", "B's lock changed")
            sandbox.check(try world.heldLocks(on: a).isEmpty, "A believes it holds a lock")
        }
    }

    /// The same race, but B changes S and lets go in between (its lock came and went): A's claim finds
    /// the remote's S newer than what SessionStart judged, so the run is a stale one after all: ended,
    /// put back, nothing of it pushed, and B's new line is in A's store afterwards (the same command,
    /// run again, continues from the latest state).
    @Test func aClaimThatFindsNewLinesEndsTheRunAsStale() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let (a, b, s) = (world.a, world.b, ResumeWorld.s)
            let gate = sandbox.path("claim-gate")
            let claude = try Self.claude(sandbox)
            let start = try Self.hook("claude-session-start", on: a, claude: claude, session: s, event: "SessionStart",
                                      environment: ["GIT_CCSYNC_TEST_CLAIM_GATE": gate])
            sandbox.check(start.succeeded && start.stdoutText.isEmpty, "SessionStart on a free, fresh session said something:\n\(start)")

            let bLine = #"{"type":"user","message":{"role":"user","content":"newer-on-b"},"uuid":"b-new-1"}"# + "\n"
            try b.appendStore(cwd: ResumeWorld.cwd(of: s, on: b), s.log, Array(bLine.utf8))
            try b.ccsync("push")
            let probe = #"{"type":"user","message":{"role":"user","content":"probe-stale-claim"},"uuid":"stale-1"}"# + "\n"
            try a.appendStore(cwd: ResumeWorld.cwd(of: s, on: a), s.log, Array(probe.utf8))

            FileManager.default.createFile(atPath: gate, contents: Data())
            let prompt = try Self.hook("claude-prompt", on: a, claude: claude, session: s, event: "UserPromptSubmit")
            sandbox.check(prompt.stdoutText.contains(#""decision":"block""#) && prompt.stdoutText.contains("newer lines"),
                          "the prompt after a stale claim was not refused:\n\(prompt)")
            try waitUntil("the stale Claude to be ended", timeout: 15) { !claude.isRunning }
            try waitUntil("B's line in A's store and A's probe gone", timeout: 15) {
                let log = world.storeLog(s, on: a)
                return Bytes.contains(log, "newer-on-b") && !Bytes.contains(log, "probe-stale-claim")
            }
            try a.ccsync("push")
            sandbox.check(!Bytes.contains(try world.remoteLog(s), "probe-stale-claim"), "the stale run's rows reached the remote")
            try waitUntil("no lock left", timeout: 15) { (try? world.remoteLocks())?.isEmpty == true }
        }
    }
}
