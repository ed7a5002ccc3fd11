import CCSyncCore
import Foundation
import PropertyBased
import Testing

/// Claude Code's settings.json edited in place: our hook groups go in and out, every other byte of the
/// user's file stays, and the result is always JSON Claude can read.
struct ClaudeSettingsEditorTests {
    static let groups = ClaudeHookEntries.groups(executable: "/usr/local/bin/git-ccsync", directory: nil)

    static func parses(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    static func installed(_ text: String) throws -> [UInt8] {
        var editor = try ClaudeSettingsEditor(bytes: Array(text.utf8))
        editor.install(groups)
        return editor.bytes
    }

    static func commands(_ settings: [String: Any], _ event: String) -> [String] {
        let hooks = settings["hooks"] as? [String: Any]
        let list = hooks?[event] as? [[String: Any]] ?? []
        return list.flatMap { ($0["hooks"] as? [[String: Any]] ?? []).compactMap { $0["command"] as? String } }
    }

    /// Files users have: empty object, one line, pretty with 2 or 4 spaces or tabs, their own hooks on
    /// the same events and on others, CRLF line ends, a trailing newline or none.
    static let samples = [
        "{}",
        "{}\n",
        #"{"model":"opus"}"#,
        "{\n  \"model\": \"opus\"\n}\n",
        "{\n    \"permissions\": {\n        \"allow\": [\"Bash(ls:*)\"]\n    },\n    \"hooks\": {\n        \"SessionStart\": [\n            {\"matcher\": \"resume\", \"hooks\": [{\"type\": \"command\", \"command\": \"echo mine\"}]}\n        ]\n    }\n}\n",
        "{\n\t\"hooks\": {\n\t\t\"PreToolUse\": [{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"guard.sh\"}]}]\n\t},\n\t\"env\": {\"A\": \"1\"}\n}",
        "{\r\n  \"hooks\": {\r\n    \"Stop\": [{\"hooks\": []}]\r\n  }\r\n}\r\n",
        #"{"hooks":{"SessionStart":[{"hooks":[{"type":"command","command":"one"}]},{"hooks":[{"type":"command","command":"two"}]}]},"x":[1,2,{"y":null}]}"#,
        "  { \"hooks\" : { } , \"z\" : true }  ",
    ]

    @Test(arguments: samples)
    func installThenUninstallGivesBackTheFile(_ sample: String) throws {
        let withHooks = try Self.installed(sample)
        let parsed = try #require(Self.parses(withHooks), "not JSON after install:\n\(String(decoding: withHooks, as: UTF8.self))")
        for hook in ClaudeHookEntries.all {
            let ours = Self.commands(parsed, hook.event).filter { $0.contains(ClaudeHookEntries.marker) }
            #expect(ours == ["'/usr/local/bin/git-ccsync' hook \(hook.name)"] || ours == ["/usr/local/bin/git-ccsync hook \(hook.name)"],
                    "\(hook.event): \(ours)")
        }
        // Everything the user had is still there, value for value.
        let before = try #require(Self.parses(Array(sample.utf8)))
        for (key, value) in before where key != "hooks" {
            #expect(parsed[key].map { String(describing: $0) } == String(describing: value), "\(key) changed")
        }
        for event in (before["hooks"] as? [String: Any] ?? [:]).keys {
            let mine = Self.commands(before, event)
            #expect(Array(Self.commands(parsed, event).prefix(mine.count)) == mine, "the user's \(event) hooks changed")
        }
        var editor = try ClaudeSettingsEditor(bytes: withHooks)
        editor.uninstall()
        let expected = sample == "  { \"hooks\" : { } , \"z\" : true }  " ? "  { \"z\" : true }  " : sample
        #expect(String(decoding: editor.bytes, as: UTF8.self) == expected)
    }

    @Test(arguments: samples)
    func installIsIdempotentAndReplacesOurOwnOnly(_ sample: String) throws {
        let once = try Self.installed(sample)
        var again = try ClaudeSettingsEditor(bytes: once)
        again.install(Self.groups)
        #expect(again.bytes == once)
        // Another binary's path: our groups are replaced, not added to.
        var moved = try ClaudeSettingsEditor(bytes: once)
        moved.install(ClaudeHookEntries.groups(executable: "/opt/bin/git-ccsync", directory: "/srv/sync copy"))
        let parsed = try #require(Self.parses(moved.bytes))
        let ours = Self.commands(parsed, "SessionStart").filter { $0.contains(ClaudeHookEntries.marker) }
        #expect(ours == ["/opt/bin/git-ccsync hook claude-session-start --dir '/srv/sync copy'"])
    }

    @Test func theUsersOwnHookStaysByteForByte() throws {
        let mine = #"{ "matcher": "resume",  "hooks": [ { "type": "command", "command": "echo \"mine\"" } ] }"#
        let sample = "{\n  \"hooks\": {\n    \"SessionStart\": [\n      \(mine)\n    ]\n  }\n}\n"
        let text = String(decoding: try Self.installed(sample), as: UTF8.self)
        #expect(text.contains("\n      " + mine + ",\n      {\"hooks\": [{\"type\": \"command\""))
    }

    @Test(arguments: ["", "{", "[]", "{\"hooks\": }", "{\"a\": 1,}", "// comment\n{}", "{\"a\": 1} x"])
    func notAnObjectIsRefused(_ text: String) {
        if text.isEmpty {
            // An empty file is a new one.
            #expect((try? ClaudeSettingsEditor(bytes: [])) != nil)
            return
        }
        #expect(throws: ClaudeHookError.self) { try ClaudeSettingsEditor(bytes: Array(text.utf8)) }
    }

    /// A list the user left empty and we filled goes with our group on uninstall (nothing says it was
    /// the user's); the rest of the file is as it was.
    @Test func anEmptyListWeFilledGoesWithUs() throws {
        var editor = try ClaudeSettingsEditor(bytes: Array("{\n  \"hooks\": {\n    \"Stop\": []\n  },\n  \"a\": 1\n}\n".utf8))
        editor.install(Self.groups)
        editor.uninstall()
        #expect(String(decoding: editor.bytes, as: UTF8.self) == "{\n  \"a\": 1\n}\n")
    }

    @Test func disableAllHooksIsSeen() throws {
        #expect(try ClaudeSettingsEditor(bytes: Array(#"{"disableAllHooks": true}"#.utf8)).hooksDisabled)
        #expect(try !ClaudeSettingsEditor(bytes: Array(#"{"hooks": {"disableAllHooks": true}}"#.utf8)).hooksDisabled)
    }

    /// Generated files of objects, lists and the user's hook groups, in varied spacing: install keeps
    /// them JSON, and uninstall gives back each byte.
    @Test func generatedSettingsRoundTrip() async {
        let spaces = ["", " ", "\n", "\n  ", "\n    ", "\t", "\r\n"]
        let pick = Gen.int(in: 0...(spaces.count - 1))
        let events = ["SessionStart", "Stop", "PreToolUse", "UserPromptSubmit", "Notification"]
        await propertyCheck(count: 300, input: pick.array(of: 8...8), Gen.int(in: 0...31)) { gaps, shape in
            let g = gaps.map { spaces[$0] }
            var members: [String] = []
            if shape & 1 != 0 { members.append("\"model\":\(g[0])\"opus\"") }
            if shape & 2 != 0 {
                var hooks: [String] = []
                for (i, event) in events.enumerated() where shape & (1 << ((i % 3) + 2)) != 0 {
                    hooks.append("\"\(event)\":\(g[1])[\(g[2]){\"hooks\":[{\"type\":\"command\",\"command\":\"u\(i)\"}]}\(g[3])]")
                }
                members.append("\"hooks\":\(g[4]){\(g[5])" + hooks.joined(separator: ",\(g[6])") + "\(g[5])}")
            }
            if shape & 16 != 0 { members.append("\"env\":{\"K\":\"v\"}") }
            let text = "{" + g[7] + members.joined(separator: "," + g[7]) + g[7] + "}\n"
            guard let withHooks = try? Self.installed(text), Self.parses(withHooks) != nil,
                  var editor = try? ClaudeSettingsEditor(bytes: withHooks) else {
                #expect(Bool(false), "install broke:\n\(text)")
                return
            }
            editor.uninstall()
            let hadEmptyHooks = shape & 2 != 0 && !(0..<events.count).contains { shape & (1 << (($0 % 3) + 2)) != 0 }
            // An object with nothing in it comes back as `{}` whatever spacing it had inside.
            if !hadEmptyHooks && !members.isEmpty {
                #expect(String(decoding: editor.bytes, as: UTF8.self) == text)
            } else {
                #expect(Self.parses(editor.bytes) != nil)
            }
        }
    }
}

/// What a refused or stale run wrote is taken back; what the remote brought meanwhile stays.
struct ClaudeRunDisposalTests {
    static func bytes(_ lines: [String]) -> [UInt8] { Array(lines.map { $0 + "\n" }.joined().utf8) }

    @Test func appendedRowsGoBackToTheSnapshot() {
        let snapshot = Self.bytes(["a", "b"])
        let current = Self.bytes(["a", "b", "refused prompt", "cost-state"])
        #expect(ClaudeRunDisposal.restored(current: current, snapshot: snapshot, known: snapshot) == snapshot)
        #expect(ClaudeRunDisposal.restored(current: snapshot, snapshot: snapshot, known: []) == nil)
    }

    @Test func linesThatCameFromTheRemoteStay() {
        let snapshot = Self.bytes(["a", "b"])
        let current = Self.bytes(["a", "b", "refused", "from remote", "exit row"])
        let known = Self.bytes(["a", "b", "from remote"])
        #expect(ClaudeRunDisposal.restored(current: current, snapshot: snapshot, known: known) == Self.bytes(["a", "b", "from remote"]))
    }

    @Test func aRewrittenFileGetsTheSnapshotBack() {
        let snapshot = Self.bytes(["a", "b"])
        let current = Self.bytes(["b", "x"])
        #expect(ClaudeRunDisposal.restored(current: current, snapshot: snapshot, known: snapshot) == snapshot)
    }
}

/// Claude's hook JSON in, our reply out.
struct ClaudeHookIOTests {
    @Test func inputIsReadAndUnknownFieldsIgnored() throws {
        let text = #"{"session_id":"1af7fc5e-8455-4414-9ccd-011d40f70b2a","transcript_path":"/h/.claude/projects/-p/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl","cwd":"/p","hook_event_name":"SessionStart","source":"resume","model":{"id":"x"},"context_tokens":5}"#
        let input = try ClaudeHookInput(parsing: Array(text.utf8))
        #expect(input.sessionID == "1af7fc5e-8455-4414-9ccd-011d40f70b2a" && input.source == "resume" && input.cwd == "/p")
    }

    @Test(arguments: [#"{"session_id":"../../etc"}"#, "not json", #"{"cwd":"/p"}"#])
    func badInputIsRefused(_ text: String) {
        #expect(throws: ClaudeHookError.self) { try ClaudeHookInput(parsing: Array(text.utf8)) }
    }

    @Test func aBlockedPromptIsSuppressed() throws {
        let json = ClaudeHookReply.blockPrompt("locked \"here\"").json
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(parsed["decision"] as? String == "block" && parsed["reason"] as? String == "locked \"here\"")
        let specific = parsed["hookSpecificOutput"] as? [String: Any]
        #expect(specific?["hookEventName"] as? String == "UserPromptSubmit" && specific?["suppressOriginalPrompt"] as? Bool == true)
        #expect(ClaudeHookReply(systemMessage: "m").json == #"{"systemMessage":"m"}"#)
    }
}
