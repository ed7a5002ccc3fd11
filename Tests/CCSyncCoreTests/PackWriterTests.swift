import CCSyncCore
import Foundation
import Testing

/// Objects written straight into a pack are an ordinary pack to git: `verify-pack` checks its trailer,
/// index and every object, `fsck --strict` the repository, and git reads each blob back byte for byte.
struct PackWriterTests {
    static func git(_ args: [String], in dir: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + args
        process.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(args)")
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aPackOfBlobsIsOneGitReadsAndVerifies() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccsync-pack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.git(["init", "-q"], in: dir)
        var random = SystemRandomNumberGenerator()
        // Sizes around the header's 4- and 7-bit boundaries, an empty blob, a duplicate, and one over 1 MB.
        var blobs: [[UInt8]] = [[], Array("hello\n".utf8), Array("hello\n".utf8)]
        for size in [15, 16, 127, 128, 2047, 2048, 65_537, 1_300_000] {
            blobs.append((0..<size).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        blobs.append([UInt8](repeating: 0x61, count: 3_000_000))
        let writer = try PackWriter(objectsDirectory: dir.path + "/.git/objects")
        let ids = try blobs.map { try writer.addBlob($0) }
        #expect(writer.count == blobs.count - 1, "a blob added twice is written once")
        try writer.finish()

        let packs = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/.git/objects/pack")
        #expect(packs.filter { $0.hasSuffix(".pack") }.count == 1 && packs.filter { $0.hasSuffix(".idx") }.count == 1
                && !packs.contains { $0.hasPrefix("tmp_") }, "\(packs)")
        let idx = try #require(packs.first { $0.hasSuffix(".idx") })
        let verified = try Self.git(["verify-pack", "-v", ".git/objects/pack/" + idx], in: dir)
        #expect(verified.contains("non delta: \(blobs.count - 1) objects"), "\(verified)")
        for (blob, id) in zip(blobs, ids) {
            #expect(id == GitRepository.blobID(of: blob))
            let path = dir.appendingPathComponent("out")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", dir.path, "cat-file", "blob", id]
            FileManager.default.createFile(atPath: path.path, contents: nil)
            let handle = try FileHandle(forWritingTo: path)
            process.standardOutput = handle
            try process.run()
            process.waitUntilExit()
            try handle.close()
            #expect(Array(try Data(contentsOf: path)) == blob, "blob \(id) of \(blob.count) bytes")
        }
        // A tree and commit naming them: fsck walks the pack's objects as reachable ones.
        let entries = zip(blobs, ids).enumerated().map { "100644 blob \($0.element.1)\tf\($0.offset)" }.joined(separator: "\n")
        let mktree = Process()
        mktree.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        mktree.arguments = ["git", "-C", dir.path, "mktree"]
        let input = Pipe(), output = Pipe()
        mktree.standardInput = input
        mktree.standardOutput = output
        try mktree.run()
        input.fileHandleForWriting.write(Data((entries + "\n").utf8))
        try input.fileHandleForWriting.close()
        let tree = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        mktree.waitUntilExit()
        _ = try Self.git(["-c", "user.name=t", "-c", "user.email=t@e", "commit-tree", tree, "-m", "x"], in: dir)
        _ = try Self.git(["fsck", "--strict", "--no-dangling"], in: dir)
    }
}
