import Crypto

/// An age X25519 identity, `AGE-SECRET-KEY-1...`: a machine's private key. It lives in a file only that
/// machine's user can read, outside the repository, in the format `age-keygen` writes (comment lines,
/// then the key), so `age -d -i <file>` accepts it as it is.
public struct AgeIdentity {
    public let privateKey: Curve25519.KeyAgreement.PrivateKey

    public init(_ privateKey: Curve25519.KeyAgreement.PrivateKey) { self.privateKey = privateKey }

    /// A new random identity.
    public static func generate() -> AgeIdentity { AgeIdentity(Curve25519.KeyAgreement.PrivateKey()) }

    /// Reads the first identity of an identity file: `#` comments and blank lines are skipped.
    public init(parsingFile text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = String(line).trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            self = try AgeIdentity(parsing: trimmed)
            return
        }
        throw AgeError.invalidIdentity
    }

    public init(parsing text: String) throws {
        guard text == text.uppercased(), let (prefix, data) = Bech32.decode(text), prefix == "age-secret-key-",
              data.count == 32, let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data)
        else { throw AgeError.invalidIdentity }
        privateKey = key
    }

    public var recipient: AgeRecipient { AgeRecipient(privateKey.publicKey) }

    /// `AGE-SECRET-KEY-1...`
    public var secretKeyText: String {
        Bech32.encode(prefix: "age-secret-key-", data: Array(privateKey.rawRepresentation)).uppercased()
    }

    /// The content of an identity file, as age-keygen writes it.
    public func fileText(created: String) -> String {
        "# created: \(created)\n# public key: \(recipient)\n\(secretKeyText)\n"
    }
}
