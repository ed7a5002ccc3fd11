import Foundation
import Testing

/// `.ccsync/config` changes through git like any file: a pull that brings a new placeholder and a session
/// using it must translate with the new map, and a machine with no path for the name keeps the token.
@Suite struct PlaceholderChangeTests {
    @Test func aPullBringsANewPlaceholderAndASessionThatUsesIt() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let config = TwoMachines.sharedConfig(a, b) + """
                [placeholder "WORK"]
                \tlinux-a = \(a.home)/work
                \tmac-b = \(b.home)/Work

                """
            try a.write(".ccsync/config", Array(config))
            let path = "projects/work/talk.jsonl"
            let written = Array("{\"cwd\":\"\(a.home)/work/api\",\"text\":\"and \(a.projects)/shop\"}\n")
            try a.write(path, written)
            try world.commitAndPush(a, [".ccsync/config", path], message: "a WORK placeholder and a session in it")
            let blob = try world.remoteBlob(path)
            sandbox.expectSameBytes(blob, Array("{\"cwd\":\"{{WORK}}/api\",\"text\":\"and {{PROJECTS}}/shop\"}\n"),
                                    "the stored \(path)")

            try b.git("pull", "--quiet")
            sandbox.expectSameBytes(try b.read(path), Array("{\"cwd\":\"\(b.home)/Work/api\",\"text\":\"and \(b.projects)/shop\"}\n"),
                                    "B's \(path) after the pull that brought WORK")
            try b.expectPristine("after the pull that brought WORK")
        }
    }

    @Test func aMachineWithoutAPathForAPlaceholderKeepsItsTokenAndStaysClean() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let config = TwoMachines.sharedConfig(a, b) + "[placeholder \"WORK\"]\n\tlinux-a = \(a.home)/work\n"
            try a.write(".ccsync/config", Array(config))
            let path = "projects/work/talk.jsonl"
            let written = Array("{\"cwd\":\"\(a.home)/work/api\"}\n{\"text\":\"{{WORK}} is literal here\"}\n")
            try a.write(path, written)
            try world.commitAndPush(a, [".ccsync/config", path], message: "WORK on linux-a only")

            let pull = try b.git("pull", "--quiet")
            sandbox.check(pull.stderrText.contains("WORK"), "B was not told that WORK has no path there:\n\(pull)")
            let onB = try b.read(path)
            sandbox.expectSameBytes(onB, Array("{\"cwd\":\"{{WORK}}/api\"}\n{\"text\":\"{{WORK}} is literal here\"}\n"),
                                    "B's \(path) (no path for WORK)")
            try b.expectPristine("with a placeholder it has no path for")

            let appended = Array("{\"cwd\":\"\(b.projects)/shop\"}\n")
            try b.append(path, appended)
            try world.commitAndPush(b, [path], message: "B goes on")
            try a.git("pull", "--quiet")
            sandbox.expectSameBytes(try a.read(path), written + TestLogs.translated(appended, from: b, to: a),
                                    "A's \(path) after B's append")
            try a.expectPristine("after B's append")
        }
    }
}
