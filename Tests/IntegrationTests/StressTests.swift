import Foundation
import Testing

/// Issue 5, the race: several machines against one remote served by `git daemon`, round after round
/// appending to their own sessions and (two at a time) to shared sessions they have not pulled yet,
/// while `git ccsync push`, `git ccsync pull`, a push and a pull on the same machine at once, and plain
/// `git pull` / `git push` in the working copy race each other. At the end, after a push and a pull on
/// every machine, every line any machine wrote is in every machine's store (with its own paths), once;
/// `git fsck --strict` is clean everywhere, no file holds a conflict marker, every working copy is clean.
///
/// Size: `CCSYNC_STRESS=full` (`make test-stress`) runs 5 machines × 20 rounds; `make test` a smaller
/// run (see `StressSize`). `CCSYNC_STRESS_SEED` repeats a run's plan (which machine appends what and
/// runs which commands); the interleaving itself is up to the scheduler.
@Suite(.serialized) struct StressTests {
    /// What one machine does in a round, after appending.
    enum Plan: CaseIterable {
        case push, pullThenPush, pull, gitPullThenPush, pullThenGitPush, pushWhilePulling
    }

    /// Counts of the outcomes the race makes legitimate (a push that lost every attempt to others).
    final class Tally {
        var rejectedPushes = 0
        var rejectedGitPushes = 0
        var commands = 0
    }

    @Test func machinesRacingThroughGitDaemonLoseNoLine() throws {
        let size = StressSize.current
        let seed = SplitMix64.seed(from: "CCSYNC_STRESS_SEED", environment: ProcessInfo.processInfo.environment)
        print("StressTests: \(size.name) size, \(size.machines) machines × \(size.rounds) rounds, seed \(seed) "
              + "(CCSYNC_STRESS_SEED=\(seed) repeats the plan)")
        var random = SplitMix64(seed: seed)
        try Sandbox.with { sandbox in
            let started = Date()
            let fleet = try SyncFleet(sandbox: sandbox, count: size.machines)
            let machines = fleet.machines
            let ledger = LineLedger()
            let own = machines.indices.map { n in
                (0..<2).map { k in
                    LineLedger.Session(id: String(format: "0a0a%04x-0000-4000-8000-%012x", n, k), project: "own-\(n)")
                }
            }
            let shared = (0..<2).map { k in
                LineLedger.Session(id: String(format: "5ea5ed00-0000-4000-8000-%012x", k), project: "shared")
            }
            // Before joining, each machine has sessions of its own; the first also the shared ones.
            for (n, machine) in machines.enumerated() {
                for session in own[n] { try ledger.append(2, to: session, on: machine) }
            }
            for session in shared { try ledger.append(2, to: session, on: machines[0]) }
            for machine in machines { try machine.initialize(remote: fleet.remoteURL) }
            for machine in machines { try machine.ccsync("pull") }
            for machine in machines.dropFirst() {
                for session in shared {
                    try Self.require(machine.storeHas(cwd: session.cwd(on: machine), session.log),
                                     "setup: \(machine.id) did not get the shared session \(session.id)")
                }
            }
            print("StressTests: set up in \(Int(Date().timeIntervalSince(started))) s")

            let tally = Tally()
            for round in 1...size.rounds {
                var lanes: [[Lanes.Step]] = []
                // Two machines edit the same shared session this round, neither having seen the other's lines.
                let sharedToday = shared[round % shared.count]
                let editors: Set<Int> = [round % machines.count, (round + 1) % machines.count]
                for (n, machine) in machines.enumerated() {
                    var appends: [(LineLedger.Session, Int)] = [(own[n][Int(random.next() % 2)], 1 + Int(random.next() % 3))]
                    if editors.contains(n) { appends.append((sharedToday, 1 + Int(random.next() % 2))) }
                    if random.next() % 4 == 0 { appends.append((own[n][Int(random.next() % 2)], 1)) }
                    // Claude writing while this machine's own sync runs.
                    let appendDuring = random.next() % 3 == 0 ? own[n][Int(random.next() % 2)] : nil
                    let plan = Plan.allCases[Int(random.next() % UInt64(Plan.allCases.count))]
                    let context = "round \(round), \(machine.id)"
                    var steps: [Lanes.Step] = [Lanes.Step(label: "\(context): append", start: {
                        for (session, count) in appends { try ledger.append(count, to: session, on: machine) }
                        return []
                    }, judge: { _ in })]
                    steps += Self.steps(plan, on: machine, context: context, appendDuring: appendDuring,
                                        ledger: ledger, tally: tally, sandbox: sandbox)
                    lanes.append(steps)
                }
                try Lanes.run(lanes)
            }
            print("StressTests: \(size.rounds) rounds, \(tally.commands) commands, \(tally.rejectedPushes) ccsync pushes "
                  + "and \(tally.rejectedGitPushes) plain pushes lost the race, \(ledger.lineCount) lines written, "
                  + "\(Int(Date().timeIntervalSince(started))) s so far")

            // The end: each machine pushes what it still has, then each pulls what the others pushed.
            for machine in machines {
                let result = try machine.ccsyncResult(["push"])
                sandbox.check(result.succeeded, "final push on \(machine.id) failed:\n\(result)")
            }
            for machine in machines {
                let result = try machine.ccsyncResult(["pull"])
                sandbox.check(result.succeeded, "final pull on \(machine.id) failed:\n\(result)")
            }
            // Not vacuous: every session of the plan received lines.
            sandbox.check(ledger.sessions.count == machines.count * 2 + shared.count,
                          "the ledger holds \(ledger.sessions.count) sessions")
            ledger.expectEverywhere(machines, "after the final pulls", sandbox: sandbox)
            try fleet.expectFsckClean("at the end")
            try fleet.expectRemoteHoldsNoMachinePath("at the end")
            for machine in machines {
                try machine.expectNoConflictMarkers("at the end")
                try machine.expectCleanStatus("at the end")
            }
            print("StressTests: done in \(Int(Date().timeIntervalSince(started))) s")
        }
    }

    /// The commands of one machine's round.
    static func steps(_ plan: Plan, on machine: SyncMachine, context: String, appendDuring: LineLedger.Session?,
                      ledger: LineLedger, tally: Tally, sandbox: Sandbox) -> [Lanes.Step] {
        func ccsync(_ command: String, appending session: LineLedger.Session? = nil) -> Lanes.Step {
            Lanes.Step(label: "\(context): git ccsync \(command)", start: {
                tally.commands += 1
                let started = try machine.startCCSync([command])
                if let session { try ledger.append(1, to: session, on: machine) }
                return [started]
            }, judge: { results in judgeCCSync(command, results[0], context: context, tally: tally, sandbox: sandbox) })
        }
        func git(_ arguments: [String]) -> Lanes.Step {
            Lanes.Step(label: "\(context): git \(arguments.joined(separator: " "))", start: {
                tally.commands += 1
                return [try BackgroundCommand(machine.machine.gitExecutable, arguments, in: machine.workingCopy,
                                              environment: machine.environment, sandbox: sandbox)]
            }, judge: { results in
                let result = results[0]
                if arguments.first == "push", !result.succeeded, Self.lostTheRace(result) {
                    tally.rejectedGitPushes += 1
                    return
                }
                sandbox.check(result.succeeded, "\(context): git \(arguments.joined(separator: " ")) failed:\n\(result)")
            })
        }
        switch plan {
        case .push:
            return [ccsync("push", appending: appendDuring)]
        case .pullThenPush:
            return [ccsync("pull", appending: appendDuring), ccsync("push")]
        case .pull:
            return [ccsync("pull", appending: appendDuring)]
        case .gitPullThenPush:
            return [git(["pull", "--quiet", "--no-edit"]), ccsync("push", appending: appendDuring)]
        case .pullThenGitPush:
            // ccsync pull commits the store's new lines locally; the plain push (through the pre-push
            // hook) sends them.
            return [ccsync("pull", appending: appendDuring), git(["push", "--quiet", "origin", "main"])]
        case .pushWhilePulling:
            // A push (the daemon's) and a pull (the user's) on one machine at the same moment.
            return [Lanes.Step(label: "\(context): git ccsync push and pull at once", start: {
                tally.commands += 2
                let push = try machine.startCCSync(["push"])
                let pull = try machine.startCCSync(["pull"])
                if let appendDuring { try ledger.append(1, to: appendDuring, on: machine) }
                return [push, pull]
            }, judge: { results in
                judgeCCSync("push", results[0], context: context + " (beside a pull)", tally: tally, sandbox: sandbox)
                judgeCCSync("pull", results[1], context: context + " (beside a push)", tally: tally, sandbox: sandbox)
            })]
        }
    }

    /// A ccsync command must succeed; a push may also give up after losing every attempt to other
    /// machines (it says so and keeps its commits; the final push sends them).
    static func judgeCCSync(_ command: String, _ result: CommandResult, context: String, tally: Tally, sandbox: Sandbox) {
        if command == "push", !result.succeeded, result.stderrText.contains("push rejected") {
            tally.rejectedPushes += 1
            return
        }
        sandbox.check(result.succeeded, "\(context): git ccsync \(command) failed:\n\(result)")
    }

    /// A plain push refused because the remote moved on (not for any other reason): either before it
    /// sent anything, or in the server's ref transaction when another push landed in between.
    static func lostTheRace(_ result: CommandResult) -> Bool {
        let text = result.stderrText
        return text.contains("[rejected]") && (text.contains("fetch first") || text.contains("non-fast-forward"))
            || text.contains("[remote rejected]") && text.contains("cannot lock ref")
    }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw HarnessError(message()) }
    }
}
