import Foundation
import Testing

/// git (2.15 and later) offers `capability=delay` in the filter handshake of every checkout; the filter
/// declines it (so git never sends `can-delay=1`) and answers each file at once. A checkout of many files
/// must work whether it comes from a pull, a pathspec checkout or a fresh clone.
@Suite struct DelayedCheckoutTests {
    @Test func aCheckoutOfManyFilesWorksWhenGitOffersDelay() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let count = 64
            var written: [(path: String, bytes: [UInt8])] = []
            for n in 0..<count {
                let path = String(format: "projects/many/%03d.jsonl", n)
                let bytes = Array("""
                    {"cwd":"\(a.projects)/app\(n)","sessionId":"\(n)"}
                    {"text":"see \(a.home)/notes/\(n).md and {{PROJECTS}}"}

                    """) + Array(repeating: UInt8(ascii: "x"), count: n * 997) + [0x0A]
                try a.write(path, bytes)
                written.append((path, bytes))
            }
            try world.commitAndPush(a, ["projects/many"], message: "\(count) sessions")

            func expectFilesOnB(_ context: String) throws {
                for (path, bytes) in written {
                    sandbox.expectSameBytes(try b.read(path), TestLogs.translated(bytes, from: a, to: b),
                                            "B's \(path) \(context)")
                }
            }
            func expectDelayOffered(_ trace: String, _ context: String) throws {
                let text = String(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: trace))), as: UTF8.self)
                let lines = text.split(separator: "\n")
                sandbox.check(lines.contains { $0.hasSuffix("> capability=delay") },
                              "\(context): git did not offer capability=delay, so this test shows nothing")
                sandbox.check(lines.contains { $0.hasSuffix("< capability=smudge") }
                              && !lines.contains { $0.hasSuffix("< capability=delay") },
                              "\(context): the filter's capabilities are not just clean and smudge")
                let smudges = lines.filter { $0.hasSuffix("> command=smudge") }.count
                sandbox.check(smudges >= count, "\(context): \(smudges) smudge requests for \(count) files")
            }

            let pullTrace = sandbox.path("pull.trace")
            try b.git("pull", "--quiet", environment: ["GIT_TRACE_PACKET": pullTrace])
            try expectDelayOffered(pullTrace, "git pull")
            try expectFilesOnB("after git pull")
            try b.expectPristine("after pulling \(count) files")

            try b.remove("projects/many")
            let checkoutTrace = sandbox.path("checkout.trace")
            try b.git("checkout", "--", "projects/many", environment: ["GIT_TRACE_PACKET": checkoutTrace])
            try expectDelayOffered(checkoutTrace, "git checkout -- projects/many")
            try expectFilesOnB("after git checkout -- projects/many")

            // A fresh clone: one filter process serves the whole first checkout.
            let second = try Machine(Machine.Spec(id: b.id, home: b.home, projects: b.projects,
                                                  clone: sandbox.path("Users/ana/second-clone")), sandbox: sandbox)
            let cloneTrace = sandbox.path("clone.trace")
            try second.gitResult(["clone", "--quiet"] + second.filterConfiguration(process: true) + [world.remote, second.clone],
                                 in: sandbox.root, environment: ["GIT_TRACE_PACKET": cloneTrace]).orThrow()
            try expectDelayOffered(cloneTrace, "git clone")
            for (path, bytes) in written {
                sandbox.expectSameBytes(try second.read(path), TestLogs.translated(bytes, from: a, to: b),
                                        "a fresh clone's \(path)")
            }
            try second.expectPristine("a fresh clone of \(count) files")
            try b.expectPristine("after a checkout of \(count) files")
        }
    }
}
