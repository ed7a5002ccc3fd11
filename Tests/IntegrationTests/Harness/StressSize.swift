import Foundation

/// How hard the fault and race suites push: `CCSYNC_STRESS=full` (what `make test-stress` sets) for the
/// sizes issue 5 asks for, otherwise a smaller run that keeps `make test` quick while still racing
/// several machines and killing several commands.
struct StressSize: CustomStringConvertible {
    let name: String
    /// Machines racing against the one remote.
    let machines: Int
    /// Rounds of appends, pushes and pulls.
    let rounds: Int
    /// Commands killed with SIGKILL.
    let crashTrials: Int

    static let full = StressSize(name: "full", machines: 5, rounds: 20, crashTrials: 36)
    static let quick = StressSize(name: "default", machines: 3, rounds: 6, crashTrials: 10)

    static var current: StressSize {
        ProcessInfo.processInfo.environment["CCSYNC_STRESS"]?.lowercased() == "full" ? .full : .quick
    }

    var description: String { "\(name): \(machines) machines × \(rounds) rounds, \(crashTrials) crash trials" }
}
