/// Other machines that may run a git-ccsync too old to read sessions kept in parts, while the
/// repository holds such sessions. An older version leaves `<id>.parts/` alone (its session is never
/// broken), but silently: on that machine the session just stops updating. Old versions check nothing
/// we could use to tell them, so the machines that do understand parts say it, from the `version`
/// each machine's record carries (`MachineRecord`): `status`, `doctor`, and `push` once per change.
public struct OlderMachines: Sendable, Equatable {
    public struct Machine: Sendable, Equatable {
        public let id: String
        /// The version its record names; nil when its record names none (written by an older version).
        public let version: String?
    }

    public let machines: [Machine]
    public let sessionsInParts: Int

    /// What the working copy at `copy` holds now; nil when no session is in parts or every other
    /// machine has pushed with a version that reads them. Reads the small machine records, and only
    /// when one of them names an older version (or none) the project folders' listings: what every
    /// push pays is one directory listing and a few short files.
    public static func find(copy: WorkingCopy) -> OlderMachines? {
        let machines = MachineRecord.all(in: copy.root)
            .filter { $0.machine != copy.machine.rawValue && $0.mayMissSessionParts }
            .map { Machine(id: $0.machine, version: $0.version) }
        guard !machines.isEmpty else { return nil }
        let sessions = sessionsInParts(projects: copy.projectsPath)
        return sessions == 0 ? nil : OlderMachines(machines: machines, sessionsInParts: sessions)
    }

    static func sessionsInParts(projects: String) -> Int {
        var count = 0
        for key in (try? FileSystem.list(projects)) ?? [] where ProjectKey.isValid(key) {
            for name in (try? FileSystem.list(projects + "/" + key)) ?? [] where name.hasSuffix(SessionParts.folderSuffix) {
                count += 1
            }
        }
        return count
    }

    /// One line per machine, e.g. "machine laptop runs git-ccsync 0.0.9, which cannot see the 2
    /// sessions kept in parts …; upgrade it there: …".
    public var messages: [String] {
        let sessions = sessionsInParts == 1 ? "the session" : "the \(sessionsInParts) sessions"
        return machines.map { machine in
            let runs = machine.version.map { "runs git-ccsync \($0)" }
                ?? "runs an older git-ccsync (it has not pushed with \(CCSyncVersion.sessionParts) or newer)"
            return "machine \(machine.id) \(runs), which cannot see \(sessions) kept in parts (over ccsync.maxFileSize): "
                + "there they stop updating; upgrade it there: install git-ccsync \(CCSyncVersion.string) or newer (make install), "
                + "then git ccsync push"
        }
    }

    /// What a push compares with the last one it told about (`SyncMarkers.olderMachines`).
    public var key: String {
        (machines.map { "\($0.id)@\($0.version ?? "")" } + ["sessions=\(sessionsInParts)"]).joined(separator: "\n")
    }
}
