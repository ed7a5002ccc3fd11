import Foundation

/// Runs the machines' commands at the same time, each machine's own in order: one lane per machine, a
/// lane's next step starting as soon as its previous one ended. Everything happens on the calling
/// thread (the commands are child processes), so steps may use the non-thread-safe harness freely.
enum Lanes {
    struct Step {
        let label: String
        /// Starts the step's commands (several at once for a race inside one machine) and does its
        /// instant work, such as appending to the store.
        let start: () throws -> [BackgroundCommand]
        /// Checks what the commands did, in the order `start` returned them.
        let judge: ([CommandResult]) throws -> Void
    }

    static func run(_ lanes: [[Step]], timeout: TimeInterval = 300) throws {
        var next = Array(repeating: 0, count: lanes.count)
        var running: [(step: Step, commands: [BackgroundCommand])?] = Array(repeating: nil, count: lanes.count)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var busy = false
            for lane in lanes.indices {
                if let current = running[lane] {
                    guard current.commands.allSatisfy(\.hasEnded) else { busy = true; continue }
                    try current.step.judge(try current.commands.map { try $0.wait(timeout: 30) })
                    running[lane] = nil
                }
                while running[lane] == nil, next[lane] < lanes[lane].count {
                    let step = lanes[lane][next[lane]]
                    next[lane] += 1
                    let commands = try step.start()
                    if commands.isEmpty {
                        try step.judge([])
                    } else {
                        running[lane] = (step, commands)
                        busy = true
                    }
                }
            }
            if !busy { return }
            if Date() > deadline {
                let stuck = running.compactMap { $0?.step.label }
                throw HarnessError("lanes still running after \(Int(timeout)) s: \(stuck)")
            }
            usleep(10_000)
        }
    }
}
