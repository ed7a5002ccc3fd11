/// The settings every machine shares, from `.ccsync/config` at the root of the working copy.
///
/// ```
/// [placeholder "PROJECTS"]
///     ubuntu-work = /home/ana/code
///     macbook = /Users/ana/dev
/// ```
/// One `<machine-id> = <path>` line per machine; sections other than `placeholder` are left to the
/// code that uses them.
public struct SharedConfig: Sendable {
    public struct Placeholder: Sendable, Equatable {
        public let name: String
        public var paths: [(machine: MachineID, path: LocalPath)]

        public static func == (a: Placeholder, b: Placeholder) -> Bool {
            a.name == b.name && a.paths.elementsEqual(b.paths) { $0.machine == $1.machine && $0.path == $1.path }
        }
    }

    /// The path of the file inside the working copy.
    public static let relativePath = ".ccsync/config"

    public let placeholders: [Placeholder]
    public let file: GitConfigFile

    public init(parsing text: [UInt8], file: String = SharedConfig.relativePath) throws(PlaceholderError) {
        let parsed = try GitConfigFile(parsing: text, file: file)
        var placeholders: [Placeholder] = []
        for entry in parsed.entries where entry.section == "placeholder" {
            let location = "\(file):\(entry.line)"
            guard let name = entry.subsection else {
                throw .malformedConfig(file: file, line: entry.line, reason: "use [placeholder \"NAME\"] with the name in quotes")
            }
            try PlaceholderName.validate(name, location: location)
            guard name != PlaceholderName.home else { throw .reservedName(name, location: location) }
            let machine = try MachineID(entry.spelledKey, location: location)
            guard let value = entry.value else {
                throw .malformedConfig(file: file, line: entry.line, reason: "'\(entry.spelledKey)' has no path")
            }
            let path = try LocalPath(value, name: name, location: location)
            let index: Int
            if let existing = placeholders.firstIndex(where: { $0.name == name }) {
                index = existing
            } else {
                placeholders.append(Placeholder(name: name, paths: []))
                index = placeholders.count - 1
            }
            if placeholders[index].paths.contains(where: { $0.machine == machine }) {
                throw .malformedConfig(file: file, line: entry.line,
                                       reason: "machine '\(machine)' has a second path for \(name)")
            }
            placeholders[index].paths.append((machine, path))
        }
        self.placeholders = placeholders
        self.file = parsed
    }

    /// Names defined for some machine but not for `machine`.
    public func names(unmappedFor machine: MachineID) -> [String] {
        placeholders.filter { !$0.paths.contains { $0.machine == machine } }.map(\.name)
    }
}
