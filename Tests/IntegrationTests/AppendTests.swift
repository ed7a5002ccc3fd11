import Foundation
import Testing

/// The usual case: a conversation resumed on the other machine grows by a few lines.
@Suite struct AppendTests {
    @Test func linesAppendedOnTheMacReachLinuxAndTheCommitOnlyAddsLines() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let sessions = try ["short", "tool-heavy"].map { try TestLogs.session($0, for: a) }
            try #require(sessions.count == 2 && sessions.allSatisfy { $0.logBytes.count > 5_000 })
            let paths = sessions.map { "projects/shop/\($0.log)" }
            for (session, path) in zip(sessions, paths) { try a.write(path, session.logBytes) }
            try world.commitAndPush(a, paths, message: "two sessions from linux-a")
            try b.git("pull", "--quiet")

            let grown = paths[0]
            let appended = Array("""
                {"type":"user","cwd":"\(b.projects)/spotter","message":{"role":"user","content":"resume on the Mac: look at \(b.home)/Library/Logs"},"uuid":"b-1"}
                {"type":"assistant","message":{"content":[{"type":"tool_use","name":"Bash","input":{"command":"cd \(b.projects)/spotter && swift build","file_path":"\(b.projects)/spotter/Package.swift"}}]},"uuid":"b-2"}
                {"type":"user","toolUseResult":{"stdout":"a.txt\\n\(b.projects)/spotter/b.txt\\n\(b.home)/.zshrc"},"uuid":"b-3"}

                """)
            try b.append(grown, appended)
            try world.commitAndPush(b, [grown], message: "resumed on mac-b")
            try a.git("pull", "--quiet")

            let original = sessions[0].logBytes
            sandbox.expectSameBytes(try a.read(grown),
                                    original + TestLogs.translated(appended, from: b, to: a), "A's \(grown)")
            sandbox.expectSameBytes(try a.read(paths[1]), sessions[1].logBytes, "A's untouched \(paths[1])")

            let numstat = try a.git("diff", "--numstat", "HEAD~1", "HEAD").stdoutText
            sandbox.check(numstat == "3\t0\t\(grown)\n", "B's commit should add 3 lines to \(grown) and nothing else:\n\(numstat)")
            let diff = try a.git("diff", "HEAD~1", "HEAD").stdoutText
            let removed = diff.split(separator: "\n").filter { $0.hasPrefix("-") && !$0.hasPrefix("---") }
            sandbox.check(removed.isEmpty, "B's commit removes lines:\n\(removed.joined(separator: "\n"))")

            let before = try a.blob(grown, at: "HEAD~1")
            let after = try a.blob(grown)
            sandbox.check(after.starts(with: before), "the stored \(grown) does not start with its previous version: "
                          + (Bytes.describeDifference(actual: Array(after.prefix(before.count)), expected: before) ?? ""))
            let storedAppend = Array(after.dropFirst(before.count))
            sandbox.check(Bytes.lines(storedAppend).count == 3, "3 lines were appended, the blob grew by \(Bytes.lines(storedAppend).count)")
            for machinePath in [a.home, b.home, sandbox.root] {
                sandbox.check(!Bytes.contains(storedAppend, machinePath),
                              "the appended lines are stored with a machine path: \(String(decoding: storedAppend, as: UTF8.self))")
            }
            sandbox.check(Bytes.occurrences(of: "{{PROJECTS}}/spotter", in: storedAppend).count == 4
                          && Bytes.occurrences(of: "{{HOME}}/", in: storedAppend).count == 2,
                          "the appended lines are not in placeholder form: \(String(decoding: storedAppend, as: UTF8.self))")

            try a.expectPristine("after pulling B's lines")
            try b.expectPristine("after committing its lines")
        }
    }
}
