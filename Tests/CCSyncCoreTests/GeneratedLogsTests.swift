import CCSyncCore
import Foundation
import SessionLogFixtures
import Testing

/// The generated logs stand in for the published ones in `make test`: they must keep every shape those show
/// (and the odd ones crashes leave), keep the machine's paths where Claude Code writes paths, and be the same
/// bytes on every run.
struct GeneratedLogsTests {
    static let machine = TestLogs.machine
    static let sessions = TestLogs.sessions

    /// Every line of every `.jsonl` file of every session.
    static let lines: [[UInt8]] = sessions.flatMap { session in
        session.files.filter { $0.key.hasSuffix(".jsonl") }.values.flatMap { bytes in
            bytes.split(separator: 0x0A).map(Array.init)
        }
    }

    static func records(_ session: GeneratedSession) -> [[String: Any]] {
        session.files.filter { $0.key.hasSuffix(".jsonl") }.values.flatMap { bytes in
            bytes.split(separator: 0x0A).compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        }
    }

    @Test func sameBytesOnEveryRun() {
        let again = GeneratedSessions.all(for: Self.machine)
        #expect(again.map(\.name) == Self.sessions.map(\.name))
        for (first, second) in zip(Self.sessions, again) {
            #expect(first.files == second.files, "\(first.name)")
        }
    }

    @Test func theMachinesPathsAreTheOnlyOnes() {
        let other = LogMachine(home: "/Users/zed", projects: "/Users/zed/src")
        for session in GeneratedSessions.all(for: other) {
            for (relative, bytes) in session.files {
                #expect(!String(decoding: bytes, as: UTF8.self).contains("/home/"), "\(session.name)/\(relative)")
                #expect(String(decoding: bytes, as: UTF8.self).contains("/Users/zed/src/"), "\(session.name)/\(relative)")
            }
        }
    }

    @Test func everyRecordShapeOfThePublishedLogsIsThere() {
        let text = Self.lines.map { String(decoding: $0, as: UTF8.self) }
        func has(_ needle: String) -> Bool { text.contains { $0.contains(needle) } }
        for needle in [
            #""type":"file-history-snapshot""#, #""isSnapshotUpdate":true"#, #""trackedFileBackups":{"src/"#,
            #""type":"progress""#, #""type":"hook_progress""#, #""type":"bash_progress""#, #""type":"agent_progress""#,
            #""type":"waiting_for_task""#,
            #""type":"queue-operation","operation":"enqueue""#, #""operation":"dequeue""#, #""operation":"remove""#,
            #""type":"summary","summary":"#, #""subtype":"compact_boundary""#, #""logicalParentUuid":"#,
            #""isCompactSummary":true"#, #""subtype":"stop_hook_summary""#, #""subtype":"turn_duration""#,
            #""subtype":"local_command""#, #""type":"thinking""#, #""type":"tool_use""#, #""type":"tool_result""#,
            #""toolUseResult":{"#, #""structuredPatch":"#, #""isMeta":true"#, #""isSidechain":true"#, #""agentId":"#,
            #""name":"Task""#, #""name":"TodoWrite""#, #""slug":"#, "<command-name>/", "[Request interrupted by user",
            #""version":"1.0."#, #""version":"2.1."#, "ノート", "🎉",
        ] {
            #expect(has(needle), "no generated record holds \(needle)")
        }
    }

    @Test func everyKindOfFileBesideASessionIsThere() {
        var kinds: [StoreFileKind: Int] = [:]
        var metas = 0
        for session in Self.sessions {
            for relative in session.files.keys {
                let kind = StoreFileKind.classify(relative)
                #expect(kind != nil, "\(session.name)/\(relative) is not a file git-ccsync syncs")
                if let kind { kinds[kind, default: 0] += 1 }
                if relative.contains("/subagents/agent-"), relative.hasSuffix(".meta.json") { metas += 1 }
            }
        }
        #expect(kinds[.session] == Self.sessions.count)
        #expect((kinds[.subagent] ?? 0) >= 3, "subagent logs and their .meta.json")
        #expect(metas >= 1)
        #expect((kinds[.toolResult] ?? 0) >= 2)
        #expect((kinds[.memory] ?? 0) >= 1)
    }

    @Test func theOddShapesAreThere() throws {
        // A session whose cwd changes mid-way.
        let agents = try #require(Self.sessions.first { $0.name == "agents" })
        let cwds = Set(Self.records(agents).compactMap { $0["cwd"] as? String })
        #expect(cwds.count >= 2, "\(cwds)")
        // A 12 MB single line.
        #expect(Self.lines.contains { $0.count >= 12_000_000 })
        // Invalid UTF-8.
        #expect(Self.lines.contains { String(validating: $0, as: UTF8.self) == nil })
        // A half-written last line: no `\n` at the end, and what is there is not JSON.
        let half = try #require(Self.sessions.first { $0.name == "half-written-last-line" })
        let last = try #require(half.logBytes.split(separator: 0x0A, omittingEmptySubsequences: false).last)
        #expect(!last.isEmpty)
        #expect((try? JSONSerialization.jsonObject(with: Data(last))) == nil)
        // The sessions said to be well-formed are.
        for session in Self.sessions where session.isWellFormed {
            for (relative, bytes) in session.files where relative.hasSuffix(".jsonl") {
                #expect(bytes.last == 0x0A, "\(session.name)/\(relative)")
                for line in bytes.split(separator: 0x0A) {
                    #expect((try? JSONSerialization.jsonObject(with: Data(line))) is [String: Any], "\(session.name)/\(relative)")
                }
            }
        }
    }

    /// Paths where Claude Code writes them: cwd, tool inputs, tool results (and their structured copy), free text.
    @Test func theMachinesPathsAreWhereClaudeCodeWritesPaths() throws {
        let projects = Self.machine.projects + "/"
        var inCwd = false, inInput = false, inResult = false, inStructured = false, inPrompt = false, inText = false
        for session in Self.sessions where session.isWellFormed && session.name != "twelve-mb-line" {
            for record in Self.records(session) {
                if (record["cwd"] as? String)?.hasPrefix(projects) == true { inCwd = true }
                if let result = record["toolUseResult"],
                   String(decoding: try JSONSerialization.data(withJSONObject: result), as: UTF8.self)
                       .replacingOccurrences(of: "\\/", with: "/").contains(projects) { inStructured = true }
                let message = record["message"] as? [String: Any]
                if let prompt = message?["content"] as? String, prompt.contains(projects) { inPrompt = true }
                for block in message?["content"] as? [[String: Any]] ?? [] {
                    switch block["type"] as? String {
                    case "tool_use":
                        let input = block["input"] as? [String: Any] ?? [:]
                        if input.values.contains(where: { ($0 as? String)?.contains(projects) == true }) { inInput = true }
                    case "tool_result":
                        if (block["content"] as? String)?.contains(projects) == true { inResult = true }
                    case "text":
                        if (block["text"] as? String)?.contains(projects) == true { inText = true }
                    default: break
                    }
                }
            }
        }
        #expect(inCwd && inInput && inResult && inStructured && inPrompt && inText,
                "cwd \(inCwd), tool input \(inInput), tool result \(inResult), toolUseResult \(inStructured), prompt \(inPrompt), text \(inText)")
        #expect(Self.lines.contains { String(decoding: $0, as: UTF8.self).contains(Self.machine.home + "/.") }, "no path in the home")
    }
}
