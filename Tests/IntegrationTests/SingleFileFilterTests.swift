import Foundation
import Testing

/// With `filter.ccsync.process` unset git runs `git-ccsync clean %f` / `smudge %f` once per file; the
/// round trip, the stable repository form and clean checkouts must not depend on which route git takes.
@Suite struct SingleFileFilterTests {
    @Test func theCleanAndSmudgeCommandsAloneGiveTheSameRoundTrip() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox, filterProcess: false)
            let (a, b) = (world.a, world.b)
            for machine in [a, b] {
                let process = try machine.gitResult(["config", "--get", "filter.ccsync.process"])
                try #require(!process.succeeded, "filter.ccsync.process is set on \(machine.id): \(process)")
            }
            // A space and a non-ASCII letter: the index lookup and the `%f` quoting must both cope.
            let path = "projects/my shop/talk é.jsonl"
            let written = Array("""
                {"cwd":"\(a.projects)/shop","type":"user"}
                {"text":"on my Mac it is \(b.projects)/z; the config says {{PROJECTS}}"}
                {"content":"a.txt\\n\(a.home)/.zshrc"}

                """)
            try a.write(path, written)
            try world.commitAndPush(a, [path], message: "a session through the single-file filter")
            let blob = try world.remoteBlob(path)
            sandbox.check(!Bytes.contains(blob, a.home), "A's path is stored: \(String(decoding: blob, as: UTF8.self))")

            let trace = sandbox.path("pull-trace")
            try b.git("pull", "--quiet", environment: ["GIT_TRACE": trace])
            let traced = String(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: trace))), as: UTF8.self)
            sandbox.check(traced.contains("smudge") && traced.contains(path) && !traced.contains("filter-process"),
                          "the pull did not run the single-file smudge command:\n\(traced)")
            sandbox.expectSameBytes(try b.read(path), TestLogs.translated(written, from: a, to: b), "B's \(path)")
            try b.expectPristine("after a checkout through the single-file smudge")

            // The same commands by hand, stdin to stdout, as git runs them.
            let smudged = try b.ccsync("smudge", path, stdin: blob)
            sandbox.check(smudged.succeeded, "git-ccsync smudge failed:\n\(smudged)")
            sandbox.expectSameBytes(smudged.stdout, try b.read(path), "git-ccsync smudge \(path) on B")
            let cleaned = try b.ccsync("clean", path, stdin: try b.read(path))
            sandbox.check(cleaned.succeeded, "git-ccsync clean failed:\n\(cleaned)")
            sandbox.expectSameBytes(cleaned.stdout, blob, "git-ccsync clean \(path) on B (keeping the stored form)")

            let appended = Array("{\"cwd\":\"\(b.projects)/shop\"}\n")
            try b.append(path, appended)
            try world.commitAndPush(b, [path], message: "one more line on the Mac")
            sandbox.expectSameBytes(try world.remoteBlob(path), blob + Array("{\"cwd\":\"{{PROJECTS}}/shop\"}\n"),
                                    "the stored \(path) after B's append")
            try a.git("pull", "--quiet")
            sandbox.expectSameBytes(try a.read(path), written + TestLogs.translated(appended, from: b, to: a),
                                    "A's \(path)")
            try a.expectPristine("after pulling B's line")

            try a.remove(path)
            try a.git("checkout", "--", path)
            sandbox.expectSameBytes(try a.read(path), written + TestLogs.translated(appended, from: b, to: a),
                                    "A's re-checkout of \(path)")

            try a.write(".ccsync/config", Array(FailingFilterTests.malformedConfig))
            try a.append(path, Array("{\"cwd\":\"\(a.projects)/broken\"}\n"))
            let add = try a.gitResult(["add", "--", path])
            sandbox.check(!add.succeeded && add.stderrText.contains(".ccsync/config:2"),
                          "git add through the single-file clean must fail naming .ccsync/config:2:\n\(add)")
            sandbox.check(try a.git("diff", "--cached", "--name-only").stdout.isEmpty,
                          "a failing single-file clean staged something")
        }
    }
}
