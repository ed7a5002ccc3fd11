import CCSyncCore
import Foundation
import PropertyBased
import Testing

/// Log lines for synthetic sessions, one record per argument, each ending in `\n`.
private func log(_ lines: String...) -> [UInt8] {
    Array(lines.map { $0 + "\n" }.joined().utf8)
}

private func user(_ content: String, extra: String = "", time: String = "2026-01-02T03:04:05.000Z") -> String {
    #"{"type":"user",\#(extra)"message":{"role":"user","content":\#(content)},"timestamp":"\#(time)"}"#
}

private func summary(of bytes: [UInt8]) -> SessionSummary {
    SessionSummary.read(from: bytes, id: "s")
}

private func isISOTimestamp(_ text: String) -> Bool {
    text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/) != nil
}

/// `list`'s view of a session: title, project, times, size, from raw bytes and without decoding every line.
struct SessionSummaryTests {
    // MARK: Whole logs (generated here; published ones in SharedDirectoryTests)

    @Test(arguments: TestLogs.wellFormed)
    func everyLogHasATitleAndSaneTimes(_ file: URL) throws {
        try Self.checkTitleAndSaneTimes(file)
    }

    static func checkTitleAndSaneTimes(_ file: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: file))
        let s = try SessionSummary.read(contentsOf: file.path)
        #expect(s.id == file.deletingPathExtension().lastPathComponent)
        #expect(s == SessionSummary.read(from: bytes, id: s.id))
        let title = try #require(s.title)
        #expect(!title.isEmpty && title.count <= 80 && !title.contains("\n"))
        let first = try #require(s.firstTimestamp)
        let last = try #require(s.lastTimestamp)
        #expect(isISOTimestamp(first) && isISOTimestamp(last))
        #expect(first <= last)
        #expect(s.cwd?.hasPrefix("/") == true)
        #expect(s.size == bytes.count)
        #expect(s.recordCount == bytes.split(separator: 0x0A).count)

        // Cross-check against a full parse of every line.
        let records = try bytes.split(separator: 0x0A).map {
            try #require(JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
        #expect(s.lastRecordType == records.last?["type"] as? String)
        #expect(s.firstTimestamp == records.lazy.compactMap { $0["timestamp"] as? String }.first)
        #expect(s.lastTimestamp == records.reversed().lazy.compactMap { $0["timestamp"] as? String }.first)
        #expect(s.cwd == records.lazy.compactMap { $0["cwd"] as? String }.first)
    }

    static let publishedTitles: [(file: String, title: String)] = [
        // Claude's own summary record.
        ("fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl", "Empty Repo Setup: CLAUDE.md Foundation Created"),
        // Starts with hook progress and a file-history snapshot; the first prompt is the fourth record.
        ("short.jsonl", "mix phx.server doesnt seem to start"),
        ("tool_heavy.jsonl", "start phoenix in background"),
        ("4d5611e5-241a-462a-8d15-5122611a9569.jsonl",
         "Work on bead spotter-dov. Run bd show spotter-dov to see the issue details and…"),
        // Only a bare slash command, then its expansion (meta) and tool traffic.
        ("1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl", "/init"),
        // A slash command with arguments is the user's request; sidechain prompts come later.
        ("5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl", "/orchestrator @CLAUDE.md を最新の状態にアップデートしてください"),
        ("subagent.jsonl",
         "/handgemacht:create-beads websearch to learn how to fastest setup credo, dialyz…"),
        // Subagent logs: every record is a sidechain; meta hook reminders are skipped.
        ("agent-a2898e3.jsonl",
         "Very thorough exploration. I need to understand: 1. How `SessionLive` and `Suba…"),
        ("agent-acompact-e1f845.jsonl",
         "Your task is to create a detailed summary of the conversation so far, paying cl…"),
    ]

    /// SharedDirectoryTests runs this for each of `publishedTitles`.
    static func checkPublishedTitle(_ expected: (file: String, title: String)) throws {
        let file = try #require(SharedDirectory.publishedLogs.first { $0.lastPathComponent == expected.file })
        #expect(try SessionSummary.read(contentsOf: file.path).title == expected.title)
    }

    /// SharedDirectoryTests runs this.
    static func checkPublishedDetails() throws {
        let fixtures = SharedDirectory.publishedLogs
        func read(_ name: String) throws -> SessionSummary {
            try SessionSummary.read(contentsOf: #require(fixtures.first { $0.lastPathComponent == name }).path)
        }
        let viewer = try read("fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl")
        #expect(viewer.cwd == "/path/to/Demo")
        // The summary record on line 1 has no timestamp; the first one is on line 2.
        #expect(viewer.firstTimestamp == "2025-09-03T00:52:31.217Z")
        #expect(viewer.lastTimestamp == "2025-09-03T01:02:03.665Z")
        #expect(viewer.recordCount == 438)
        #expect(viewer.lastRecordType == "assistant")

        let short = try read("short.jsonl")
        #expect(short.id == "short")
        #expect(short.cwd == "/home/marco/projects/spotter")
        #expect(short.firstTimestamp == "2026-02-10T21:11:52.438Z")
        #expect(short.lastTimestamp == "2026-02-10T21:16:12.381Z")
        #expect(short.lastRecordType == "system")
        #expect(short.recordCount == 15)
        #expect(short.size == 10491)
    }

    /// The generated logs: their titles by the same rules.
    /// `agent`: nil for the session's own log, else which subagent log (`explore` or `compact`).
    static let expectedGeneratedTitles: [(session: String, agent: String?, title: String)] = [
        // Hook progress and a file-history snapshot come first; the prompt is the fourth record.
        ("short", nil, "the dev server exits right after starting, can you find out why?"),
        ("tool-heavy", nil, "cart totals are off by one cent when a coupon applies; fix it and add a test"),
        ("agents", nil, "Work on ticket SHOP-212: product search should ignore accents. Read /home/USER/…"),
        // Claude's own summary record, before a slash command with arguments.
        ("legacy", nil, "Notes App: Markdown Export Added"),
        // Subagent logs: every record is a sidechain; meta reminders are skipped.
        ("agents", "explore", "Find where products are searched in /home/USER/projects/shop-worktrees/search/s…"),
        ("agents", "compact", "Your task is to create a detailed summary of the conversation so far, paying cl…"),
        ("twelve-mb-line", nil, "dump every row of /home/USER/projects/big-data/data/orders.csv so I can see the…"),
        ("invalid-utf8", nil, "what is at the start of /home/USER/projects/firmware/build/boot.bin?"),
        ("half-written-last-line", nil, "rename /home/USER/projects/shop/src/money.ts to /home/USER/projects/shop/src/ce…"),
    ]

    @Test(arguments: expectedGeneratedTitles)
    func generatedTitles(_ expected: (session: String, agent: String?, title: String)) throws {
        let session = try #require(TestLogs.sessions.first { $0.name == expected.session })
        let relative = try expected.agent.map { agent in
            try #require(session.files.keys.first {
                $0.contains("/subagents/agent-") && $0.hasSuffix(".jsonl") && $0.contains("acompact") == (agent == "compact")
            })
        } ?? session.log
        let file = TestLogs.directory.appendingPathComponent(session.folder).appendingPathComponent(relative)
        #expect(try SessionSummary.read(contentsOf: file.path).title == expected.title)
    }

    @Test func generatedDetails() throws {
        func read(_ name: String) throws -> (id: String, summary: SessionSummary) {
            let session = try #require(TestLogs.sessions.first { $0.name == name })
            return (session.id, try SessionSummary.read(contentsOf: try TestLogs.log(name).path))
        }
        let (_, legacy) = try read("legacy")
        #expect(legacy.cwd == "/home/USER/projects/notes-app")
        // The summary record on line 1 has no timestamp; the first one is on line 2.
        #expect(legacy.firstTimestamp == "2025-09-04T01:05:01.286Z")
        #expect(legacy.lastTimestamp == "2025-09-04T01:07:23.072Z")
        #expect(legacy.recordCount == 68)
        #expect(legacy.lastRecordType == "assistant")

        let (id, short) = try read("short")
        #expect(short.id == id)
        #expect(short.cwd == "/home/USER/projects/shop")
        // Not the snapshot's own (nested) timestamp on line 1.
        #expect(short.firstTimestamp == "2026-03-02T09:14:00.186Z")
        #expect(short.lastTimestamp == "2026-03-02T09:14:20.969Z")
        #expect(short.lastRecordType == "system")
        #expect(short.recordCount == 14)
        #expect(short.size == 9486)

        // The cwd changes mid-session: the first one is the session's.
        let (_, agents) = try read("agents")
        #expect(agents.cwd == "/home/USER/projects/shop-worktrees/search")
        #expect(agents.recordCount == 239)

        // A half-written last line still counts as a record.
        let (_, half) = try read("half-written-last-line")
        #expect(half.recordCount == 3)
        #expect(half.size == 1743)
    }

    // MARK: Titles

    @Test func lastSummaryRecordWins() {
        let s = summary(of: log(
            #"{"type":"summary","summary":"Old name","leafUuid":"a"}"#,
            user(#""fix the build""#),
            #"{"type":"summary","summary":"Build  fixed\nfor good","leafUuid":"b"}"#,
            user(#""thanks""#)))
        #expect(s.title == "Build fixed for good")
    }

    @Test func customTitleWinsOverSummary() {
        let s = summary(of: log(
            #"{"type":"custom-title","customTitle":"my rename","sessionId":"s"}"#,
            #"{"type":"summary","summary":"Claude's name","leafUuid":"b"}"#,
            user(#""fix the build""#),
            #"{"type":"custom-title","customTitle":"  second   rename ","sessionId":"s"}"#))
        #expect(s.title == "second rename")
    }

    @Test func emptyNamesFallBack() {
        let s = summary(of: log(#"{"type":"summary","summary":"  ","leafUuid":"b"}"#, user(#""the prompt""#)))
        #expect(s.title == "the prompt")
    }

    @Test func firstTypedMessageSkipsMetaCommandsAndToolResults() {
        let s = summary(of: log(
            #"{"type":"file-history-snapshot","messageId":"m","snapshot":{"trackedFileBackups":{}}}"#,
            user(#""<local-command-caveat>Caveat: generated by local commands</local-command-caveat>""#,
                 extra: #""isMeta":true,"#),
            user(#""<command-name>/mcp</command-name>\n<command-message>mcp</command-message>\n<command-args></command-args>""#),
            user(#""<local-command-stdout>Reconnected to tidewave.</local-command-stdout>""#),
            user(#"[{"type":"text","text":"Expanded prompt of a command"}]"#, extra: #""isMeta":true,"#),
            user(#"[{"tool_use_id":"t","type":"tool_result","content":"No files found"}]"#),
            user(#"[{"type":"text","text":"[Request interrupted by user]"}]"#),
            user(#""<system-reminder>\nhook output\n</system-reminder>""#),
            user(#""This session is being continued from a previous conversation""#, extra: #""isCompactSummary":true,"#),
            user(#"[{"type":"image","source":{}},{"type":"text","text":"\n  why is\tthis   red?\n"}]"#),
            user(#""later prompt""#)))
        #expect(s.title == "why is this red?")
    }

    @Test func commandsWithArgumentsAreRequests() {
        let s = summary(of: log(
            user(#""<command-name>/clear</command-name>""#),
            user(#""<command-message>orchestrator is running…</command-message>\n<command-name>/orchestrator</command-name>\n<command-args>create a TODO app</command-args>""#),
            user(#""plain prompt""#)))
        #expect(s.title == "/orchestrator create a TODO app")
        let bare = summary(of: log(user(#""<command-message>init is analyzing…</command-message>\n<command-name>/init</command-name>""#)))
        #expect(bare.title == "/init")
    }

    @Test func mainConversationWinsOverSidechainsAndBareCommands() {
        let s = summary(of: log(
            user(#""<command-name>/init</command-name>""#),
            user(#""subagent task""#, extra: #""isSidechain":true,"#),
            user(#""the user's own words""#, extra: #""isSidechain":false,"#)))
        #expect(s.title == "the user's own words")
        let subagent = summary(of: log(
            user(#""<command-name>/init</command-name>""#),
            user(#""subagent task""#, extra: #""isSidechain":true,"#)))
        #expect(subagent.title == "subagent task")
    }

    @Test func longTitlesAreCutAt80Characters() throws {
        let long = String(repeating: "word ", count: 100)
        let title = try #require(summary(of: log(user("\"\(long)\""))).title)
        #expect(title.count == 80)
        #expect(title.hasSuffix("…"))
        #expect(title.hasPrefix("word word"))
        let exact = String(repeating: "x", count: 80)
        #expect(summary(of: log(user("\"\(exact)\""))).title == exact)
        let wide = String(repeating: "日本", count: 50)
        #expect(summary(of: log(user("\"\(wide)\""))).title == String(wide.prefix(79)) + "…")
    }

    @Test func escapesAreDecoded() {
        let s = summary(of: log(user(#""caf\u00e9 \ud83d\ude00 \"quoted\" back\\slash \ud800 tab\there""#)))
        #expect(s.title == "café 😀 \"quoted\" back\\slash \u{FFFD} tab here")
    }

    @Test func markersInsideConversationTextDoNotCount() {
        // The bytes of a summary record, quoted inside a message, are escaped and never a title.
        let s = summary(of: log(user(#""explain {\"type\":\"summary\",\"summary\":\"fake\"}""#)))
        #expect(s.title == #"explain {"type":"summary","summary":"fake"}"#)
        let nested = summary(of: log(
            #"{"type":"progress","data":{"type":"summary","summary":"nested"},"timestamp":"2026-01-01T00:00:00Z"}"#,
            user(#""real""#)))
        #expect(nested.title == "real")
    }

    // MARK: Fields

    @Test func cwdIsReportedAsWritten() {
        let s = summary(of: log(
            #"{"type":"summary","summary":"x","leafUuid":"a"}"#,
            #"{"type":"user","toolUseResult":{"cwd":"/nested"},"cwd":"{{PROJECTS}}/shop","message":{"role":"user","content":"hi"}}"#,
            #"{"type":"user","cwd":"/elsewhere","message":{"role":"user","content":"hi"}}"#))
        #expect(s.cwd == "{{PROJECTS}}/shop")
        #expect(s.firstTimestamp == nil && s.lastTimestamp == nil)
        #expect(s.lastRecordType == "user")
    }

    @Test func emptyLog() {
        let s = summary(of: [])
        #expect(s == SessionSummary(id: "s"))
        #expect(summary(of: Array("\n\n  \n".utf8)).recordCount == 0)
    }

    @Test func damagedLinesAreSkipped() {
        var bytes = log(
            "not json at all",
            user(#""first prompt""#, time: "2026-01-01T00:00:01Z"),
            #"{"type":"user","message":{"role":"user","content":"unterminated"#,
            "",
            #"{"type":"assistant","timestamp":"2026-01-01T00:00:02Z"}"#)
        bytes += [0x00, 0x00, 0x00, 0x00, 0x0A]                    // NUL padding
        bytes += [0xFF, 0xFE, 0x7B, 0x0A]                          // invalid UTF-8
        bytes += Array(#"{"type":"user","timestamp":"2026-01-01T00:00:09Z","mess"#.utf8)  // half-written
        let s = summary(of: bytes)
        #expect(s.title == "first prompt")
        #expect(s.firstTimestamp == "2026-01-01T00:00:01Z")
        #expect(s.lastTimestamp == "2026-01-01T00:00:02Z")
        #expect(s.lastRecordType == "assistant")
        #expect(s.recordCount == 6)
        #expect(s.size == bytes.count)
    }

    @Test func nulPaddingBeforeARecordAndFusedRecords() {
        let bytes = [0, 0, 0] + Array(#"{"type":"user","cwd":"/a","message":{"role":"user","content":"after padding"}}{"type":"system","timestamp":"2026-01-01T00:00:00Z"}"#.utf8)
        let s = summary(of: bytes)
        #expect(s.title == "after padding")
        #expect(s.cwd == "/a")
        #expect(s.lastRecordType == "system")
        #expect(s.recordCount == 1)
    }

    @Test func invalidUTF8InsideATitle() {
        let bytes = Array(#"{"type":"user","message":{"role":"user","content":"ok "#.utf8) + [0xC3, 0x28, 0xFF]
            + Array(#" done"}}"#.utf8)
        #expect(summary(of: bytes).title == "ok \u{FFFD}(\u{FFFD} done")
    }

    @Test func twelveMegabyteLineIsFast() throws {
        let huge = String(repeating: "a", count: 12 << 20)
        let bytes = log(
            user(#"[{"tool_use_id":"t","type":"tool_result","content":"\#(huge)"}]"#),
            user("\"\(huge)\"", time: "2026-01-01T00:00:00Z"),
            #"{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"\#(huge)"}]},"timestamp":"2026-01-01T00:00:05Z"}"#)
        let clock = ContinuousClock()
        var s: SessionSummary?
        let elapsed = clock.measure { s = summary(of: bytes) }
        let title = try #require(s?.title)
        #expect(title == String(repeating: "a", count: 79) + "…")
        #expect(s?.lastTimestamp == "2026-01-01T00:00:05Z")
        #expect(s?.recordCount == 3)
        #expect(elapsed < .seconds(3), "\(elapsed) for 36 MB (debug build)")
    }

    @Test func readsFilesAndNamesThemById() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccsync-summary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("0b1c2d3e-aaaa.jsonl")
        try Data(log(user(#""hello""#))).write(to: file)
        let s = try SessionSummary.read(contentsOf: file.path)
        #expect(s.id == "0b1c2d3e-aaaa")
        #expect(s.title == "hello")
        #expect(SessionSummary.id(forFile: "/x/y/abc.jsonl") == "abc")
        #expect(SessionSummary.id(forFile: "abc") == "abc")
        #expect(throws: FileIOError.self) { try SessionSummary.read(contentsOf: dir.appendingPathComponent("missing.jsonl").path) }
    }

    @Test func codableRoundTrip() throws {
        let s = SessionSummary(id: "a", cwd: "{{PROJECTS}}/shop", title: "t", firstTimestamp: "2026-01-01T00:00:00Z",
                               lastTimestamp: "2026-01-01T00:00:01Z", recordCount: 2, size: 10, lastRecordType: "user")
        let data = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(SessionSummary.self, from: data) == s)
    }

    /// Arbitrary bytes, JSON fragments and damage in any mix: reading never traps, and the title stays one
    /// short line.
    @Test func anyBytesAreSafe() async {
        let fragments: [[UInt8]] = [
            #"{"type":"user","message":{"role":"user","content":"#, #""text""#, #"[{"type":"text","text":"#,
            #"{"type":"summary","summary":"#, #"{"type":"custom-title","customTitle":"#, "}", "]", "}}", "\n",
            #""timestamp":"2026-01-01T00:00:00Z""#, #""cwd":"/a""#, ",", ":", "\"", "\\", "\\u", "\\ud83d",
            "\\n", "<command-name>", "[", "{", " ", "true",
        ].map { Array($0.utf8) } + [[0x00], [0xFF], [0xC3], [0xE2, 0x82]]
        let input = Gen.int(in: 0...(fragments.count + 255)).array(of: 0...40)
        await propertyCheck(count: 3000, input: input) { picks in
            var bytes: [UInt8] = []
            for pick in picks {
                if pick < fragments.count { bytes += fragments[pick] } else { bytes.append(UInt8(pick - fragments.count)) }
            }
            let s = SessionSummary.read(from: bytes, id: "x")
            #expect(s.size == bytes.count)
            #expect((s.title ?? "").count <= 80)
            #expect(!(s.title ?? "").contains("\n"))
        }
    }
}
