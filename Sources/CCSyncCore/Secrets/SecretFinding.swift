/// One secret found in a byte string. It holds where the secret is, never the secret: printing a
/// finding, or a list of them, shows only the kind and the line.
public struct SecretFinding: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let kind: SecretKind
    /// 1-based: the number of newline bytes before `range.lowerBound`, plus one.
    public let line: Int
    /// The secret's bytes in the scanned input (a private key block includes its BEGIN and END lines).
    public let range: Range<Int>

    public init(kind: SecretKind, line: Int, range: Range<Int>) {
        self.kind = kind
        self.line = line
        self.range = range
    }

    public var description: String { "\(kind.rawValue) on line \(line)" }
    public var debugDescription: String { description }
}
