import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process and everything it started (`HostProcess`): for crash injection, which kills a
/// `git-ccsync` either alone (what `kill -9 <pid>` does: its git children live on as orphans) or with
/// every descendant at once (what a power cut or an OOM kill of the session does to the work tree).
enum ProcessTree {
    /// State letter and parent of a live process; nil once it is gone.
    static func status(_ pid: Int32) -> (state: Character, parent: Int32)? {
        HostProcess.status(pid).map { ($0.state, $0.parent) }
    }

    /// Whether `pid` has ended (gone, or a zombie nobody reaped yet).
    static func hasEnded(_ pid: Int32) -> Bool {
        guard let status = status(pid) else { return true }
        return status.state == "Z" || status.state == "X"
    }

    /// Every live descendant of `pid`, parents before children.
    static func descendants(of pid: Int32) -> [Int32] {
        var parentOf: [Int32: Int32] = [:]
        for (child, status) in HostProcess.all() where status.state != "Z" {
            parentOf[child] = status.parent
        }
        var found: [Int32] = []
        var seen: Set<Int32> = [pid]
        var frontier = [pid]
        // (`seen`: the listing is not one snapshot, so a reused pid could make a parent its own descendant.)
        while let next = frontier.popLast() {
            let children = parentOf.filter { $0.value == next && !seen.contains($0.key) }.map(\.key).sorted()
            seen.formUnion(children)
            found += children
            frontier += children
        }
        return found
    }

    /// SIGKILL to `pid` alone. Returns the descendants it had a moment before: they live on.
    @discardableResult
    static func killAlone(_ pid: Int32) -> [Int32] {
        let orphans = descendants(of: pid)
        kill(pid, SIGKILL)
        return orphans
    }

    /// Stops `pid` and each descendant (a stopped process starts nothing new, so the tree is complete
    /// once a pass finds no one new), then SIGKILLs all of them: none of them writes another byte.
    /// Returns every process killed.
    @discardableResult
    static func killWhole(_ pid: Int32) -> [Int32] {
        kill(pid, SIGSTOP)
        var stopped: Set<Int32> = [pid]
        var quietPasses = 0
        var passes = 0
        // Bounded: a tree that keeps growing after 1,000 passes is killed as far as it was found.
        while quietPasses < 2, passes < 1_000 {
            passes += 1
            let fresh = descendants(of: pid).filter { !stopped.contains($0) }
            if fresh.isEmpty {
                quietPasses += 1
            } else {
                quietPasses = 0
                for child in fresh { kill(child, SIGSTOP) }
                stopped.formUnion(fresh)
            }
        }
        for member in stopped { kill(member, SIGKILL) }
        return Array(stopped)
    }

    /// Waits until every one of `pids` has ended; throws after `timeout` seconds naming those left.
    static func waitForEnd(of pids: [Int32], timeout: TimeInterval) throws {
        try waitUntil("processes \(pids) to end", timeout: timeout,
                      context: { pids.filter { !hasEnded($0) }.map { "\($0): " + commandLine($0) }.joined(separator: "\n") }) {
            pids.allSatisfy(hasEnded)
        }
    }

    static func commandLine(_ pid: Int32) -> String {
        HostProcess.commandLine(pid)?.joined(separator: " ") ?? ""
    }
}
