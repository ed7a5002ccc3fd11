/// Claude Code session logs made up for the tests, in Claude Code's real format, with every shape the
/// published logs show: prompts and slash commands, thinking, tool calls and their structured results,
/// hook/bash/agent progress, `file-history-snapshot`, `queue-operation`, `summary`, a compaction (compact
/// boundary and summary, and the compaction agent's own log), subagent logs with their `.meta.json`,
/// tool output saved in `<id>/tool-results/`, project memory, a `cwd` that changes mid-session; and the
/// odd logs crashes and big outputs leave: a 12 MB single line, invalid UTF-8, a half-written last line.
///
/// Every conversation is invented. The machine's absolute paths (its projects folder and home) appear in
/// `cwd`, tool inputs, tool results and free text, so that path translation is exercised everywhere.
/// The same machine paths always give the same bytes.

/// The machine a log is written on: its home and the folder its projects live in.
public struct LogMachine: Sendable, Hashable {
    public let home: String
    public let projects: String

    public init(home: String, projects: String) {
        self.home = home
        self.projects = projects
    }

    /// Claude Code's folder name for a cwd: every character but an ASCII letter or digit becomes `-`.
    public static func folderName(forCwd cwd: String) -> String {
        String(cwd.utf16.map { unit -> Character in
            let isAlnum = (0x30...0x39).contains(unit) || (0x41...0x5A).contains(unit) || (0x61...0x7A).contains(unit)
            return isAlnum ? Character(Unicode.Scalar(UInt8(unit))) : "-"
        })
    }
}

/// One session as Claude Code keeps it in a project folder: its log and the files beside it.
public struct GeneratedSession: Sendable {
    /// The tests' name for it: `short`, `tool-heavy`, `agents`, `legacy`, `twelve-mb-line`, ...
    public let name: String
    public let id: String
    /// The first `cwd` it records (the project folder is named after it).
    public let cwd: String
    /// Paths inside the project folder (`<id>.jsonl`, `<id>/subagents/agent-*.jsonl`, `.meta.json`,
    /// `<id>/tool-results/*`, `memory/*.md`) and their bytes.
    public let files: [String: [UInt8]]
    /// Every line of every `.jsonl` file is a JSON object, each ending in `\n`.
    public let isWellFormed: Bool

    public var log: String { id + ".jsonl" }
    public var logBytes: [UInt8] { files[log] ?? [] }
    public var folder: String { LogMachine.folderName(forCwd: cwd) }
}

public enum GeneratedSessions {
    /// The well-formed sessions, then the odd ones.
    public static func all(for machine: LogMachine) -> [GeneratedSession] {
        wellFormed(for: machine) + odd(for: machine)
    }

    public static func wellFormed(for machine: LogMachine) -> [GeneratedSession] {
        [short(machine), toolHeavy(machine), agents(machine), legacy(machine)]
    }

    public static func odd(for machine: LogMachine) -> [GeneratedSession] {
        [twelveMegabyteLine(machine), invalidUTF8(machine), halfWrittenLastLine(machine)]
    }

    public static func named(_ name: String, for machine: LogMachine) -> GeneratedSession? {
        all(for: machine).first { $0.name == name }
    }

    // MARK: short

    /// A short modern session: hooks, a snapshot, a prompt, a few tool calls, an interruption, `/model`.
    static func short(_ m: LogMachine) -> GeneratedSession {
        var random = SeededRandom(seed: 0x5407)
        let id = random.uuid()
        let cwd = m.projects + "/shop"
        let w = LogWriter(random: random, sessionID: id, cwd: cwd, version: "2.1.38", gitBranch: "main",
                          day: "2026-03-02", startSeconds: 9 * 3600 + 14 * 60)
        let first = w.uuid()
        w.snapshot(for: first)
        w.hookProgress(event: "SessionStart", name: "SessionStart:startup", command: m.home + "/.claude/hooks/session-start.sh")
        w.hookProgress(event: "SessionStart", name: "SessionStart:startup", command: "notify-send 'claude started'")
        w.prompt("the dev server exits right after starting, can you find out why?")
        w.assistant(w.thinking("The user says the dev server exits. Start it and read what it prints."))
        let run = w.toolUse("Bash", #"{"command":"cd \#(cwd) && npm run dev 2>&1 | head -60","description":"Start the dev server and show its output","timeout":30000}"#)
        w.toolResult(run, "> shop@0.4.1 dev\n> node server/index.js\n\nError: ENOENT: no such file or directory, open '\(cwd)/config/local.json'\n    at Object.openSync (node:fs:573:3)\n    at loadConfig (\(cwd)/server/config.js:12:21)",
                     toolUseResult: #"{"stdout":\#(q("Error: ENOENT: no such file or directory, open '\(cwd)/config/local.json'")),"stderr":"","interrupted":false,"isImage":false}"#)
        let glob = w.toolUse("Glob", #"{"pattern":"config/*.json","path":\#(q(cwd))}"#)
        w.toolResult(glob, "\(cwd)/config/default.json\n\(cwd)/config/test.json",
                     toolUseResult: #"{"filenames":[\#(q(cwd + "/config/default.json")),\#(q(cwd + "/config/test.json"))],"durationMs":14,"numFiles":2,"truncated":false}"#)
        w.assistant(w.text("The server reads `config/local.json`, which is missing: only `default.json` and `test.json` exist in \(cwd)/config. Copy the default one:\n\n    cp \(cwd)/config/default.json \(cwd)/config/local.json"))
        _ = w.toolUse("Bash", #"{"command":"cp \#(cwd)/config/default.json \#(cwd)/config/local.json","description":"Create the local config"}"#)
        w.userBlocks(w.text("[Request interrupted by user for tool use]"))
        w.system("local_command", #""content":"<command-name>/model</command-name>\n            <command-message>model</command-message>\n            <command-args></command-args>","level":"info""#)
        w.system("local_command", #""content":"<local-command-stdout>Kept model as Default</local-command-stdout>","level":"info""#)
        return GeneratedSession(name: "short", id: id, cwd: cwd, files: [id + ".jsonl": w.bytes], isWellFormed: true)
    }

    // MARK: tool-heavy

    /// Many tool calls on files: Read, Edit, Write, Grep, Bash; snapshots that track the edited files; queued
    /// prompts; a Bash output too large for the log, saved in `<id>/tool-results/`; the project's memory.
    static func toolHeavy(_ m: LogMachine) -> GeneratedSession {
        var random = SeededRandom(seed: 0x7001)
        let id = random.uuid()
        let cwd = m.projects + "/shop"
        let w = LogWriter(random: random, sessionID: id, cwd: cwd, version: "2.1.38", gitBranch: "cart-totals",
                          day: "2026-03-02", startSeconds: 10 * 3600 + 2 * 60)
        var files: [String: [UInt8]] = [:]
        let first = w.uuid()
        w.snapshot(for: first)
        w.hookProgress(event: "SessionStart", name: "SessionStart:resume", command: m.home + "/.claude/hooks/session-start.sh")
        w.prompt("cart totals are off by one cent when a coupon applies; fix it and add a test")
        let sources = ["src/cart/total.ts", "src/cart/coupon.ts", "src/money.ts"]
        for source in sources {
            let read = w.toolUse("Read", #"{"file_path":\#(q(cwd + "/" + source))}"#)
            let body = (1...24).map { n in "\(String(n).leftPadded(6))→export const line\(n) = \"\(source)\"; // see \(cwd)/docs/money.md" }.joined(separator: "\n")
            w.toolResult(read, body, toolUseResult: #"{"type":"text","file":{"filePath":\#(q(cwd + "/" + source)),"content":\#(q(body)),"numLines":24,"startLine":1,"totalLines":24}}"#)
        }
        w.snapshot(for: first, backups: #"{"src/cart/total.ts":{"backupFileName":"3f2a9c1e0b7d4e55@v1","version":1,"backupTime":"2026-03-02T10:03:10.120Z"}}"#, update: true)
        let edit = w.toolUse("Edit", #"{"file_path":\#(q(cwd + "/src/cart/total.ts")),"old_string":"return Math.round(sum * 100) / 100","new_string":"return toCents(sum) / 100","replace_all":false}"#)
        w.toolResult(edit, "The file \(cwd)/src/cart/total.ts has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n    41→  return toCents(sum) / 100",
                     toolUseResult: #"{"filePath":\#(q(cwd + "/src/cart/total.ts")),"oldString":"return Math.round(sum * 100) / 100","newString":"return toCents(sum) / 100","originalFile":\#(q("// \(cwd)/src/cart/total.ts\nexport function total() {}\n")),"structuredPatch":[{"oldStart":41,"oldLines":1,"newStart":41,"newLines":1,"lines":["-  return Math.round(sum * 100) / 100","+  return toCents(sum) / 100"]}],"userModified":false,"replaceAll":false}"#)
        let write = w.toolUse("Write", #"{"file_path":\#(q(cwd + "/test/cart-coupon.test.ts")),"content":\#(q("import { total } from '\(cwd)/src/cart/total'\n\ntest('coupon keeps cents', () => {\n  expect(total([19.99], 0.1)).toBe(17.99)\n})\n"))}"#)
        w.toolResult(write, "File created successfully at: \(cwd)/test/cart-coupon.test.ts",
                     toolUseResult: #"{"type":"create","filePath":\#(q(cwd + "/test/cart-coupon.test.ts")),"content":"test('coupon keeps cents')","structuredPatch":[]}"#)
        w.queue("enqueue", content: "also check the refund path")
        let grep = w.toolUse("Grep", #"{"pattern":"Math.round","path":\#(q(cwd + "/src")),"output_mode":"files_with_matches"}"#)
        w.toolResult(grep, "Found 2 files\n\(cwd)/src/refund.ts\n\(cwd)/src/cart/coupon.ts",
                     toolUseResult: #"{"mode":"files_with_matches","filenames":["src/refund.ts","src/cart/coupon.ts"],"numFiles":2}"#)
        w.queue("dequeue")
        w.prompt("also check the refund path")

        // A test run whose output was too large for the log: Claude Code saves it beside the session.
        let run = w.toolUse("Bash", #"{"command":"cd \#(cwd) && npx jest --verbose 2>&1","description":"Run the whole test suite","timeout":120000}"#)
        let saved = "\(id)/tool-results/\(run).txt"
        var output = ""
        var n = 0
        while output.utf8.count < 48_000 {
            n += 1
            output += "  ✓ \(random.pick(["cart", "coupon", "refund", "money", "checkout"])) case \(n) (\(1 + random.below(40)) ms)  \(cwd)/test/case-\(n).test.ts\n"
            if n % 50 == 0 { output += "    at Object.<anonymous> (\(m.home)/.npm/_npx/jest/build/index.js:\(n):7)\n" }
        }
        files[saved] = Array(output.utf8)
        let folder = LogMachine.folderName(forCwd: cwd)
        let preview = String(output.prefix(600))
        w.toolResult(run, "Output too large (\(output.utf8.count / 1000)KB). Full output saved to: \(m.home)/.claude/projects/\(folder)/\(saved)\n\nPreview (first 2KB):\n\(preview)",
                     toolUseResult: #"{"stdout":\#(q(preview)),"stderr":"","interrupted":false,"isImage":false,"persistedOutputPath":\#(q("\(m.home)/.claude/projects/\(folder)/\(saved)"))}"#)
        w.assistant(w.text("Both the cart total and the refund now round once, in cents (`toCents` in \(cwd)/src/money.ts). The new test is in \(cwd)/test/cart-coupon.test.ts; the full run is green."))
        w.system("local_command", #""content":"<command-name>/cost</command-name>\n            <command-message>cost</command-message>\n            <command-args></command-args>","level":"info""#)
        files[id + ".jsonl"] = w.bytes
        files["memory/MEMORY.md"] = Array("""
            # Shop project memory

            - Money is handled in cents: see \(cwd)/src/money.ts (`toCents`, `fromCents`).
            - Tests: `cd \(cwd) && npx jest`; fixtures in \(cwd)/test/fixtures.
            - Local config lives in \(cwd)/config/local.json (not committed); secrets in \(m.home)/.config/shop/env.

            """.utf8)
        return GeneratedSession(name: "tool-heavy", id: id, cwd: cwd, files: files, isWellFormed: true)
    }

    // MARK: agents

    /// A long session in a worktree: subagents (Task calls, agent progress, the agent's own sidechain log
    /// and `.meta.json`), bash progress, waiting for a background task, stop hooks and turn durations, a
    /// compaction with its compaction agent's log, a search output saved in `<id>/tool-results/`, a `cwd`
    /// that moves into a subfolder and back.
    static func agents(_ m: LogMachine) -> GeneratedSession {
        var random = SeededRandom(seed: 0xA6E7)
        let id = random.uuid()
        let cwd = m.projects + "/shop-worktrees/search"
        let w = LogWriter(random: random, sessionID: id, cwd: cwd, version: "2.1.39", gitBranch: "search",
                          day: "2026-03-03", startSeconds: 14 * 3600)
        var files: [String: [UInt8]] = [:]
        let first = w.uuid()
        w.snapshot(for: first)
        for hook in ["tmux-status.sh clear", "log-session.sh start"] {
            w.hookProgress(event: "SessionStart", name: "SessionStart:startup", command: m.home + "/.claude/hooks/" + hook)
        }
        w.prompt("Work on ticket SHOP-212: product search should ignore accents. Read \(cwd)/docs/search.md first, then plan, implement and test.")
        w.slug = "quiet-orange-lantern"

        // An Explore subagent: the Task call, its progress in the main log, its own log and meta.
        let agent = "a" + random.hex(6)
        let task = w.toolUse("Task", #"{"description":"Explore the search code","prompt":\#(q("Find where products are searched in \(cwd)/src and how names are normalised. Report file paths and function names.")),"subagent_type":"Explore"}"#)
        let sub = LogWriter(random: SeededRandom(seed: 0xA6E8), sessionID: id, cwd: cwd, version: "2.1.39",
                            gitBranch: "search", day: "2026-03-03", startSeconds: 14 * 3600 + 20)
        sub.agentID = agent
        sub.slug = w.slug
        sub.prompt("Find where products are searched in \(cwd)/src and how names are normalised. Report file paths and function names.")
        for (k, path) in ["src/search/index.ts", "src/search/normalise.ts", "src/catalog/product.ts", "test/search.test.ts"].enumerated() {
            let read = sub.toolUse("Read", #"{"file_path":\#(q(cwd + "/" + path))}"#)
            sub.hookProgress(event: "PostToolUse", name: "PostToolUse:Read", command: m.home + "/.claude/hooks/tmux-status.sh busy")
            let body = (1...(30 + 10 * k)).map { n in "\(String(n).leftPadded(6))→// \(path) line \(n): import { fold } from '\(cwd)/src/text/fold'" }.joined(separator: "\n")
            sub.toolResult(read, body)
            w.progress(#"{"message":{"type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","name":"Read","input":{"file_path":\#(q(cwd + "/" + path))}}]},"timestamp":\#(q(w.tick(1, 30)))},"normalizedMessages":[],"type":"agent_progress","prompt":"","agentId":\#(q(agent))}"#,
                       toolUseID: "agent_" + w.messageID(), parentToolUseID: task)
        }
        let report = "Search lives in \(cwd)/src/search/index.ts (`searchProducts`); names are lower-cased in \(cwd)/src/search/normalise.ts (`normaliseName`) but accents are kept. Tests: \(cwd)/test/search.test.ts."
        sub.assistant(sub.text(report))
        files["\(id)/subagents/agent-\(agent).jsonl"] = sub.bytes
        files["\(id)/subagents/agent-\(agent).meta.json"] = Array(#"{"agentType":"Explore","description":"Explore the search code","cwd":\#(q(cwd))}"#.utf8) + [0x0A]
        w.toolResult(task, report, toolUseResult: #"{"status":"completed","prompt":"Find where products are searched","agentId":\#(q(agent)),"content":[{"type":"text","text":\#(q(report))}],"totalDurationMs":48211,"totalTokens":31877,"totalToolUseCount":4}"#)

        // Many turns of work: thinking, an edit or a test run with bash progress, its result.
        let topics = ["fold accents with NFD and drop combining marks", "keep the original name for display",
                      "index the folded name", "handle ß and æ", "update the search tests", "benchmark the index build"]
        for turn in 0..<36 {
            let topic = topics[turn % topics.count]
            w.assistant(w.thinking("Next: \(topic). The code is in \(w.cwd)/src/search; check \(m.home)/.config/shop/search.toml too."))
            if turn == 12 {
                // The user changes into the server package for a while.
                w.cwd = cwd + "/server"
            } else if turn == 20 {
                w.cwd = cwd
            }
            if turn % 3 == 2 {
                let run = w.toolUse("Bash", #"{"command":"cd \#(w.cwd) && npx jest test/search.test.ts 2>&1","description":\#(q("Run the search tests (\(topic))"))}"#)
                var full = ""
                for step in 0..<(3 + random.below(5)) {
                    full += "PASS \(w.cwd)/test/search-\(turn)-\(step).test.ts (\(random.below(900)) ms)\n"
                    w.progress(#"{"type":"bash_progress","output":\#(q("PASS test/search-\(turn)-\(step).test.ts")),"fullOutput":\#(q(full)),"elapsedTimeSeconds":\#(step + 1),"totalLines":\#(step + 1),"timeoutMs":120000}"#,
                               toolUseID: "bash-progress-\(step)", parentToolUseID: run)
                }
                w.toolResult(run, full + "Tests: \(turn + 3) passed, \(turn + 3) total",
                             toolUseResult: #"{"stdout":\#(q(full)),"stderr":"","interrupted":false,"isImage":false}"#)
            } else {
                let file = w.cwd + "/src/search/" + random.pick(["index.ts", "normalise.ts", "fold.ts", "rank.ts"])
                let edit = w.toolUse("Edit", #"{"file_path":\#(q(file)),"old_string":"name.toLowerCase()","new_string":"fold(name)","replace_all":false}"#)
                w.hookProgress(event: "PostToolUse", name: "PostToolUse:Edit", command: "cd " + cwd + " && npx prettier --write " + file)
                w.toolResult(edit, "The file \(file) has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n" +
                             (1...12).map { "\(String($0 + 40).leftPadded(6))→  // \(topic), see \(cwd)/docs/search.md" }.joined(separator: "\n"),
                             toolUseResult: #"{"filePath":\#(q(file)),"oldString":"name.toLowerCase()","newString":"fold(name)","structuredPatch":[{"oldStart":41,"oldLines":1,"newStart":41,"newLines":1,"lines":["-  name.toLowerCase()","+  fold(name)"]}],"userModified":false,"replaceAll":false}"#)
            }
            if turn % 9 == 8 {
                w.assistant(w.text("Done with: \(topic). Everything so far is in \(cwd)/src/search."))
                w.system("stop_hook_summary", #""hookCount":2,"hookInfos":[{"command":\#(q(m.home + "/.claude/hooks/tmux-status.sh idle"))},{"command":"cd ${CLAUDE_PLUGIN_ROOT}/hooks && node on-stop.js"}],"hookErrors":[],"preventedContinuation":false,"stopReason":"","hasOutput":true,"level":"suggestion""#)
                w.system("turn_duration", #""durationMs":\#(60_000 + random.below(300_000))"#)
                w.prompt(random.pick(["go on", "continue with the next step", "looks good, next"]))
            }
            if turn == 30 {
                // A search whose output was too large for the log, saved beside the session.
                let grep = w.toolUse("Grep", #"{"pattern":"normalise","path":\#(q(cwd)),"output_mode":"content","-n":true}"#)
                let saved = "\(id)/tool-results/\(grep).txt"
                let matches = (1...900).map { "\(cwd)/src/\(random.pick(["search", "catalog", "text"]))/file\($0 % 37).ts:\($0):  normaliseName(product.name)" }
                files[saved] = Array((matches.joined(separator: "\n") + "\n").utf8)
                let stored = "\(m.home)/.claude/projects/\(LogMachine.folderName(forCwd: cwd))/\(saved)"
                w.toolResult(grep, "Output too large (\(files[saved]!.count / 1000)KB). Full output saved to: \(stored)\n\nPreview (first 2KB):\n" + matches.prefix(8).joined(separator: "\n"))
            }
            if turn == 24 {
                // A long test run in the background, waited for.
                let background = w.toolUse("Bash", #"{"command":"cd \#(cwd) && npm run bench:search","description":"Benchmark the index","run_in_background":true}"#)
                w.toolResult(background, "Command running in background with ID: b\(random.hex(6)). Output is being written to: /tmp/claude/tasks/b.output")
                w.progress(#"{"type":"waiting_for_task","taskDescription":"Benchmark the index","taskType":"local_bash"}"#,
                           toolUseID: "task-output-waiting-\(1_772_000_000_000 + turn)", parentToolUseID: background)
                w.queue("enqueue", content: "<task-notification>\n<task-id>b1</task-id>\n<output-file>/tmp/claude/tasks/b.output</output-file>\n<status>completed</status>\n</task-notification>")
                w.queue("remove")
            }
        }

        // Compaction: the compaction agent's log, then the boundary and the summary in the main log.
        let compactor = "acompact-" + random.hex(6)
        let c = LogWriter(random: SeededRandom(seed: 0xC0C0), sessionID: id, cwd: cwd, version: "2.1.39",
                          gitBranch: "search", day: "2026-03-03", startSeconds: 15 * 3600 + 40 * 60)
        c.agentID = compactor
        c.slug = w.slug
        c.prompt("<system-reminder>\nPostToolUse:Edit hook additional context: formatted \(cwd)/src/search/fold.ts\n</system-reminder>", extra: #""isMeta":true,"#)
        c.prompt("Your task is to create a detailed summary of the conversation so far, paying close attention to the user's explicit requests and your previous actions.")
        c.prompt("<system-reminder>\nThe user opened \(cwd)/docs/search.md in the IDE.\n</system-reminder>", extra: #""isMeta":true,"#)
        let summaryText = "This session is being continued from a previous conversation that ran out of context. Summary:\n1. SHOP-212: search ignores accents.\n2. Files: \(cwd)/src/search/fold.ts (new), \(cwd)/src/search/index.ts, \(cwd)/test/search.test.ts.\n3. Pending: benchmark results in /tmp/claude/tasks/b.output."
        c.assistant(c.text("<summary>\n" + summaryText + "\n</summary>"))
        files["\(id)/subagents/agent-\(compactor).jsonl"] = c.bytes
        w.compact(summary: summaryText, preTokens: 168_420)
        w.prompt("thanks, please open a pull request description in \(cwd)/PR.md")
        let write = w.toolUse("Write", #"{"file_path":\#(q(cwd + "/PR.md")),"content":\#(q("# SHOP-212: accent-insensitive search\n\nSee \(cwd)/docs/search.md.\n"))}"#)
        w.toolResult(write, "File created successfully at: \(cwd)/PR.md")
        w.assistant(w.text("Written to \(cwd)/PR.md. Accents are folded at index time and at query time; the display name is unchanged."))
        files[id + ".jsonl"] = w.bytes
        return GeneratedSession(name: "agents", id: id, cwd: cwd, files: files, isWellFormed: true)
    }

    // MARK: legacy

    /// An older Claude Code (1.0.x): Claude's `summary` record first (no timestamp), a slash command and its
    /// meta expansion, TodoWrite, text in Japanese and with emoji, no progress records.
    static func legacy(_ m: LogMachine) -> GeneratedSession {
        var random = SeededRandom(seed: 0x1E6A)
        let id = random.uuid()
        let cwd = m.projects + "/notes-app"
        let w = LogWriter(random: random, sessionID: id, cwd: cwd, version: "1.0.98", gitBranch: "",
                          day: "2025-09-04", startSeconds: 1 * 3600 + 5 * 60)
        w.summary("Notes App: Markdown Export Added", leaf: "0d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5")
        w.prompt("<command-message>export is running…</command-message>\n<command-name>/export</command-name>\n<command-args>markdown を追加してください 📝</command-args>")
        w.userBlocks(w.text("Add a Markdown export to the notes app in \(cwd). Keep the existing JSON export."), extra: #""isMeta":true,"#)
        let todos = #"[{"content":"Read the export module","status":"in_progress","activeForm":"Reading the export module"},{"content":"Add the Markdown writer","status":"pending","activeForm":"Adding the Markdown writer"}]"#
        let todo = w.toolUse("TodoWrite", #"{"todos":\#(todos)}"#, message: nil)
        w.toolResult(todo, "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress.",
                     toolUseResult: #"{"oldTodos":[],"newTodos":\#(todos)}"#)
        for turn in 0..<20 {
            let file = cwd + "/src/export/" + ["markdown.py", "json.py", "__init__.py", "cli.py"][turn % 4]
            let read = w.toolUse("Read", #"{"file_path":\#(q(file))}"#)
            w.toolResult(read, (1...15).map { "\(String($0).leftPadded(6))→# \(file): ノート \($0) ✓" }.joined(separator: "\n"))
            w.assistant(w.text(turn % 5 == 4 ? "エクスポートを更新しました: \(file) 🎉" : "Reading \(file) next."))
        }
        let write = w.toolUse("Write", #"{"file_path":\#(q(cwd + "/src/export/markdown.py")),"content":\#(q("\"\"\"Markdown export, see \(cwd)/README.md\"\"\"\n\ndef export(notes, path=\"\(m.home)/Documents/notes.md\"):\n    ...\n"))}"#)
        w.toolResult(write, "File created successfully at: \(cwd)/src/export/markdown.py")
        w.assistant(w.text("Markdown export added: `python -m notes export --format md` writes to \(m.home)/Documents/notes.md by default."))
        return GeneratedSession(name: "legacy", id: id, cwd: cwd, files: [id + ".jsonl": w.bytes], isWellFormed: true)
    }

    // MARK: odd logs

    /// A tool result of 12 MB on one line (a log with such a line exists), paths scattered through it.
    static func twelveMegabyteLine(_ m: LogMachine) -> GeneratedSession {
        var random = SeededRandom(seed: 0x12AB)
        let id = random.uuid()
        let cwd = m.projects + "/big-data"
        let w = LogWriter(random: random, sessionID: id, cwd: cwd, version: "2.1.39", gitBranch: "main",
                          day: "2026-03-04", startSeconds: 8 * 3600)
        w.prompt("dump every row of \(cwd)/data/orders.csv so I can see the encoding problem")
        let cat = w.toolUse("Bash", #"{"command":"cat \#(cwd)/data/orders.csv","description":"Show the file"}"#)
        // The huge line: built as bytes, a row with a path every ~2 KB, JSON-escaped newlines.
        var rows: [UInt8] = []
        rows.reserveCapacity(12_700_000)
        let filler = Array(String(repeating: "0123456789,abcdefghij,", count: 90).utf8)
        var n = 0
        while rows.count < 12 * 1_048_576 {
            n += 1
            rows += Array("\(n),\(cwd)/data/rows/\(n).json,".utf8) + filler + Array("\(m.home)/exports/\(n % 97)\\n".utf8)
        }
        let head = Array(#"{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":\#(q(cwd)),"sessionId":\#(q(id)),"version":"2.1.39","gitBranch":"main","type":"user","message":{"role":"user","content":[{"tool_use_id":\#(q(cat)),"type":"tool_result","content":""#.utf8)
        let tail = Array(#""}]},"uuid":\#(q(w.uuid())),"timestamp":\#(q(w.tick()))}"#.utf8)
        w.append(bytes: head + rows + tail)
        w.assistant(w.text("Rows \(n - 3) to \(n) of \(cwd)/data/orders.csv hold Latin-1 bytes; convert with iconv."))
        return GeneratedSession(name: "twelve-mb-line", id: id, cwd: cwd, files: [id + ".jsonl": w.bytes], isWellFormed: true)
    }

    /// Tool output with bytes that are not UTF-8 (a binary file cat'ed, a cut multi-byte character, a
    /// UTF-16 surrogate), paths on both sides of them.
    static func invalidUTF8(_ m: LogMachine) -> GeneratedSession {
        var random = SeededRandom(seed: 0xBAD8)
        let id = random.uuid()
        let cwd = m.projects + "/firmware"
        let w = LogWriter(random: random, sessionID: id, cwd: cwd, version: "2.1.39", gitBranch: "main",
                          day: "2026-03-05", startSeconds: 11 * 3600)
        w.prompt("what is at the start of \(cwd)/build/boot.bin?")
        let head = w.toolUse("Bash", #"{"command":"head -c 64 \#(cwd)/build/boot.bin","description":"Show the first bytes"}"#)
        let prefix = Array(#"{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":\#(q(cwd)),"sessionId":\#(q(id)),"version":"2.1.39","gitBranch":"main","type":"user","message":{"role":"user","content":[{"tool_use_id":\#(q(head)),"type":"tool_result","content":"read \#(cwd)/build/boot.bin: "#.utf8)
        let garbage: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0xFF, 0xFE, 0x01, 0xC3, 0x28, 0xE2, 0x82, 0xED, 0xA0, 0x80, 0xF8, 0x88, 0x80, 0x80, 0x80]
        let suffix = Array(#" (copied to \#(m.home)/tmp/boot.bin)"}]},"uuid":\#(q(w.uuid())),"timestamp":\#(q(w.tick()))}"#.utf8)
        w.append(bytes: prefix + garbage + suffix)
        w.assistant(w.text("It is an ELF header followed by bytes that are not text; \(cwd)/build/boot.bin is a binary."))
        return GeneratedSession(name: "invalid-utf8", id: id, cwd: cwd, files: [id + ".jsonl": w.bytes], isWellFormed: false)
    }

    /// A log whose writer stopped mid-line: the last record is cut inside a path, with no `\n`.
    static func halfWrittenLastLine(_ m: LogMachine) -> GeneratedSession {
        var random = SeededRandom(seed: 0x4A1F)
        let id = random.uuid()
        let cwd = m.projects + "/shop"
        let w = LogWriter(random: random, sessionID: id, cwd: cwd, version: "2.1.39", gitBranch: "main",
                          day: "2026-03-06", startSeconds: 16 * 3600)
        w.prompt("rename \(cwd)/src/money.ts to \(cwd)/src/cents.ts and fix the imports")
        w.assistant(w.thinking("Rename the file, then grep for the old import path under \(cwd)/src."))
        var bytes = w.bytes
        bytes += Array(#"{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":\#(q(cwd)),"sessionId":\#(q(id)),"version":"2.1.39","gitBranch":"main","type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","name":"Bash","input":{"command":"git mv \#(cwd)/src/money.ts \#(cwd)/src/ce"#.utf8)
        return GeneratedSession(name: "half-written-last-line", id: id, cwd: cwd, files: [id + ".jsonl": bytes], isWellFormed: false)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: Swift.max(0, width - count)) + self
    }
}
