import CCSyncCore
import Foundation
import Testing

/// Every generated Claude Code log (and, in SharedDirectoryTests, every published one): from machine A to
/// B and back is byte-identical, and every line that was JSON on A is still JSON on B.
struct SessionRoundTripTests {
    static let linux = try! translator(home: "/home/ana", ["PROJECTS": "/home/ana/code"])
    static let mac = try! translator(home: "/Users/ana", ["PROJECTS": "/Users/ana/dev"])

    /// The logs' own paths (the generated logs use the published ones' `/home/USER`), moved onto machine A.
    static func onLinux(_ raw: [UInt8]) -> [UInt8] {
        replacing(raw, [
            ("/home/USER/projects", "/home/ana/code"),
            ("/home/marco/projects", "/home/ana/code"),
            ("/path/to/Demo", "/home/ana/code/demo"),
            ("/home/USER", "/home/ana"),
            ("/home/marco", "/home/ana"),
        ])
    }

    static func jsonLines(_ bytes: [UInt8]) -> [Bool] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            (try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])) != nil
        }
    }

    @Test(arguments: TestLogs.all)
    func roundTripBetweenMachines(_ file: URL) throws {
        try Self.checkRoundTrip(file)
    }

    static func checkRoundTrip(_ file: URL) throws {
        let onA = Self.onLinux(try [UInt8](Data(contentsOf: file)))
        #expect(onA.text.contains("/home/ana/"), "the log holds none of A's paths")
        let stored = Self.linux.clean(onA)
        #expect(!stored.text.contains("/home/ana"), "no Linux path is stored")
        let onB = Self.mac.smudge(stored)
        #expect(onB.text.contains("/Users/ana/dev"))
        #expect(!onB.text.contains("/home/ana"))
        // B's git status stays clean, and the bytes that come back to A are A's.
        let storedByB = Self.mac.clean(onB, keepingLinesOf: stored)
        #expect(storedByB == stored)
        #expect(Self.linux.smudge(Self.mac.clean(onB)) == onA, "also without the index's help")
        #expect(Self.linux.smudge(storedByB) == onA)
        let jsonOnA = Self.jsonLines(onA)
        let jsonOnB = Self.jsonLines(onB)
        #expect(jsonOnA.count == jsonOnB.count)
        for (index, wasJSON) in jsonOnA.enumerated() where wasJSON {
            #expect(jsonOnB[index], "line \(index + 1) of \(file.lastPathComponent) is no longer JSON on B")
        }
    }
}
