import Foundation

/// The real Claude Code logs in the shared fixtures, rewritten as if a machine of the sandbox wrote them.
enum RealSessions {
    struct Session {
        /// Path relative to `fixtures/real-sessions`, e.g. `marot__spotter/short.jsonl`.
        let name: String
        let bytes: [UInt8]
    }

    /// The fixtures' own machine paths: the spotter logs ran under `/home/USER` (redacted) and
    /// `/home/marco`, the claude-code-viewer logs in `/path/to/Demo` (anonymised).
    static func rewritten(for machine: Machine, only names: Set<String>? = nil) throws -> [Session] {
        let (root, files) = try Tools.realSessionFiles()
        let rules = [
            (from: "/home/marco/projects", to: machine.projects),
            (from: "/home/USER/projects", to: machine.projects),
            (from: "/path/to/Demo", to: machine.projects + "/demo"),
            (from: "/home/marco", to: machine.home),
            (from: "/home/USER", to: machine.home),
        ]
        return try files.filter { names?.contains($0) ?? true }.map { name in
            let original = Array(try Data(contentsOf: root.appendingPathComponent(name)))
            return Session(name: name, bytes: Bytes.replacing(original, rules))
        }
    }

    /// What `to` must see of a file `from` wrote: `from`'s paths turned into `to`'s, longest first.
    static func translated(_ bytes: [UInt8], from: Machine, to: Machine) -> [UInt8] {
        Bytes.replacing(bytes, [(from.projects, to.projects), (from.home, to.home)])
    }
}
