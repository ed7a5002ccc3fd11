/// This machine's placeholders: each name with this machine's path, in match order.
///
/// Built from the shared `.ccsync/config` (one path per machine per name), this machine's id, and the
/// built-in `HOME`. User-defined names take precedence over `HOME`, and longer paths are tried first, so
/// `/home/ana/code/x` becomes `{{PROJECTS}}/x` and not `{{HOME}}/code/x`.
public struct PlaceholderMap: Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let path: LocalPath
        public let isBuiltIn: Bool
    }

    public let entries: [Entry]

    /// - Parameters:
    ///   - home: this machine's home directory; nil or a filesystem root leaves `HOME` unmapped.
    ///   - placeholders: user-defined names and this machine's path for each.
    public init(home: String?, placeholders: [(name: String, path: LocalPath)]) throws(PlaceholderError) {
        var entries: [Entry] = []
        for (name, path) in placeholders {
            try PlaceholderName.validate(name)
            guard name != PlaceholderName.home else { throw .reservedName(name, location: nil) }
            entries.append(Entry(name: name, path: path, isBuiltIn: false))
        }
        if let home, let path = try? LocalPath(home, name: PlaceholderName.home) {
            entries.append(Entry(name: PlaceholderName.home, path: path, isBuiltIn: true))
        }
        self.entries = entries.sorted { a, b in
            if a.path.bytes.count != b.path.bytes.count { return a.path.bytes.count > b.path.bytes.count }
            if a.isBuiltIn != b.isBuiltIn { return !a.isBuiltIn }
            return a.name < b.name
        }
    }

    /// The map for `machine` from the shared configuration.
    public init(config: SharedConfig, machine: MachineID, home: String?) throws(PlaceholderError) {
        var mine: [(name: String, path: LocalPath)] = []
        for placeholder in config.placeholders {
            if let path = placeholder.paths.first(where: { $0.machine == machine })?.path {
                mine.append((placeholder.name, path))
            }
        }
        try self.init(home: home, placeholders: mine)
    }

    public func path(for name: String) -> LocalPath? {
        entries.first { $0.name == name }?.path
    }
}
