import CCSyncCore
import Foundation
import Testing

/// libgit2 is linked and used: open a repository made by the git CLI and read it back.
struct GitRepositoryTests {
    static func git(_ args: [String], in dir: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + args
        process.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_AUTHOR_NAME"] = "t"; env["GIT_AUTHOR_EMAIL"] = "t@example.com"
        env["GIT_COMMITTER_NAME"] = "t"; env["GIT_COMMITTER_EMAIL"] = "t@example.com"
        process.environment = env
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        if exited.wait(timeout: .now() + 60) == .timedOut {
            process.terminate()
            _ = exited.wait(timeout: .now() + 10)
            Issue.record("git \(args) did not finish within 60 s")
            return
        }
        #expect(process.terminationStatus == 0, "git \(args)")
    }

    @Test func readsConfigHeadAndIndex() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccsync-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.git(["init", "-q", "-b", "trunk"], in: dir)
        try Self.git(["config", "ccsync.machine", "linux-a"], in: dir)

        let repo = try GitRepository(discoveringFrom: dir.path)
        #expect(try repo.configString("ccsync.machine") == "linux-a")
        #expect(try repo.configString("ccsync.nothing") == nil)
        #expect(try repo.headReferenceName() == "refs/heads/trunk")
        #expect(try repo.headCommitID() == nil, "unborn branch")
        #expect(repo.workTree?.hasSuffix(dir.lastPathComponent + "/") == true)

        try Data([0x00, 0xFF, 0x41]).write(to: dir.appendingPathComponent("a.bin"))
        try Self.git(["add", "a.bin"], in: dir)
        try Self.git(["commit", "-qm", "one"], in: dir)
        #expect(try repo.indexBlob(path: "a.bin") == [0x00, 0xFF, 0x41])
        #expect(try repo.indexBlob(path: "missing") == nil)
        #expect(try repo.headCommitID()?.count == 40)

        // The index is re-read when git changes it.
        try Data([0x42]).write(to: dir.appendingPathComponent("a.bin"))
        try Self.git(["add", "a.bin"], in: dir)
        #expect(try repo.indexBlob(path: "a.bin") == [0x42])
    }

    @Test func openingANonRepositoryNamesTheCall() {
        do {
            _ = try GitRepository(discoveringFrom: "/nonexistent/ccsync")
            Issue.record("opened a repository that does not exist")
        } catch {
            #expect(error.call.hasPrefix("git_repository_open_ext"))
            #expect(error.isNotFound)
        }
    }
}
