/// The name inside `{{NAME}}`: `[A-Z][A-Z0-9_]*`.
public enum PlaceholderName {
    /// `HOME` is always this machine's home directory; it cannot be redefined.
    public static let home = "HOME"

    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, first.isASCIIUpper, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { $0.isASCIIUpper || $0.isASCIIDigit || $0 == UInt8(ascii: "_") }
    }

    public static func validate(_ name: String, location: String? = nil) throws(PlaceholderError) {
        guard isValid(name) else { throw .invalidName(name, location: location) }
    }
}
