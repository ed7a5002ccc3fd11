/// Why a placeholder map could not be built or a placeholder could not be used.
///
/// Each message names the file and line where one is known, so that a malformed
/// `.ccsync/config` is never silently read as an empty map.
public enum PlaceholderError: Error, Equatable, Sendable {
    case invalidName(String, location: String?)
    case invalidMachineID(String, location: String?)
    case pathNotAbsolute(name: String, path: String, location: String?)
    case pathHasControlCharacters(name: String, location: String?)
    case malformedConfig(file: String, line: Int, reason: String)
    case unreadableConfig(file: String, reason: String)
    case reservedName(String, location: String?)
}

extension PlaceholderError: CustomStringConvertible {
    public var description: String {
        func at(_ location: String?) -> String { location.map { " (\($0))" } ?? "" }
        switch self {
        case let .invalidName(name, location):
            return "invalid placeholder name '\(name)'\(at(location)): names are upper-case letters, digits and '_', starting with a letter, e.g. PROJECTS"
        case let .invalidMachineID(id, location):
            return "invalid machine id '\(id)'\(at(location)): use letters, digits and '-', starting with a letter, e.g. macbook or ubuntu-work"
        case let .pathNotAbsolute(name, path, location):
            return "path '\(path)' for placeholder \(name) is not absolute\(at(location))"
        case let .pathHasControlCharacters(name, location):
            return "path for placeholder \(name) contains control characters\(at(location))"
        case let .malformedConfig(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .unreadableConfig(file, reason):
            return "reading \(file): \(reason)"
        case let .reservedName(name, location):
            return "placeholder name \(name) is built in and cannot be configured\(at(location))"
        }
    }
}
