import Crypto

/// Encrypts and decrypts age files (age-encryption.org/v1) for X25519 recipients: a random 16-byte file
/// key wrapped once per recipient, the header authenticated with it, the payload streamed in chunks.
/// Written from the specification; `age` and `age-keygen` read and write the same files.
public enum AgeFile {
    public static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient]) throws -> [UInt8] {
        precondition(!recipients.isEmpty, "an age file needs a recipient")
        let fileKey = SymmetricKey(size: .bits128)
        var header = AgeHeader(stanzas: try recipients.map { try AgeStanza.wrap(fileKey: fileKey, to: $0) }, mac: [])
        header.mac = AgeHeader.mac(fileKey: fileKey, over: header.macInput)
        return header.encoded + (try AgePayload.seal(plaintext, fileKey: fileKey))
    }

    public static func decrypt(_ file: [UInt8], identity: AgeIdentity) throws -> [UInt8] {
        let (header, macInput, payloadStart) = try AgeHeader.parse(file)
        var fileKey: SymmetricKey?
        for stanza in header.stanzas {
            if let key = try stanza.unwrap(with: identity) {
                fileKey = key
                break
            }
        }
        guard let fileKey else { throw AgeError.noMatchingIdentity }
        let expected = AgeHeader.mac(fileKey: fileKey, over: macInput)
        guard constantTimeEqual(expected, header.mac) else { throw AgeError.headerMACMismatch }
        return try AgePayload.open(file[payloadStart...], fileKey: fileKey)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
