import Foundation
import SessionLogFixtures
import Testing

/// `git merge` with the `ccsync-jsonl` merge driver: two branches that both append to one session log
/// merge without conflict markers into one log holding every line of both.
struct MergeDriverTests {
    static let log = "projects/shop/5c0375b4.jsonl"

    /// A repository with `*.jsonl merge=ccsync-jsonl` and the driver pointing at the binary under test.
    static func repository(in sandbox: Sandbox) throws -> Machine {
        let machine = try Machine(.linuxA(in: sandbox), sandbox: sandbox)
        try machine.git("init", "-q", machine.clone, in: machine.home)
        let quoted = "'" + machine.binary.replacingOccurrences(of: "'", with: "'\\''") + "'"
        try machine.git("config", "merge.ccsync-jsonl.name", "union of Claude Code session records")
        try machine.git("config", "merge.ccsync-jsonl.driver", "\(quoted) merge-jsonl %O %A %B %P")
        try machine.write(".gitattributes", Array("*.jsonl merge=ccsync-jsonl\n".utf8))
        return machine
    }

    /// The lines of a generated session log (an older Claude Code's, 68 records), without terminators.
    static func logLines() throws -> [[UInt8]] {
        let machine = LogMachine(home: "/home/ana", projects: "/home/ana/code")
        let session = try #require(GeneratedSessions.named("legacy", for: machine))
        return Bytes.lines(session.logBytes).map(Array.init)
    }

    static func joined(_ lines: [[UInt8]]) -> [UInt8] {
        lines.flatMap { $0 + [0x0A] }
    }

    @Test func bothBranchesAppendAndMergeCleanly() throws {
        try Sandbox.with { sandbox in
            let machine = try Self.repository(in: sandbox)
            let lines = try Self.logLines()
            try #require(lines.count >= 9)
            let third = lines.count / 3
            let base = Array(lines[..<third])
            let ours = Array(lines[third..<(2 * third)])
            let theirs = Array(lines[(2 * third)...])

            try machine.write(Self.log, Self.joined(base))
            try machine.git("add", ".gitattributes", Self.log)
            try machine.git("commit", "-q", "-m", "base")
            try machine.git("checkout", "-q", "-b", "other")
            try machine.append(Self.log, Self.joined(theirs))
            try machine.git("commit", "-q", "-am", "theirs appends")
            try machine.git("checkout", "-q", "main")
            try machine.append(Self.log, Self.joined(ours))
            try machine.git("commit", "-q", "-am", "ours appends")

            let merge = try machine.gitResult(["merge", "--no-edit", "other"])
            sandbox.check(merge.succeeded, "git merge failed:\n\(merge)")
            let merged = try machine.read(Self.log)
            sandbox.check(!Bytes.contains(merged, "<<<<<<<") && !Bytes.contains(merged, ">>>>>>>"),
                          "conflict markers in the merged log")
            sandbox.expectSameBytes(merged, Self.joined(base + ours + theirs), "merged log")
            let status = try machine.git("status", "--porcelain")
            sandbox.check(status.stdout.isEmpty, "work tree not clean after the merge:\n\(status)")
            let parents = try machine.git("rev-list", "--parents", "-n", "1", "HEAD").stdoutText
            sandbox.check(parents.split(separator: " ").count == 3, "HEAD is not a merge commit: \(parents)")
            sandbox.expectSameBytes(try machine.blob(Self.log), merged, "committed merge result")
        }
    }

    /// The other direction, where neither side's log ended with a newline and one record exists on both
    /// branches in different bytes: one `\n` between records, the shared record once, their ending kept.
    @Test func unterminatedLogsAndSharedRecordsMergeWithoutFusingOrDuplicating() throws {
        try Sandbox.with { sandbox in
            let machine = try Self.repository(in: sandbox)
            func record(_ uuid: String, _ text: String) -> [UInt8] {
                Array(#"{"type":"user","message":{"content":"\#(text) {\"uuid\":\"nested\"}"},"uuid":"\#(uuid)"}"#.utf8)
            }
            let base = Self.joined([record("1", "hello")])
            try machine.write(Self.log, base)
            try machine.git("add", ".gitattributes", Self.log)
            try machine.git("commit", "-q", "-m", "base")
            try machine.git("checkout", "-q", "-b", "other")
            try machine.write(Self.log, base + Self.joined([record("2", "theirs")]) + record("3", "late"))
            try machine.git("commit", "-q", "-am", "theirs")
            try machine.git("checkout", "-q", "main")
            try machine.write(Self.log, base + Self.joined([record("2", "ours, other bytes")]) + record("4", "cut"))
            try machine.git("commit", "-q", "-am", "ours")

            let merge = try machine.gitResult(["merge", "--no-edit", "other"])
            sandbox.check(merge.succeeded, "git merge failed:\n\(merge)")
            sandbox.expectSameBytes(
                try machine.read(Self.log),
                base + Self.joined([record("2", "ours, other bytes"), record("4", "cut")]) + record("3", "late"),
                "merged log")
        }
    }

    /// Run by hand: exit 0 and the result in the `ours` file; an unreadable input is one error line, exit 1,
    /// and `ours` untouched.
    @Test func driverProtocolAndErrors() throws {
        try Sandbox.with { sandbox in
            let machine = try Machine(.linuxA(in: sandbox), sandbox: sandbox)
            let dir = sandbox.path("driver")
            try sandbox.mkdir(dir)
            let base = Array("{\"uuid\":\"1\"}\n".utf8)
            let ours = base + Array("{\"uuid\":\"2\"}\n".utf8)
            let theirs = base + Array("{\"uuid\":\"3\"}\n".utf8)
            for (name, bytes) in [("O", base), ("A", ours), ("B", theirs)] {
                try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/\(name)"))
            }
            let run = try Command.run(machine.binary, ["merge-jsonl", "O", "A", "B", "s.jsonl"], in: dir,
                                      environment: machine.environment, sandbox: sandbox)
            sandbox.check(run.succeeded && run.stdout.isEmpty, "merge-jsonl failed:\n\(run)")
            sandbox.expectSameBytes(Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/A"))),
                                    ours + Array("{\"uuid\":\"3\"}\n".utf8), "the ours file")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            sandbox.check(leftovers == ["A", "B", "O"], "temporary files left behind: \(leftovers)")

            let failed = try Command.run(machine.binary, ["merge-jsonl", "missing", "A", "B", "s.jsonl"], in: dir,
                                         environment: machine.environment, sandbox: sandbox)
            let lines = failed.stderrText.split(separator: "\n")
            sandbox.check(failed.status == 1 && lines.count == 1 && lines[0].hasPrefix("git-ccsync: error: ")
                          && failed.stderrText.contains("missing"), "expected one error line and exit 1:\n\(failed)")
            sandbox.expectSameBytes(Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/A"))),
                                    ours + Array("{\"uuid\":\"3\"}\n".utf8), "the ours file after a failure")
        }
    }
}
