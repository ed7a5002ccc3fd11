/// A machine's registration, `.ccsync/machines/<id>`: `key = value` lines (`os`, `home`, `registered`,
/// and `version`, the git-ccsync that last pushed from it). Lines this version does not know are kept
/// as they are, so a rewrite by one version never drops what another wrote.
public struct MachineRecord: Sendable, Equatable {
    public let machine: String
    public private(set) var lines: [String]

    public static let folder = ".ccsync/machines"

    /// The record's path in the working copy.
    public static func relativePath(_ machine: MachineID) -> String { folder + "/" + machine.rawValue }

    public init(machine: String, parsing bytes: [UInt8]) {
        self.machine = machine
        lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    public func value(_ key: String) -> String? {
        for line in lines {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmed == key { return parts[1].trimmed }
        }
        return nil
    }

    /// Sets `key`, in place when the record has it, else as a new last line.
    public mutating func set(_ key: String, _ value: String) {
        let line = "\(key) = \(value)"
        if let index = lines.firstIndex(where: { $0.split(separator: "=", maxSplits: 1).first?.trimmed == key }) {
            lines[index] = line
        } else {
            lines.append(line)
        }
    }

    /// The git-ccsync version that last pushed from this machine; nil when older versions wrote the record.
    public var version: String? { value("version").flatMap { $0.isEmpty ? nil : $0 } }

    /// Whether this machine may run a version that cannot see sessions kept in parts.
    public var mayMissSessionParts: Bool {
        guard let version else { return true }
        return CCSyncVersion.isOlder(version, than: CCSyncVersion.sessionParts)
    }

    public var bytes: [UInt8] { Array(lines.map { $0 + "\n" }.joined().utf8) }

    /// Every machine's record in the working copy at `root`, sorted by machine.
    public static func all(in root: String) -> [MachineRecord] {
        let dir = root + "/" + folder
        return ((try? FileSystem.list(dir)) ?? []).sorted().compactMap { name in
            guard !name.hasPrefix("."), FileStat(path: dir + "/" + name)?.kind == .regular,
                  let bytes = try? readFile(dir + "/" + name) else { return nil }
            return MachineRecord(machine: name, parsing: bytes)
        }
    }
}
