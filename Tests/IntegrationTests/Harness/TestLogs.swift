import Foundation
import SessionLogFixtures

/// The generated Claude Code logs (`SessionLogFixtures`) as a machine of the sandbox writes them: with its
/// home and `PROJECTS` in every path.
enum TestLogs {
    struct File {
        /// `<session name>/<path inside the project folder>`, e.g. `short/<id>.jsonl`, `agents/<id>/subagents/...`.
        let name: String
        let bytes: [UInt8]
    }

    static func paths(of machine: Machine) -> LogMachine {
        LogMachine(home: machine.home, projects: machine.projects)
    }

    /// The named session (`short`, `tool-heavy`, `agents`, `legacy`, `twelve-mb-line`, `invalid-utf8`,
    /// `half-written-last-line`) as `machine` writes it.
    static func session(_ name: String, for machine: Machine) throws -> GeneratedSession {
        guard let session = GeneratedSessions.named(name, for: paths(of: machine)) else {
            throw HarnessError("no generated session \(name)")
        }
        return session
    }

    /// Every file of every generated session (logs, subagent logs and their meta, tool results, memory).
    static func files(for machine: Machine) -> [File] {
        GeneratedSessions.all(for: paths(of: machine)).flatMap { session in
            session.files.keys.sorted().map { File(name: session.name + "/" + $0, bytes: session.files[$0]!) }
        }
    }

    /// What `to` must see of a file `from` wrote: `from`'s paths turned into `to`'s, longest first.
    static func translated(_ bytes: [UInt8], from: Machine, to: Machine) -> [UInt8] {
        Bytes.replacing(bytes, [(from.projects, to.projects), (from.home, to.home)])
    }
}
