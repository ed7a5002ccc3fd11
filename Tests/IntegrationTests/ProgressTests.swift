import Foundation
import Testing

/// Issue 14: long work shows its progress on a terminal (counts, percentages, git's own packing and
/// sending, rewritten in place), and nothing of it anywhere else or with `--quiet`.
@Suite struct ProgressTests {
    /// `init` of a store of ~40 MB on a pseudo-terminal (util-linux `script`, which records every byte
    /// the terminal got): its counters move, in place, and end with `done.`.
    @Test func aFirstSyncOnATerminalShowsProgressThatMoves() throws {
        try Sandbox.with { sandbox in
            guard let script = Self.scriptCommand() else {
                sandbox.check(false, "util-linux 'script' is not installed (the progress test needs a terminal)")
                return
            }
            let world = try SyncWorld(sandbox: sandbox)
            let a = world.a
            try BulkStore.fill(a, count: 160, size: 250_000, projects: 8)
            let shown = try Self.onTerminal(script, a, a.initArguments(remote: world.remote), sandbox: sandbox)
            sandbox.check(shown.status == 0, "init on a terminal failed:\n\(shown.text)")
            // git's packing and sending, and at least one stage of our own (which ones run long enough to
            // be shown depends on the machine's speed), each rewritten in place with \r up to 100%.
            let ours = ["Collecting sessions", "Staging sessions"].filter { Set(Self.updates(of: $0, in: shown.text)).count >= 2 }
            sandbox.check(!ours.isEmpty, "no counter of our own moved:\n\(shown.text.suffix(3000))")
            for title in ours + ["Writing objects"] {
                let updates = Self.updates(of: title, in: shown.text)
                sandbox.check(Set(updates).count >= 2 && updates.last == 100,
                              "\(title): expected a percentage rising to 100, got \(updates) in:\n\(shown.text.suffix(3000))")
            }
            let last = shown.text.components(separatedBy: "\r\(ours.first ?? "?"): 100% (").last ?? ""
            sandbox.check(last.components(separatedBy: "\u{1B}[K").first?.hasSuffix(", done.") == true,
                          "the count of sessions does not end with done:\n\(shown.text.suffix(3000))")
            sandbox.check(try world.remoteFiles().filter { $0.hasSuffix(".jsonl") }.count == 160, "not every session was pushed")

            // --quiet on the same terminal: no counters (B's first sync, pulling the same sessions).
            let quiet = try Self.onTerminal(script, world.b, world.b.initArguments(remote: world.remote) + ["--quiet"],
                                            sandbox: sandbox)
            sandbox.check(quiet.status == 0, "init --quiet failed:\n\(quiet.text)")
            sandbox.check(!quiet.text.contains("%") && !quiet.text.contains("\r\u{1B}"),
                          "init --quiet showed progress:\n\(quiet.text.suffix(3000))")
        }
    }

    /// Output to a pipe (scripts, cron, these tests): no counters, no `\r`, however long the work.
    @Test func nothingIsShownWhenStderrIsNotATerminal() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            try BulkStore.fill(world.a, count: 60, size: 200_000)
            let initialized = try world.a.initialize(remote: world.remote)
            let pushed = try world.b.initialize(remote: world.remote)
            try BulkStore.fill(world.a, count: 30, size: 100_000, tag: 1)
            let push = try world.a.ccsync("push")
            let pull = try world.b.ccsync("pull")
            for result in [initialized, pushed, push, pull] {
                sandbox.check(!result.stderrText.contains("%") && !result.stderrText.contains("\r")
                              && !result.stderrText.contains("objects"),
                              "progress was written to a pipe:\n\(result)")
            }
        }
    }

    static func scriptCommand() -> String? {
        ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs git-ccsync with `arguments` on a terminal of its own; returns what the terminal received.
    static func onTerminal(_ script: String, _ machine: SyncMachine, _ arguments: [String],
                           sandbox: Sandbox) throws -> (status: Int32, text: String) {
        let typescript = try sandbox.nextOutputFile("typescript")
        let command = ([machine.machine.binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        var environment = machine.environment
        environment["TERM"] = "xterm-256color"
        let result = try Command.run(script, ["-q", "-e", "-f", "-c", command + " </dev/null", typescript], in: machine.home,
                                     environment: environment, sandbox: sandbox)
        let text = (try? String(contentsOfFile: typescript, encoding: .utf8)) ?? ""
        return (result.status, text)
    }

    /// The percentages shown for `title`, in order (each a `\r`-started rewrite of the line).
    static func updates(of title: String, in text: String) -> [Int] {
        text.components(separatedBy: "\r" + title + ":").dropFirst().compactMap { rest in
            Int(rest.prefix { $0 != "%" }.trimmingCharacters(in: .whitespaces))
        }
    }
}
