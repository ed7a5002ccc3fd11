import CCSyncCore
import Foundation
import PropertyBased
import Testing

/// The rendering of a log as lines, without the final newline's empty element.
private func rendered(_ text: String) -> [String] {
    rendered(Array(text.utf8))
}

private func rendered(_ bytes: [UInt8]) -> [String] {
    let text = SessionRenderer.render(bytes)
    #expect(text.isEmpty || text.hasSuffix("\n"))
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

private func render(_ line: String) -> String {
    let lines = rendered(line + "\n")
    #expect(lines.count == 1, "\(lines)")
    return lines.first ?? ""
}

/// The byte offsets just after each `\n`.
private func lineEnds(_ bytes: [UInt8]) -> [Int] {
    bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
}

/// `git-ccsync textconv`: a log as one readable line per record, line-local so diffs stay small.
struct SessionRendererTests {
    // MARK: Whole logs (generated here; published ones in SharedDirectoryTests)

    @Test(arguments: TestLogs.wellFormed)
    func everyRecordOfALogIsOneReadableLine(_ file: URL) throws {
        try Self.checkEveryRecordIsOneReadableLine(file)
    }

    static func checkEveryRecordIsOneReadableLine(_ file: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: file))
        let lines = rendered(bytes)
        #expect(lines.count == bytes.split(separator: 0x0A).count)
        for line in lines {
            #expect(line.wholeMatch(of: /(\d\d:\d\d:\d\d|-       )  [a-z-]+(  .*)?/) != nil, "\(line)")
            #expect(!line.hasPrefix("! malformed"))
            #expect(line.count <= 8 + 2 + 21 + 2 + 40 + 2 + 120)
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
            #expect(!line.hasSuffix(" "))
        }
        #expect(SessionRenderer.render(bytes) == SessionRenderer.render(bytes), "deterministic")
    }

    /// Appending lines to a log appends lines to its rendering and changes none before them, so
    /// `git log -p` shows a grown conversation as added lines only: the rendering of a log is the
    /// rendering of its lines, each on its own, one after the other.
    @Test(arguments: TestLogs.all)
    func appendingRecordsOnlyAppendsRenderedLines(_ file: URL) throws {
        try Self.checkAppendingRecordsOnlyAppendsRenderedLines(file)
    }

    static func checkAppendingRecordsOnlyAppendsRenderedLines(_ file: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: file))
        let whole = SessionRenderer.render(bytes)
        var starts = [0] + lineEnds(bytes)
        if starts.last != bytes.count { starts.append(bytes.count) }
        let perLine = zip(starts, starts.dropFirst()).map { SessionRenderer.render(Array(bytes[$0..<$1])) }
        #expect(perLine.joined() == whole)
        #expect(perLine.allSatisfy { $0.split(separator: "\n").count == 1 })
        // Whole prefixes and suffixes, cut at a few places.
        for index in Set([0, 1, perLine.count / 3, perLine.count / 2, perLine.count - 1]) where index < perLine.count {
            let cut = starts[index + 1]
            #expect(SessionRenderer.render(Array(bytes[..<cut])) == perLine[...index].joined(), "cut after line \(index + 1)")
            #expect(SessionRenderer.render(Array(bytes[cut...])) == perLine[(index + 1)...].joined())
        }
    }

    /// The published `short.jsonl` (SharedDirectoryTests runs this).
    static func checkPublishedShortLines(_ file: URL) throws {
        let lines = rendered(try [UInt8](Data(contentsOf: file)))
        #expect(Array(lines.prefix(4)) == [
            "-         file-history-snapshot  -  0 tracked files",
            "21:11:52  progress  hook_progress  SessionStart:startup",
            "21:11:52  progress  hook_progress  SessionStart:startup",
            "21:11:56  user  user  mix phx.server doesnt seem to start",
        ])
        #expect(lines.contains("21:12:01  assistant  assistant  tool_use: Bash mix phx.server 2>&1 | head -80"))
        #expect(lines.contains("21:12:01  assistant  assistant  tool_use: Glob mix.exs"))
        #expect(lines.contains("21:12:02  user  user  [Request interrupted by user for tool use]"))
        #expect(lines.last == "21:16:12  system  local_command  <local-command-stdout>Kept model as Default (recommended)</local-command-stdout>")
    }

    @Test func generatedShortLogLines() throws {
        let lines = rendered(try [UInt8](Data(contentsOf: try TestLogs.log("short"))))
        #expect(lines == [
            "-         file-history-snapshot  -  0 tracked files",
            "09:14:00  progress  hook_progress  SessionStart:startup",
            "09:14:02  progress  hook_progress  SessionStart:startup",
            "09:14:03  user  user  the dev server exits right after starting, can you find out why?",
            "09:14:05  assistant  assistant  thinking: The user says the dev server exits. Start it and read what it prints.",
            "09:14:05  assistant  assistant  tool_use: Bash cd /home/USER/projects/shop && npm run dev 2>&1 | head -60",
            "09:14:06  user  user  tool_result: > shop@0.4.1 dev…",
            "09:14:08  assistant  assistant  tool_use: Glob config/*.json",
            "09:14:09  user  user  tool_result: /home/USER/projects/shop/config/default.json…",
            "09:14:12  assistant  assistant  The server reads `config/local.json`, which is missing: only `default.json` and `test.json` exist in /home/USER/project…",
            "09:14:15  assistant  assistant  tool_use: Bash cp /home/USER/projects/shop/config/default.json /home/USER/projects/shop/config/local.json",
            "09:14:18  user  user  [Request interrupted by user for tool use]",
            "09:14:19  system  local_command  <command-name>/model</command-name> <command-message>model</command-message> <command-args></command-args>",
            "09:14:20  system  local_command  <local-command-stdout>Kept model as Default</local-command-stdout>",
        ])
    }

    // MARK: Record kinds

    @Test func messages() {
        #expect(render(#"{"type":"user","message":{"role":"user","content":"  fix\n\tthe   build  "},"timestamp":"2026-02-10T21:11:56.123Z"}"#)
            == "21:11:56  user  user  fix the build")
        #expect(render(#"{"type":"assistant","message":{"role":"assistant","content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"Done."}]},"timestamp":"2026-02-10T21:11:57Z"}"#)
            == "21:11:57  assistant  assistant  Done.")
        #expect(render(#"{"type":"assistant","message":{"role":"assistant","content":[{"type":"thinking","thinking":"let me see\nmore"}]}}"#)
            == "-         assistant  assistant  thinking: let me see more")
        #expect(render(#"{"type":"user","isMeta":true,"isSidechain":true,"message":{"role":"user","content":"expanded"}}"#)
            == "-         user  user(meta,sidechain)  expanded")
        #expect(render(#"{"type":"user","message":{"role":"user","content":[{"type":"image","source":{"data":"..."}}]}}"#)
            == "-         user  user  image")
        #expect(render(#"{"type":"user","message":{"role":"user","content":[]}}"#) == "-         user  user")
        #expect(render(#"{"type":"assistant"}"#) == "-         assistant  assistant")
    }

    @Test func toolUseShowsTheToolAndWhatItTouches() {
        func use(_ name: String, _ input: String) -> String {
            render(#"{"type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"\#(name)","input":\#(input)}]},"timestamp":"2026-01-01T10:00:00Z"}"#)
        }
        #expect(use("Read", #"{"file_path":"/home/a/x.swift","limit":5}"#) == "10:00:00  assistant  assistant  tool_use: Read /home/a/x.swift")
        #expect(use("Bash", #"{"description":"Show status","command":"git status\n&& ls"}"#)
            == "10:00:00  assistant  assistant  tool_use: Bash git status && ls")
        #expect(use("Grep", #"{"path":"/src","pattern":"TODO"}"#) == "10:00:00  assistant  assistant  tool_use: Grep TODO")
        #expect(use("Custom", #"{"n":1,"zeta":"first string"}"#) == "10:00:00  assistant  assistant  tool_use: Custom first string")
        #expect(use("TodoWrite", #"{"todos":[{"content":"x"}]}"#) == "10:00:00  assistant  assistant  tool_use: TodoWrite")
    }

    @Test func toolResultShowsItsFirstLine() {
        func result(_ block: String) -> String {
            render(#"{"type":"user","message":{"role":"user","content":[\#(block)]}}"#)
        }
        #expect(result(#"{"tool_use_id":"t","type":"tool_result","content":"\n\n  first line\nsecond"}"#)
            == "-         user  user  tool_result: first line…")
        #expect(result(#"{"tool_use_id":"t","type":"tool_result","content":"only line"}"#)
            == "-         user  user  tool_result: only line")
        #expect(result(#"{"tool_use_id":"t","type":"tool_result","content":[{"type":"text","text":"Summary:\nbody"}]}"#)
            == "-         user  user  tool_result: Summary:…")
        #expect(result(#"{"type":"tool_result","content":"boom","is_error":true,"tool_use_id":"t"}"#)
            == "-         user  user  tool_result (error): boom")
        #expect(result(#"{"tool_use_id":"t","type":"tool_result","content":""}"#) == "-         user  user  tool_result:")
    }

    @Test func otherRecordTypes() {
        #expect(render(#"{"type":"summary","summary":"Fixing the build","leafUuid":"x"}"#) == "-         summary  -  Fixing the build")
        #expect(render(#"{"type":"custom-title","customTitle":"my name","sessionId":"s"}"#) == "-         custom-title  -  my name")
        #expect(render(#"{"type":"system","subtype":"compact_boundary","content":"Conversation compacted","timestamp":"2026-02-12T20:30:28.504Z"}"#)
            == "20:30:28  system  compact_boundary  Conversation compacted")
        #expect(render(#"{"type":"system","subtype":"turn_duration","durationMs":3,"timestamp":"2026-02-12T20:30:28.504Z"}"#)
            == "20:30:28  system  turn_duration")
        #expect(render(#"{"type":"progress","data":{"type":"hook_progress","hookEvent":"PreToolUse","hookName":"PreToolUse:Bash"},"timestamp":"2026-02-12T16:02:29.000Z"}"#)
            == "16:02:29  progress  hook_progress  PreToolUse:Bash")
        #expect(render(#"{"type":"progress","data":{"type":"bash_progress","output":"\n  compiling 3 files\nmore"},"timestamp":"2026-02-12T16:02:29.000Z"}"#)
            == "16:02:29  progress  bash_progress  compiling 3 files…")
        #expect(render(#"{"type":"progress","data":{"message":{"type":"user","message":{"role":"user","content":[{"type":"text","text":"subagent prompt"}]}},"type":"agent_progress"}}"#)
            == "-         progress  agent_progress  subagent prompt")
        #expect(render(#"{"type":"queue-operation","operation":"enqueue","timestamp":"2026-02-10T22:57:58.000Z","content":"/mcp"}"#)
            == "22:57:58  queue-operation  enqueue  /mcp")
        #expect(render(#"{"type":"file-history-snapshot","messageId":"m","snapshot":{"trackedFileBackups":{"a":{},"b":{}}}}"#)
            == "-         file-history-snapshot  -  2 tracked files")
    }

    @Test func unknownTypesShowOnlyTheirType() {
        #expect(render(#"{"type":"agent-name","name":"x","timestamp":"2026-01-01T01:02:03Z"}"#) == "01:02:03  agent-name")
        #expect(render(#"{"type":"brand new\nthing"}"#) == "-         brand new thing")
        #expect(render(#"{"uuid":"u"}"#) == "-         ?")
        #expect(render(#"{"type":3,"timestamp":"yesterday"}"#) == "-         ?")
        #expect(render(#"{"type":" ","timestamp":"2026-01-01T01:02:03Z"}"#) == "01:02:03  ?")
    }

    // MARK: Text

    @Test func excerptsAreOneLineOfAtMost120Characters() throws {
        let long = String(repeating: "ab ", count: 100)
        let line = render(#"{"type":"user","message":{"role":"user","content":"\#(long)"}}"#)
        let excerpt = try #require(line.split(separator: "  ").last)
        #expect(excerpt.count == 120)
        #expect(excerpt.hasSuffix("…"))
        // Terminal colours go, other control characters become U+FFFD.
        #expect(render(#"{"type":"user","message":{"role":"user","content":"\u001b[32mgreen\u001b[0m bell\u0007 nul\u0000"}}"#)
            == "-         user  user  green bell\u{FFFD} nul\u{FFFD}")
        // Unicode line separators are whitespace too.
        #expect(render(#"{"type":"user","message":{"role":"user","content":"a\u2028b\u0085c"}}"#) == "-         user  user  a b c")
    }

    // MARK: Damage

    @Test func malformedLinesShowTheirFirstBytes() {
        #expect(render("not json") == "! malformed: not json")
        let long = #"{"type":"user","message":{"role":"user","content":"a half-written line that goes on and on"#
        #expect(render(long) == "! malformed: " + String(long.prefix(60)))
        #expect(rendered(Array("\u{FF}\u{01}x".utf8)) == ["! malformed: \u{FF}\\x01x"])
        #expect(rendered([0x41, 0x00, 0xFF, 0x0A]) == ["! malformed: A\\0\u{FFFD}"])
        #expect(render("[1,2]") == "! malformed: [1,2]")
        #expect(rendered(#"{"type":"user"}]"# + "\n") == ["-         user  user", "! malformed: ]"])
    }

    @Test func blankLinesAndPaddingRenderNothing() {
        #expect(SessionRenderer.render([]) == "")
        #expect(SessionRenderer.render(Array("\n\n   \n\r\n".utf8)) == "")
        #expect(SessionRenderer.render([0, 0, 0, 0, 0x0A, 0, 0]) == "")
        let padded: [UInt8] = [0, 0] + Array(#"{"type":"summary","summary":"s"}"#.utf8) + [0x0D, 0x0A]
        #expect(rendered(padded) == ["-         summary  -  s"])
    }

    @Test func fusedRecordsRenderOneLineEach() {
        #expect(rendered(#"{"type":"summary","summary":"one"}{"type":"summary","summary":"two"} junk"# + "\n")
            == ["-         summary  -  one", "-         summary  -  two", "! malformed: junk"])
    }

    @Test func halfWrittenLastLine() {
        let lines = rendered(#"{"type":"summary","summary":"one"}"# + "\n" + #"{"type":"user","mess"#)
        #expect(lines == ["-         summary  -  one", #"! malformed: {"type":"user","mess"#])
    }

    @Test func twelveMegabyteLineIsFast() throws {
        let huge = String(repeating: "x", count: 12 << 20)
        let bytes = Array((#"{"type":"user","message":{"role":"user","content":[{"tool_use_id":"t","type":"tool_result","content":"\#(huge)"}]},"toolUseResult":{"stdout":"\#(huge)"},"timestamp":"2026-01-01T00:00:00Z"}"# + "\n").utf8)
        let clock = ContinuousClock()
        var lines: [String] = []
        let elapsed = clock.measure { lines = rendered(bytes) }
        #expect(lines == ["00:00:00  user  user  tool_result: " + String(repeating: "x", count: 120 - 14) + "…"])
        #expect(elapsed < .seconds(3), "\(elapsed) for a 24 MB line (debug build)")
    }

    @Test func deeplyNestedLinesDoNotExhaustTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(render(#"{"type":"x","v":\#(deep)}"#) == "-         x")
        #expect(render(#"{"type":"x","v":[}"#) == #"! malformed: {"type":"x","v":[}"#)
    }

    /// Any bytes: rendering never traps, every piece of output is one line, and it is line-local.
    @Test func anyBytesRenderLineLocally() async {
        let fragments: [[UInt8]] = [
            #"{"type":"user","message":{"role":"user","content":"#, #""text""#, #"[{"type":"text","text":"#,
            #"{"type":"tool_use","name":"Bash","input":{"command":"#, #"{"type":"tool_result","content":"#,
            #"{"type":"summary","summary":"#, "}", "]", "}}", "\n", #""timestamp":"2026-01-01T00:00:00Z""#, ",",
            ":", "\"", "\\", "\\u", "\\ud83d", "\\n", "\\u001b[3", "[", "{", " ", "true",
        ].map { Array($0.utf8) } + [[0x00], [0xFF], [0xC3], [0xE2, 0x82], [0x1B]]
        let input = Gen.int(in: 0...(fragments.count + 255)).array(of: 0...40)
        await propertyCheck(count: 3000, input: input) { picks in
            var bytes: [UInt8] = []
            for pick in picks {
                if pick < fragments.count { bytes += fragments[pick] } else { bytes.append(UInt8(pick - fragments.count)) }
            }
            let whole = SessionRenderer.render(bytes)
            #expect(whole.isEmpty || whole.hasSuffix("\n"))
            #expect(!whole.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F })
            if let cut = bytes.firstIndex(of: 0x0A) {
                let head = SessionRenderer.render(Array(bytes[...cut]))
                let tail = SessionRenderer.render(Array(bytes[(cut + 1)...]))
                #expect(head + tail == whole)
            }
        }
    }
}
