import CCSyncCore
import Foundation
import Testing

/// What `init` takes from elsewhere, driven through the core: claude-session-sync's config
/// (`--import`) and a private GitHub repository made with a stand-in `gh` (`--github`).
@Suite struct InitWorkflowTests {
    /// A temporary directory for one test, removed afterwards.
    static func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("git-ccsync-init-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    // MARK: --import

    @Test func theLegacyConfigGivesItsMachineAndPlaceholdersSorted() throws {
        try Self.withDirectory { directory in
            let path = directory + "/config.json"
            try Data(#"{"machine_id":"old-laptop","custom_placeholders":{"WORK":"/home/ana/work","CODE":"/home/ana/code"},"other":1}"#.utf8)
                .write(to: URL(fileURLWithPath: path))
            let config = try LegacyConfig.read(path)
            #expect(config.machine == "old-laptop")
            #expect(config.placeholders == [.init(name: "CODE", path: "/home/ana/code"), .init(name: "WORK", path: "/home/ana/work")])
        }
    }

    @Test func fieldsOfAnotherTypeAreIgnoredButTheFileMustBeAnObject() throws {
        try Self.withDirectory { directory in
            let odd = directory + "/odd.json"
            try Data(#"{"machine_id":7,"custom_placeholders":["x"]}"#.utf8).write(to: URL(fileURLWithPath: odd))
            #expect(try LegacyConfig.read(odd) == LegacyConfig(machine: nil, placeholders: []))

            let array = directory + "/array.json"
            try Data("[1, 2]".utf8).write(to: URL(fileURLWithPath: array))
            #expect(throws: WorkflowError("\(array) is not a claude-session-sync config (expected a JSON object)")) {
                try LegacyConfig.read(array)
            }
            let missing = directory + "/missing.json"
            let error = #expect(throws: WorkflowError.self) { try LegacyConfig.read(missing) }
            #expect(error?.message.hasPrefix("cannot read \(missing): ") == true)
            #expect(error?.message.hasSuffix("(pass the path of claude-session-sync's config.json)") == true)
        }
    }

    // MARK: --github

    /// A stand-in `gh` in `directory/bin`: it appends its arguments to `directory/gh.log` and answers
    /// `auth status` with AUTH_STATUS, `repo view` with VIEW_STATUS, `repo create` with CREATE_STATUS
    /// (stderr "create failed here" when not 0).
    static func standInGitHub(_ directory: String) throws -> String {
        let bin = directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            echo "$*" >> "\(directory)/gh.log"
            case "$1 $2" in
              "auth status") exit "${AUTH_STATUS:-0}" ;;
              "repo view") exit "${VIEW_STATUS:-0}" ;;
              "repo create") if [ "${CREATE_STATUS:-0}" != 0 ]; then echo "create failed here" >&2; fi; exit "${CREATE_STATUS:-0}" ;;
            esac
            exit 0
            """
        try Data(script.utf8).write(to: URL(fileURLWithPath: bin + "/gh"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/gh")
        return bin + "/gh"
    }

    static let runner = ProcessRunner(environment: ["PATH": "/usr/bin:/bin"])

    static func calls(_ directory: String) -> [String] {
        ((try? String(contentsOfFile: directory + "/gh.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func aMissingRepositoryIsCreatedPrivateAndGitLearnsTheLogin() throws {
        try Self.withDirectory { directory in
            let gh = try Self.standInGitHub(directory)
            var told: [String] = []
            var github = GitHubRepository(runner: Self.runner.with(["VIEW_STATUS": "1"]), gh: gh)
            github.progress = { told.append($0) }
            #expect(try github.createPrivate("ana/claude-sessions") == "https://github.com/ana/claude-sessions.git")
            #expect(Self.calls(directory) == [
                "auth status", "repo view ana/claude-sessions --json url",
                "repo create ana/claude-sessions --private --description Claude Code sessions (git-ccsync)",
                "auth setup-git",
            ])
            #expect(told == ["creating the private repository ana/claude-sessions"])
        }
    }

    @Test func anExistingRepositoryIsUsedAsItIs() throws {
        try Self.withDirectory { directory in
            let github = GitHubRepository(runner: Self.runner, gh: try Self.standInGitHub(directory))
            #expect(try github.createPrivate("ana/sessions") == "https://github.com/ana/sessions.git")
            #expect(Self.calls(directory) == ["auth status", "repo view ana/sessions --json url", "auth setup-git"])
        }
    }

    @Test func eachWayGitHubFailsIsToldWithWhatToDo() throws {
        try Self.withDirectory { directory in
            let gh = try Self.standInGitHub(directory)
            let runner = Self.runner
            #expect(throws: WorkflowError("--github takes OWNER/REPO, got 'ana'")) {
                try GitHubRepository(runner: runner, gh: gh).createPrivate("ana")
            }
            #expect(throws: WorkflowError("gh is not logged in to GitHub (run 'gh auth login', then init again)")) {
                try GitHubRepository(runner: runner.with(["AUTH_STATUS": "1"]), gh: gh).createPrivate("ana/s")
            }
            #expect(throws: WorkflowError("gh repo create ana/s failed: create failed here")) {
                try GitHubRepository(runner: runner.with(["VIEW_STATUS": "1", "CREATE_STATUS": "1"]), gh: gh).createPrivate("ana/s")
            }
            #expect(throws: WorkflowError("the GitHub CLI 'gh' is not installed (install it, run 'gh auth login', or use --remote URL)")) {
                try GitHubRepository(runner: runner, gh: directory + "/nowhere/gh").createPrivate("ana/s")
            }
            #expect(!Self.calls(directory).contains { $0.hasPrefix("auth setup-git") }, "gh calls: \(Self.calls(directory))")
        }
    }
}
