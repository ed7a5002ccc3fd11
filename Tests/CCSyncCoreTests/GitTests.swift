@testable import CCSyncCore
import Foundation
import Testing

/// The façade on a real repository: where it finds the git directory, and the settings' sources in
/// their order.
struct GitTests {
    static func environment(global: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = global
        env["GIT_CONFIG_PARAMETERS"] = nil
        env["GIT_CONFIG_COUNT"] = nil
        return env
    }

    /// A work tree whose git directory is elsewhere (`--separate-git-dir`): `.git` is a file there, and
    /// index.lock and the sync state belong in the real git directory.
    @Test func theGitDirectoryComesFromTheRepositoryNotFromTheWorkTree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccsync-facade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let work = dir.appendingPathComponent("work"), separate = dir.appendingPathComponent("separate.git")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try GitRepositoryTests.git(["init", "-q", "--separate-git-dir", separate.path], in: work)
        try GitRepositoryTests.git(["config", "ccsync.machine", "linux-a"], in: work)
        let global = dir.appendingPathComponent("global.gitconfig")
        try Data("[ccsync]\n\tlockTtl = 90\n\tmaxFileSize = 5\n".utf8).write(to: global)

        var environment = Self.environment(global: global.path)
        environment["GIT_CONFIG_PARAMETERS"] = "'ccsync.maxFileSize'='7'"
        let copy = try WorkingCopy.open(directory: work.path, home: dir.path, defaultClaudeRoot: dir.path + "/.claude",
                                        runner: ProcessRunner(environment: environment))
        #expect(copy.git.gitDirectory == copy.gitDirectory)
        #expect(copy.gitDirectory.hasSuffix("/separate.git"), "\(copy.gitDirectory)")
        // The repository's own value, the GIT_CONFIG_GLOBAL file's, and `git -c` over both.
        #expect(copy.settings.machine == "linux-a")
        #expect(try copy.settings.lockTTL() == 90)
        #expect(try copy.settings.maxFileSize() == 7)
        #expect(try copy.git.config("ccsync.machine") == "linux-a")
        #expect(Git.workingCopy(at: work.path, runner: ProcessRunner(environment: environment)).gitDirectory == copy.gitDirectory)
    }
}
