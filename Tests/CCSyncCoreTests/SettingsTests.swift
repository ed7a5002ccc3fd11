@testable import CCSyncCore
import Testing

/// The one rule for reading `ccsync.*` settings, and the one error for a bad value.
struct SettingsTests {
    @Test func commandLineConfigComesFirstInBothOfGitsFormats() {
        let environment = ["GIT_CONFIG_PARAMETERS": "'ccsync.machine'='linux-b' 'user.name=Ana '\\''A'\\'' B' 'ccsync.maxFileSize'='7'"]
        #expect(ConfigLookup.commandLineValue("ccsync.machine", environment: environment) == "linux-b")
        #expect(ConfigLookup.commandLineValue("user.name", environment: environment) == "Ana 'A' B")
        #expect(ConfigLookup.commandLineValue("ccsync.maxfilesize", environment: environment) == "7")
        #expect(ConfigLookup.commandLineValue("ccsync.secrets", environment: environment) == nil)
        let counted = ["GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "ccsync.secrets", "GIT_CONFIG_VALUE_0": "redact"]
        #expect(Settings(repository: nil, environment: counted).redactsSecrets)
    }

    @Test func aBadValueIsOneErrorWithTheKeyAndTheValue() throws {
        let settings = Settings([.lockTTL: "soon", .maxFileSize: "-1", .backupInterval: "60"])
        #expect(throws: InvalidSetting.self) { try settings.lockTTL() }
        do {
            _ = try settings.maxFileSize()
            Issue.record("a negative size accepted")
        } catch {
            #expect(error.description == "ccsync.maxFileSize must be a number of bytes, got '-1'")
        }
        #expect(try settings.backupInterval() == 60)
        #expect(try settings.maxPushSize() == PushBatches.defaultLimit)
        #expect(settings.problems.map(\.key) == ["ccsync.maxFileSize", "ccsync.lockTtl"])
        #expect(Settings([.hookTimeout: "0", .backupInterval: "x"]).problems.map(\.key) == ["ccsync.backupInterval", "ccsync.hookTimeout"])
        #expect(Settings([.lockTTL: "60"]).problems.isEmpty)
    }

    @Test func theClaudeCommandIsResolvedOneWay() {
        #expect(Settings([:], claudeFromEnvironment: "/opt/claude").claudeCommand == "/opt/claude")
        #expect(Settings([.claudeCommand: ""], claudeFromEnvironment: nil).claudeCommand == "claude")
        #expect(Settings([.claudeCommand: "cl --x"], claudeFromEnvironment: "/opt/claude").claudeCommand == "cl --x")
    }
}

/// A push's outcome, read once for the sync, the locks and init.
struct PushOutcomeTests {
    static func outcome(stdout: String = "", stderr: String) -> PushOutcome {
        PushOutcome(ProcessRunner.Result(status: 1, stdout: Array(stdout.utf8), stderr: Array(stderr.utf8)))
    }

    @Test func eachWayAPushFailsIsToldApart() {
        #expect(PushOutcome(ProcessRunner.Result(status: 0, stdout: [], stderr: [])) == .accepted)
        #expect(Self.outcome(stdout: "!\trefs/ccsync/locks/a:refs/ccsync/locks/a\t[rejected] (stale info)\n",
                             stderr: "error: failed to push some refs to 'x'\n") == .staleLease)
        guard case .outOfDate = Self.outcome(stdout: "!\tHEAD:refs/heads/main\t[rejected] (fetch first)\n",
                                             stderr: "error: failed to push some refs to 'x'\n") else {
            Issue.record("a push behind the remote not read as out of date")
            return
        }
        let declined = Self.outcome(stdout: "!\tHEAD:refs/heads/main\t[remote rejected] (pre-receive hook declined)\n",
                                    stderr: "remote: no secrets here\nTo /srv/x.git\nerror: failed to push some refs to '/srv/x.git'\n")
        #expect(declined == .refused(GitRemoteError(kind: .refused, lines: ["remote: no secrets here", "failed to push some refs to '/srv/x.git'"])))
        #expect(Self.outcome(stderr: "fatal: unable to access 'https://h/x.git/': Could not resolve host: h\n")
                == .unreachable(GitRemoteError(kind: .unreachable, lines: ["unable to access 'https://h/x.git/': Could not resolve host: h"])))
    }
}
