import Crypto

/// An age X25519 recipient, `age1...`: the public half of a machine's identity, safe to publish (it is
/// written into the repository so trusted machines can encrypt the repository key to it).
public struct AgeRecipient: Equatable, Hashable, CustomStringConvertible {
    public let publicKey: Curve25519.KeyAgreement.PublicKey

    public init(_ publicKey: Curve25519.KeyAgreement.PublicKey) { self.publicKey = publicKey }

    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        guard trimmed == trimmed.lowercased(), let (prefix, data) = Bech32.decode(trimmed), prefix == "age",
              data.count == 32, let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: data)
        else { throw AgeError.invalidRecipient(trimmed) }
        publicKey = key
    }

    public var description: String { Bech32.encode(prefix: "age", data: Array(publicKey.rawRepresentation)) }

    public static func == (a: AgeRecipient, b: AgeRecipient) -> Bool {
        a.publicKey.rawRepresentation == b.publicKey.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(publicKey.rawRepresentation) }
}

extension String {
    /// Without leading and trailing spaces, tabs, CR and LF.
    func trimmingWhitespace() -> String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !isSpace($0) })!
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
