import Foundation
import Testing

/// Issue 5, odd sessions end to end: logs as crashes, old versions and other platforms leave them, moved
/// by `git ccsync push` on A and `pull` on B. B's store must hold exactly A's bytes with A's paths as B's
/// (nothing re-serialised, dropped or "repaired"), and A's store must be exactly what A's Claude wrote.
@Suite struct OddSessionTests {
    /// One odd log in A's project `odd`.
    struct Odd {
        let name: String
        let id: String
        let bytes: [UInt8]
        var log: String { "\(id).jsonl" }
    }

    static func id(_ n: Int) -> String { String(format: "0dd0%04x-0000-4000-8000-%012x", n, n) }

    /// A well-formed record line of `machine`'s with its paths in `cwd`, the free text and a tool input.
    static func record(_ uuid: String, session: String, cwd: String, on machine: SyncMachine, type: String = "user") -> String {
        #"{"parentUuid":null,"type":"\#(type)","cwd":"\#(cwd)","sessionId":"\#(session)","message":{"role":"user","content":"see \#(cwd)/lib/app.ex and \#(machine.home)/.zshrc"},"uuid":"\#(uuid)"}"# + "\n"
    }

    /// Every odd log of the issue, written by A's Claude in `<PROJECTS>/odd`.
    static func oddSessions(on a: SyncMachine) -> [Odd] {
        let cwd = a.projects + "/odd"
        func rec(_ uuid: String, _ n: Int, type: String = "user") -> [UInt8] {
            Array(record(uuid, session: id(n), cwd: cwd, on: a, type: type).utf8)
        }
        var odd: [Odd] = []
        odd.append(Odd(name: "malformed JSON lines", id: id(1), bytes: rec("m0", 1)
            + Array(#"{"uuid":"m1","cwd":"\#(cwd)","message":{"content":"cut"#.utf8) + [0x0A]
            + Array("not json at all, but a path: \(cwd)/x\n".utf8)
            + Array("}{\"uuid\":\"m2\"}{\"uuid\":\"m3\",\"cwd\":\"\(cwd)\"}\n".utf8)
            + Array(",,,\n\n".utf8) + rec("m4", 1)))
        odd.append(Odd(name: "NUL padding", id: id(2), bytes: rec("n0", 2)
            + [UInt8](repeating: 0, count: 4096) + rec("n1", 2) + [UInt8](repeating: 0, count: 100)))
        odd.append(Odd(name: "invalid UTF-8", id: id(3), bytes: rec("u0", 3)
            + Array(#"{"uuid":"u1","text":"bad "#.utf8) + [0xFF, 0xFE, 0xC3, 0x28, 0xED, 0xA0, 0x80]
            + Array(#" then \#(cwd)/y and \#(a.home)/z","cwd":"\#(cwd)"}"#.utf8) + [0x0A]))
        odd.append(Odd(name: "empty file", id: id(4), bytes: []))
        odd.append(Odd(name: "no trailing newline", id: id(5), bytes: rec("t0", 5) + rec("t1", 5).dropLast()))
        odd.append(Odd(name: "unknown record types", id: id(6), bytes: rec("k0", 6)
            + Array(#"{"type":"hologram-2031","payload":{"cwd":"\#(cwd)","nested":[{"path":"\#(a.home)/.config"}]},"uuid":"k1"}"#.utf8) + [0x0A]
            + Array(#"{"type":"summary","summary":"Odd things","leafUuid":"k1"}"#.utf8) + [0x0A]
            + rec("k2", 6, type: "queue-operation")))
        odd.append(Odd(name: "cwd changes mid-session", id: id(7), bytes: rec("c0", 7)
            + Array(record("c1", session: id(7), cwd: cwd + "/sub/dir", on: a).utf8)
            + Array(record("c2", session: id(7), cwd: a.home + "/elsewhere", on: a).utf8)
            + Array(record("c3", session: id(7), cwd: "/tmp/scratch", on: a).utf8)))
        odd.append(Odd(name: "literal placeholders", id: id(8), bytes: rec("p0", 8)
            + Array(#"{"uuid":"p1","cwd":"\#(cwd)","text":"set {{PROJECTS}} and {{HOME}}/x, {{=PROJECTS}}, {{==HOME}}, {{NOPE}}, {{PROJECTS"}"#.utf8)
            + [0x0A]))
        return odd
    }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw HarnessError(message()) }
    }

    /// A writes every odd log and pushes; B pulls. B's copies are A's bytes with B's paths; A's store is
    /// untouched. Then the half-written last line of one log is completed with more lines and pushed again.
    @Test func oddLogsCrossByteExactAndAsStoreIsUntouched() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let cwdA = a.projects + "/odd", cwdB = b.projects + "/odd"
            var odd = Self.oddSessions(on: a)
            // A log whose writer crashed mid-line.
            let half = Odd(name: "half-written last line", id: Self.id(9),
                           bytes: Array(Self.record("h0", session: Self.id(9), cwd: cwdA, on: a).utf8)
                               + Array(#"{"parentUuid":"h0","type":"assistant","cwd":"\#(cwdA)","message":{"content":"I will now edit \#(cwdA)/lib/"#.utf8))
            odd.append(half)
            for session in odd { try a.writeStore(cwd: cwdA, session.log, session.bytes) }

            try a.initialize(remote: world.remote)
            try b.initialize(remote: world.remote)

            func expectCrossed(_ session: Odd, _ bytes: [UInt8], _ step: String) {
                let onB = (try? b.readStore(cwd: cwdB, session.log))
                sandbox.check(onB != nil, "\(step): B's store lacks the \(session.name) log; it has \(((try? b.storeFiles()) ?? [:]).keys.sorted())")
                sandbox.expectSameBytes(onB ?? [], a.translated(bytes, to: b), "\(step): B's \(session.name) log")
                sandbox.expectSameBytes((try? a.readStore(cwd: cwdA, session.log)) ?? [], bytes, "\(step): A's own \(session.name) log")
            }
            for session in odd { expectCrossed(session, session.bytes, "first push") }

            // Literal placeholder text is escaped in the repository, not expanded on B (checked above) or stored raw.
            let literal = try world.remoteBlob(try Self.requiredPath(world, odd[7].log))
            sandbox.check(Bytes.contains(literal, "{{=PROJECTS}} and {{=HOME}}/x, {{==PROJECTS}}, {{===HOME}}"),
                          "the repository does not hold the literal placeholders escaped: \(String(decoding: literal, as: UTF8.self))")
            // No machine path reached the repository except in the one record whose cwd is outside every placeholder.
            for session in odd {
                let blob = try world.remoteBlob(try Self.requiredPath(world, session.log))
                sandbox.check(!Bytes.contains(blob, a.home) && !Bytes.contains(blob, sandbox.root),
                              "the repository's \(session.name) log holds a machine path")
            }

            // The crashed writer's line is finished later, with more lines after it.
            let rest = Array(#"app.ex"},"uuid":"h1"}"#.utf8) + [0x0A]
                + Array(Self.record("h2", session: Self.id(9), cwd: cwdA, on: a).utf8)
            try a.appendStore(cwd: cwdA, half.log, rest)
            try a.ccsync("push")
            try b.ccsync("pull")
            expectCrossed(half, half.bytes + rest, "after completing the half line")
            for session in odd where session.id != half.id { expectCrossed(session, session.bytes, "second push") }

            try a.expectCleanStatus("at the end")
            try b.expectCleanStatus("at the end")
            try b.machine.expectPristine("after pulling odd logs")
        }
    }

    static func requiredPath(_ world: SyncWorld, _ log: String) throws -> String {
        guard let path = try world.remotePath(endingWith: "/" + log) else { throw HarnessError("the repository has no \(log)") }
        return path
    }

    /// A 12 MB single line (a real log had one) with paths scattered through it crosses whole.
    @Test func aTwelveMegabyteSingleLineCrossesWhole() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let cwdA = a.projects + "/big", cwdB = b.projects + "/big"
            let id = Self.id(0x12)
            var line = Array(#"{"type":"user","cwd":"\#(cwdA)","sessionId":"\#(id)","toolUseResult":{"stdout":""#.utf8)
            let filler = [UInt8](repeating: UInt8(ascii: "q"), count: 3 << 20)
            for n in 0..<4 { line += filler + Array(#"\n\#(cwdA)/f\#(n).txt \#(a.home)/.cache/\#(n) "#.utf8) }
            line += Array(#""},"uuid":"big0"}"#.utf8) + [0x0A]
            try Self.require(line.count > 12_000_000, "the line has only \(line.count) bytes")
            let log = Array(Self.record("big-first", session: id, cwd: cwdA, on: a).utf8) + line
            try a.writeStore(cwd: cwdA, "\(id).jsonl", log)
            try a.initialize(remote: world.remote)
            try b.initialize(remote: world.remote)
            sandbox.expectSameBytes((try? b.readStore(cwd: cwdB, "\(id).jsonl")) ?? [], a.translated(log, to: b), "B's 12 MB log")
            sandbox.expectSameBytes(try a.readStore(cwd: cwdA, "\(id).jsonl"), log, "A's own 12 MB log")
        }
    }

    /// A Windows machine's logs (on this Linux host only its paths can be Windows ones: its `PROJECTS` is
    /// `C:\\Users\\ana\\code`, its home `C:\\Users\\ana`). Paths as JSON writes them (escaped backslashes,
    /// forward slashes, either drive-letter case, escaped twice in a tool result) reach B as B's paths; the
    /// separators after them stay as written, which is what translation promises (PathTranslatorTests).
    @Test func windowsOriginPathsReachBAsBsPaths() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let b = world.b
            let base = sandbox.path("win")
            let spec = Machine.Spec(id: "win-w", home: #"C:\Users\ana"#, projects: #"C:\Users\ana\code"#, clone: base + "/.ccsync")
            let w = try SyncMachine(spec, sandbox: sandbox, claudeConfigDirectory: base + "/claude")
            let id = Self.id(0x30)
            // JSON text: one backslash of the path is written as two.
            let cwd = #"C:\\Users\\ana\\code\\shop"#
            let log = Array((#"{"type":"user","cwd":"\#(cwd)","sessionId":"\#(id)","message":{"role":"user","content":"edit \#(cwd)\\app.py, C:/Users/ana/code/x and c:\\Users\\ana\\.profile"},"uuid":"w0"}"# + "\n"
                + #"{"type":"user","cwd":"\#(cwd)","toolUseResult":{"stdout":"{\"path\":\"C:\\\\Users\\\\ana\\\\code\\\\deep\"}"},"uuid":"w1"}"# + "\n").utf8)
            // Claude's folder for the Windows cwd: every non-alphanumeric character is `-`.
            let folder = base + "/claude/projects/C--Users-ana-code-shop"
            try sandbox.mkdir(folder)
            try Data(log).write(to: URL(fileURLWithPath: folder + "/\(id).jsonl"))

            let initW = try w.ccsyncResult(w.initArguments(remote: world.remote), in: base)
            try Self.require(initW.succeeded, "W's init failed:\n\(initW)")
            let config = String(decoding: try world.remoteBlob(".ccsync/config"), as: UTF8.self)
            sandbox.check(config.contains(#"win-w = C:\\Users\\ana\\code"#) || config.contains(#"win-w = "C:\\Users\\ana\\code""#),
                          "the shared config does not hold W's Windows path as given:\n\(config)")
            let remoteFiles = try world.remoteFiles()
            sandbox.check(remoteFiles.contains { $0.hasSuffix("/\(id).jsonl") },
                          "W's push did not store its session; the remote has \(remoteFiles)")
            try b.initialize(remote: world.remote)

            let expected = Bytes.replacing(log, [
                (from: #"C:\\\\Users\\\\ana\\\\code"#, to: b.projects),
                (from: #"C:\\Users\\ana\\code"#, to: b.projects),
                (from: "C:/Users/ana/code", to: b.projects),
                (from: #"c:\\Users\\ana"#, to: b.home),
            ])
            // The cwd reads `<B's PROJECTS>\\shop`, whose folder name is the one of `<B's PROJECTS>/shop`.
            let onB = (try? b.readStore(cwd: b.projects + "/shop", "\(id).jsonl"))
            let storeB = try b.storeFiles().keys.sorted()
            sandbox.check(onB != nil, "B's store lacks W's session; it has \(storeB)")
            sandbox.expectSameBytes(onB ?? [], expected, "B's copy of W's log")
            sandbox.expectSameBytes(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/\(id).jsonl"))), log, "W's own log")
            let stored = try world.remoteBlob(try Self.requiredPath(world, "\(id).jsonl"))
            sandbox.check(!Bytes.contains(stored, "Users") && !Bytes.contains(stored, sandbox.root),
                          "the repository's copy holds a machine path: \(String(decoding: stored, as: UTF8.self))")
        }
    }

    enum Order: String, CaseIterable, Sendable {
        case aPushesFirst, bPushesFirst
    }

    /// Both machines append to the same odd log (malformed lines, NULs, invalid UTF-8) while apart;
    /// whichever pushes first, after a push and a pull on each both stores hold every line of both, the
    /// odd lines still there, and no conflict markers.
    @Test(arguments: Order.allCases)
    func bothMachinesAppendToAnOddLogOffline(_ order: Order) throws {
        try Sandbox.with("oddOffline-\(order.rawValue)") { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let cwdA = a.projects + "/odd", cwdB = b.projects + "/odd"
            let odd = Self.oddSessions(on: a)
            // Malformed lines, then NUL padding, then invalid UTF-8: one log with all three.
            let id = Self.id(0x20)
            let original = odd[0].bytes + odd[1].bytes.filter { $0 == 0 }.prefix(512) + [0x0A] + odd[2].bytes
            try a.writeStore(cwd: cwdA, "\(id).jsonl", original)
            try a.initialize(remote: world.remote)
            try b.initialize(remote: world.remote)
            try Self.require(b.storeHas(cwd: cwdB, "\(id).jsonl"), "B did not get the odd log")

            let fromA = SessionRecords.lines(3, tag: 0xa50, session: id, cwd: cwdA, on: a)
            let fromB = SessionRecords.lines(3, tag: 0xb50, session: id, cwd: cwdB, on: b)
            try a.appendStore(cwd: cwdA, "\(id).jsonl", fromA)
            try b.appendStore(cwd: cwdB, "\(id).jsonl", fromB)
            let (first, second) = order == .aPushesFirst ? (a, b) : (b, a)
            try first.ccsync("push")
            try second.ccsync("push")
            try first.ccsync("pull")

            let expectedOnA = original + fromA + b.translated(fromB, to: a)
            SyncTests.expectSameLines(try a.readStore(cwd: cwdA, "\(id).jsonl"), expectedOnA, "A's odd log", sandbox)
            SyncTests.expectSameLines(try b.readStore(cwd: cwdB, "\(id).jsonl"), a.translated(expectedOnA, to: b), "B's odd log", sandbox)
            for machine in [a, b] {
                try machine.expectNoConflictMarkers("after \(order.rawValue)")
                try machine.expectCleanStatus("after \(order.rawValue)")
            }
        }
    }
}
