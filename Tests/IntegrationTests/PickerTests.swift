import CCSyncCore
import Foundation
import Testing

/// Issue 4, the interactive picker of `git ccsync resume`, driven through a real pseudo-terminal (tmux):
/// arrow keys move the selection, typing filters the rows, Enter resumes the chosen session, Esc quits.
///
/// The picker runs on B (the machine that pulled A's three sessions). Its rows, newest first: S (spotter,
/// "Refactor the billing module"), T (shop, "Fix the login timeout"), U (spotter, "Write the release notes").
@Suite struct PickerTests {
    static let sessions = [ResumeWorld.s, ResumeWorld.t, ResumeWorld.u]

    /// Starts B's `git ccsync resume` (no id) in tmux, its stand-in Claude behaving as `run` says, and
    /// waits for the picker to show all three sessions.
    static func startPicker(_ world: ResumeWorld, run: StandInClaude.Run, tmux: Tmux) throws -> String {
        let b = world.b
        try tmux.start([b.machine.binary, "resume"], in: b.home, environment: b.environment.merging(run.environment) { $1 })
        return try tmux.waitForScreen("the picker with the three sessions") { screen in
            sessions.allSatisfy { screen.contains($0.id.prefix(8)) }
        }
    }

    /// The rows on the screen that show a session, by id, in screen order, with whether each is selected.
    static func rows(_ screen: String) -> [(id: String, selected: Bool, line: String)] {
        screen.split(separator: "\n").compactMap { line in
            guard let session = sessions.first(where: { line.contains($0.id.prefix(8)) }) else { return nil }
            return (session.id, line.hasPrefix("> "), String(line))
        }
    }

    static func selected(_ screen: String) -> String? {
        let chosen = rows(screen).filter(\.selected)
        return chosen.count == 1 ? chosen[0].id : nil
    }

    /// The picker starts on the newest session; Down, Down, Up moves to the second; Enter resumes that one
    /// (B's Claude runs on it, in its directory), then pushes and unlocks.
    @Test func arrowsMoveTheSelectionAndEnterResumesIt() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox, sessions: Self.sessions)
            let (b, t) = (world.b, ResumeWorld.t)
            let tmux = try Tmux(sandbox: sandbox)
            defer { tmux.kill() }
            let run = StandInClaude.Run(sandbox: sandbox, name: "b-picked", lines: 2)
            let first = try Self.startPicker(world, run: run, tmux: tmux)
            let order = Self.rows(first).map(\.id)
            sandbox.check(order == Self.sessions.map(\.id), "the picker's rows are not newest first: \(order)\n\(first)")
            sandbox.check(first.contains("Refactor the billing module") && first.contains("Fix the login timeout"),
                          "the picker's rows do not show the titles:\n\(first)")
            sandbox.check(Self.selected(first) == ResumeWorld.s.id, "the picker does not start on the newest session:\n\(first)")

            for (key, expected) in [("Down", ResumeWorld.t), ("Down", ResumeWorld.u), ("Up", ResumeWorld.t)] {
                try tmux.send(key)
                try tmux.waitForScreen("\(key) selecting \(expected.title)") { Self.selected($0) == expected.id }
            }
            try tmux.send("Enter")
            let status = try tmux.waitForExit()
            sandbox.check(status == 0, "resume from the picker exited with \(status)")
            sandbox.check(run.startedWith?.id == t.id, "Enter resumed \(run.startedWith?.id ?? "nothing"), not T (\(t.id))")
            sandbox.check(run.startedWith?.cwd == ResumeWorld.cwd(of: t, on: b), "Claude ran in \(run.startedWith?.cwd ?? "-")")
            let remote = Lines.uuids(try world.remoteLog(t))
            sandbox.check(remote.contains("b-picked-0") && remote.contains("b-picked-1"), "T's new lines were not pushed: \(remote)")
            let locks = try world.remoteLocks()
            sandbox.check(locks.isEmpty, "locks left after resuming from the picker: \(locks.keys.sorted())")
        }
    }

    /// Typing part of a title narrows the rows to the one session that has it (case does not matter);
    /// Enter resumes that session.
    @Test func typingFiltersTheRowsAndEnterResumesTheOneLeft() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox, sessions: Self.sessions)
            let (b, u) = (world.b, ResumeWorld.u)
            let tmux = try Tmux(sandbox: sandbox)
            defer { tmux.kill() }
            let run = StandInClaude.Run(sandbox: sandbox, name: "b-filtered", lines: 1)
            _ = try Self.startPicker(world, run: run, tmux: tmux)

            try tmux.type("Release")
            // "Rel" already leaves one row: wait until every typed key has been drawn too.
            let filtered = try tmux.waitForScreen("only U's row after typing 'Release'") { screen in
                Self.rows(screen).map(\.id) == [u.id] && screen.contains("> Release")
            }
            sandbox.check(filtered.contains("Release"), "the typed filter is not shown:\n\(filtered)")
            sandbox.check(Self.selected(filtered) == u.id, "U is not selected after filtering:\n\(filtered)")
            try tmux.send("Enter")
            let status = try tmux.waitForExit()
            sandbox.check(status == 0, "resume from the filtered picker exited with \(status)")
            sandbox.check(run.startedWith?.id == u.id, "Enter resumed \(run.startedWith?.id ?? "nothing"), not U (\(u.id))")
            sandbox.check(run.startedWith?.cwd == ResumeWorld.cwd(of: u, on: b), "Claude ran in \(run.startedWith?.cwd ?? "-")")
        }
    }

    /// A holds T's lock: the picker marks T's row with its holder. Esc quits: non-zero exit, no Claude,
    /// no lock taken, A's lock untouched.
    @Test func escapeQuitsWithoutResumingAndLockedRowsNameTheirHolder() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox, sessions: Self.sessions)
            let (b, t) = (world.b, ResumeWorld.t)
            try world.lockManager(world.a, ttl: 600).acquire(t.id)
            let tmux = try Tmux(sandbox: sandbox)
            defer { tmux.kill() }
            let run = StandInClaude.Run(sandbox: sandbox, name: "b-escaped")
            let screen = try Self.startPicker(world, run: run, tmux: tmux)
            let tRow = Self.rows(screen).first { $0.id == t.id }?.line ?? ""
            sandbox.check(tRow.contains("linux-a") && tRow.lowercased().contains("lock"),
                          "T's row does not say linux-a holds its lock: '\(tRow)'\n\(screen)")
            let others = Self.rows(screen).filter { $0.id != t.id }
            sandbox.check(others.allSatisfy { !$0.line.lowercased().contains("lock") }, "an unlocked row is marked locked:\n\(screen)")

            try tmux.send("Down")
            try tmux.waitForScreen("Down selecting T") { Self.selected($0) == t.id }
            try tmux.send("Escape")
            let status = try tmux.waitForExit()
            sandbox.check(status != 0, "resume exited with 0 after Esc")
            sandbox.check(!run.started, "Esc resumed \(run.startedWith?.id ?? "?")")
            let locks = try world.remoteLocks()
            sandbox.check(Array(locks.keys) == [t.id] && locks[t.id]?.holder == "linux-a",
                          "the locks after Esc: \(locks.mapValues(\.holder))")
            let held = try world.heldLocks(on: b)
            sandbox.check(held.isEmpty, "B believes it holds \(held) after Esc")
        }
    }

    /// Without a terminal and without an id or --latest there is nothing to pick with: a clear error.
    @Test func withoutATerminalResumeNeedsAnID() throws {
        try Sandbox.with { sandbox in
            let world = try ResumeWorld(sandbox: sandbox)
            let run = StandInClaude.Run(sandbox: sandbox, name: "b-no-terminal")
            let result = try world.resume(on: world.b, [], run: run)
            sandbox.check(result.status != 0, "resume without an id and without a terminal succeeded:\n\(result)")
            sandbox.check(result.stderrText.contains("--latest") && result.stderrText.contains("terminal"),
                          "the error does not say what to pass:\n\(result)")
            sandbox.check(!run.started, "Claude was started")
            let locks = try world.remoteLocks()
            sandbox.check(locks.isEmpty, "locks taken: \(locks.keys.sorted())")
        }
    }
}
