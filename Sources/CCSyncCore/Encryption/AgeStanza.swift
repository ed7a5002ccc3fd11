import Crypto

/// One recipient stanza of an age header: `-> <type> <args...>` then its body in base64, 64 columns a
/// line, the last line shorter than 64 (possibly empty). Only X25519 stanzas are made and opened here;
/// stanzas of other types are parsed and skipped, as the format requires.
struct AgeStanza: Equatable {
    static let x25519Label = Array("age-encryption.org/v1/X25519".utf8)

    var type: String
    var arguments: [String]
    var body: [UInt8]

    /// The stanza's lines, each ending in `\n`.
    var text: String {
        var out = "-> " + ([type] + arguments).joined(separator: " ") + "\n"
        let encoded = Base64.encode(body, alphabet: .standard)
        var rest = Substring(encoded)
        while rest.count >= 64 {
            out += rest.prefix(64) + "\n"
            rest = rest.dropFirst(64)
        }
        return out + rest + "\n"
    }

    /// Wraps `fileKey` to `recipient`: a fresh ephemeral X25519 key, the shared secret through HKDF-SHA-256
    /// (salt: ephemeral share then recipient) into a ChaCha20-Poly1305 key, zero nonce (each key is used
    /// once).
    static func wrap(fileKey: SymmetricKey, to recipient: AgeRecipient) throws -> AgeStanza {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let share = Array(ephemeral.publicKey.rawRepresentation)
        let secret = try ephemeral.sharedSecretFromKeyAgreement(with: recipient.publicKey)
        let wrapKey = try wrappingKey(secret: secret, share: share, recipient: recipient)
        let box = try ChaChaPoly.seal(fileKey.withUnsafeBytes { Array($0) }, using: wrapKey,
                                      nonce: ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)))
        return AgeStanza(type: "X25519", arguments: [Base64.encode(share, alphabet: .standard)],
                         body: Array(box.ciphertext) + Array(box.tag))
    }

    /// The file key, if this is an X25519 stanza for `identity`; nil when it is for another recipient.
    /// A malformed X25519 stanza is an error (age rejects the file rather than skipping it).
    func unwrap(with identity: AgeIdentity) throws -> SymmetricKey? {
        guard type == "X25519" else { return nil }
        guard arguments.count == 1, let share = Base64.decode(arguments[0], alphabet: .standard), share.count == 32,
              body.count == 32, let sharePoint = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: share)
        else { throw AgeError.malformedHeader("invalid X25519 stanza") }
        guard let secret = try? identity.privateKey.sharedSecretFromKeyAgreement(with: sharePoint) else {
            throw AgeError.malformedHeader("X25519 share is a low-order point")
        }
        // A low-order share gives the all-zero secret: age rejects it.
        if secret.withUnsafeBytes({ $0.allSatisfy { $0 == 0 } }) {
            throw AgeError.malformedHeader("X25519 share is a low-order point")
        }
        let wrapKey = try AgeStanza.wrappingKey(secret: secret, share: share, recipient: identity.recipient)
        let sealed = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)),
                                              ciphertext: body.prefix(16), tag: body.suffix(16))
        guard let fileKey = try? ChaChaPoly.open(sealed, using: wrapKey) else { return nil }
        return SymmetricKey(data: fileKey)
    }

    private static func wrappingKey(secret: SharedSecret, share: [UInt8], recipient: AgeRecipient) throws -> SymmetricKey {
        let salt = share + Array(recipient.publicKey.rawRepresentation)
        return secret.withUnsafeBytes { ikm in
            HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: ikm), salt: salt, info: x25519Label,
                                   outputByteCount: 32)
        }
    }
}
