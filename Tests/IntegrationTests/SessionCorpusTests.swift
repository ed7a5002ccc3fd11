import Foundation
import Testing

/// Every generated Claude Code file (sessions, subagent logs and their `.meta.json`, saved tool results,
/// memory, the 12 MB line, invalid UTF-8, a half-written last line) written on the Linux machine, pushed
/// with plain git, and pulled on the Mac.
@Suite struct SessionCorpusTests {
    @Test func everyGeneratedFileMovesFromLinuxToMacWithItsPathsTranslated() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let sessions = TestLogs.files(for: a)
            let paths = sessions.map { "projects/corpus/\($0.name)" }
            var machinePaths = 0
            for (session, path) in zip(sessions, paths) {
                try a.write(path, session.bytes)
                machinePaths += Bytes.occurrences(of: a.home, in: session.bytes).count
            }
            // Otherwise the rest of the test proves nothing.
            try #require(machinePaths > 1_000, "the generated files hold only \(machinePaths) paths of A")

            try world.commitAndPush(a, ["projects"], message: "generated sessions from linux-a")
            try b.git("pull", "--quiet")

            for (session, path) in zip(sessions, paths) {
                let onB = try b.read(path)
                sandbox.expectSameBytes(onB, TestLogs.translated(session.bytes, from: a, to: b), "B's \(path)")

                let blob = try world.remoteBlob(path)
                for (label, machinePath) in [("A's home", a.home), ("B's home", b.home), ("the sandbox", sandbox.root)] {
                    let found = Bytes.occurrences(of: machinePath, in: blob)
                    sandbox.check(found.isEmpty, """
                        the stored \(path) holds \(label) (\(machinePath)) \(found.count) times, first: \
                        \(found.first.map { Bytes.excerpt(blob, around: $0) } ?? "")
                        """)
                }

                let linesOnA = Bytes.lines(session.bytes)
                let linesOnB = Bytes.lines(onB)
                sandbox.check(linesOnA.count == linesOnB.count,
                              "\(path): \(linesOnA.count) lines on A, \(linesOnB.count) on B")
                for (number, (lineA, lineB)) in zip(linesOnA, linesOnB).enumerated() where Bytes.isJSON(lineA) {
                    sandbox.check(Bytes.isJSON(lineB), "\(path):\(number + 1) is JSON on A but not on B")
                }
            }
            try b.expectPristine("after pulling the generated sessions")

            // A's own re-checkout gives back exactly what it wrote.
            try a.remove("projects")
            try a.git("checkout", "--", "projects")
            for (session, path) in zip(sessions, paths) {
                sandbox.expectSameBytes(try a.read(path), session.bytes, "A's re-checkout of \(path)")
            }
            try a.expectPristine("after a re-checkout of its own sessions")
        }
    }
}
