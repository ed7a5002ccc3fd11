import Foundation
import Testing

/// Logs reach hundreds of MB and one real line was 12 MB: such content crosses git's 64 KB pkt-lines in
/// both directions and must come back whole.
@Suite struct LargeFileTests {
    @Test func aTwelveMegabyteLineCrossesIntact() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let filler = Array(repeating: UInt8(ascii: "y"), count: 4 << 20)
            let path = "projects/big/huge.jsonl"
            var written = Array("{\"cwd\":\"\(a.projects)/big\"}\n{\"content\":\"\(a.projects)/start ")
            // Paths land on both sides of pkt-line boundaries somewhere in 12 MB.
            for n in 0..<3 {
                written += filler + Array(" \(a.home)/middle\(n)\\n\(a.projects)/x\(n) ")
            }
            written += Array("end in \(a.projects)\"}\n{\"tail\":true}")
            try a.write(path, written)
            try world.commitAndPush(a, [path], message: "a 12 MB line")

            let blob = try world.remoteBlob(path)
            sandbox.check(!Bytes.contains(blob, sandbox.root), "the stored 12 MB line holds a sandbox path")
            try b.git("pull", "--quiet")
            sandbox.expectSameBytes(try b.read(path), TestLogs.translated(written, from: a, to: b), "B's \(path)")
            try b.expectPristine("after checking out a 12 MB line")

            try a.remove(path)
            try a.git("checkout", "--", path)
            sandbox.expectSameBytes(try a.read(path), written, "A's re-checkout of \(path)")
        }
    }
}
