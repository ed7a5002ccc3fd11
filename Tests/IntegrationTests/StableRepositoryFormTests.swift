import Foundation
import Testing

/// DESIGN §3 "Stable repository form": the machines' maps disagree about a Mac path pasted into a Linux
/// conversation (raw text for Linux, a `{{PROJECTS}}` path for the Mac). The Mac's checkout must still be
/// clean, and the old line keeps the form its author gave it.
@Suite struct StableRepositoryFormTests {
    @Test func aMacPathWrittenOnLinuxStaysAsWrittenAndTheMacCheckoutStaysClean() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            // A space and a non-ASCII letter: the index lookup and the `%f` quoting must both cope.
            let path = "projects/my shop/talk é.jsonl"
            let written = Array("""
                {"cwd":"\(a.projects)/shop","type":"user"}
                {"text":"on my Mac it is \(b.projects)/z"}

                """)
            try a.write(path, written)
            try world.commitAndPush(a, [path], message: "a Mac path as text")
            let firstBlob = try world.remoteBlob(path)
            sandbox.check(Bytes.contains(firstBlob, "on my Mac it is \(b.projects)/z\"}\n"),
                          "A's clean should leave B's path raw: \(String(decoding: firstBlob, as: UTF8.self))")

            try b.git("pull", "--quiet")
            let onB = try b.read(path)
            sandbox.expectSameBytes(onB, TestLogs.translated(written, from: a, to: b), "B's \(path)")
            try b.expectPristine("after checking out a line with its own path written as text")
            try b.git("add", path)
            let staged = try b.git("diff", "--cached").stdoutText
            sandbox.check(staged.isEmpty, "git add of the untouched checkout stages a change:\n\(staged)")

            let appended = Array("{\"cwd\":\"\(b.projects)/shop\"}\n")
            try b.append(path, appended)
            try world.commitAndPush(b, [path], message: "one more line on the Mac")
            let secondBlob = try world.remoteBlob(path)
            sandbox.expectSameBytes(secondBlob, firstBlob + Array("{\"cwd\":\"{{PROJECTS}}/shop\"}\n"),
                                    "the stored \(path) after B's append")

            try a.git("pull", "--quiet")
            sandbox.expectSameBytes(try a.read(path), written + Array("{\"cwd\":\"\(a.projects)/shop\"}\n"), "A's \(path)")
            try a.expectPristine("after pulling B's line")
            try b.expectPristine("after committing its line")
        }
    }
}
