import Foundation
import Testing

/// Every line the tests wrote into some machine's Claude store, by session: what must, in the end,
/// be in every machine's copy of that session, with the paths of the machine that holds it.
final class LineLedger {
    struct Session: Hashable {
        let id: String
        /// The project folder under each machine's `PROJECTS`.
        let project: String

        var log: String { "\(id).jsonl" }

        func cwd(on machine: SyncMachine) -> String { machine.projects + "/" + project }
    }

    private var written: [Session: [(writer: SyncMachine, lines: [UInt8])]] = [:]
    private var tags = 0

    /// A fresh tag for `SessionRecords.lines`, so that no two batches share a uuid.
    func nextTag() -> Int {
        tags += 1
        return tags
    }

    var lineCount: Int { written.values.joined().reduce(0) { $0 + Lines.of($1.lines).count } }
    var sessions: [Session] { written.keys.sorted { $0.id < $1.id } }

    /// Appends `count` new records to `session` in `machine`'s store (creating the log if needed), as
    /// Claude does, and remembers them.
    func append(_ count: Int, to session: Session, on machine: SyncMachine) throws {
        let cwd = session.cwd(on: machine)
        let lines = SessionRecords.lines(count, tag: nextTag(), session: session.id, cwd: cwd, on: machine)
        if machine.storeHas(cwd: cwd, session.log) {
            try machine.appendStore(cwd: cwd, session.log, lines)
        } else {
            try machine.writeStore(cwd: cwd, session.log, lines)
        }
        record(lines, in: session, by: machine)
    }

    /// Remembers lines something else (a stand-in Claude) wrote into `machine`'s store.
    func record(_ lines: [UInt8], in session: Session, by machine: SyncMachine) {
        written[session, default: []].append((machine, lines))
    }

    /// Every line written to `session`, as `machine` must have it.
    func expectedLines(of session: Session, on machine: SyncMachine) -> [[UInt8]] {
        (written[session] ?? []).flatMap { Lines.of($0.writer.translated($0.lines, to: machine)) }
    }

    /// Each machine's copy of each session holds every line written to it anywhere (translated), and
    /// none of them twice (the merge is by record: a duplicate would show twice in Claude).
    func expectEverywhere(_ machines: [SyncMachine], _ context: String, sandbox: Sandbox) {
        for machine in machines {
            for session in sessions {
                let expected = expectedLines(of: session, on: machine)
                let log = (try? machine.readStore(cwd: session.cwd(on: machine), session.log)) ?? []
                var counts: [[UInt8]: Int] = [:]
                for line in Lines.of(log) { counts[line, default: 0] += 1 }
                let missing = expected.filter { counts[$0] == nil }
                let doubled = expected.filter { (counts[$0] ?? 0) > 1 }
                sandbox.check(missing.isEmpty, "\(context): \(machine.id)'s \(session.project)/\(session.log) lacks "
                              + "\(missing.count) of \(expected.count) lines (it has \(counts.count)); the first: "
                              + String(decoding: (missing.first ?? []).prefix(240), as: UTF8.self))
                sandbox.check(doubled.isEmpty, "\(context): \(machine.id)'s \(session.project)/\(session.log) has "
                              + "\(doubled.count) lines more than once; the first: "
                              + String(decoding: (doubled.first ?? []).prefix(240), as: UTF8.self))
            }
        }
    }
}
