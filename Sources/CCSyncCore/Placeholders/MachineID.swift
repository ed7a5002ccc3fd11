/// A machine's identity in the shared configuration.
///
/// Machine ids are keys in `.ccsync/config` (`[placeholder "PROJECTS"] macbook = /Users/ana/dev`), so
/// they must be valid git config keys: letters, digits and `-`, starting with a letter. git compares keys
/// case-insensitively, so two ids that differ only in case are the same machine.
public struct MachineID: Hashable, Sendable, CustomStringConvertible {
    /// The id as the user spelled it.
    public let rawValue: String

    public init(_ raw: String, location: String? = nil) throws(PlaceholderError) {
        guard MachineID.isValid(raw) else { throw .invalidMachineID(raw, location: location) }
        rawValue = raw
    }

    public static func isValid(_ raw: String) -> Bool {
        let bytes = Array(raw.utf8)
        guard let first = bytes.first, first.isASCIILetter, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "-") }
    }

    /// The form git uses when it compares keys.
    public var key: String { rawValue.lowercased() }

    public var description: String { rawValue }

    public static func == (a: MachineID, b: MachineID) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
}

extension UInt8 {
    @inline(__always) var isASCIILetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    @inline(__always) var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    @inline(__always) var isASCIIUpper: Bool { self >= 0x41 && self <= 0x5A }
}
