import Crypto

/// One 256-bit repository key and the two keys derived from it for the line cipher (HKDF-SHA-256, one
/// label each, so the cipher key and the nonce key are independent). Its id, the first 48 bits of an
/// HMAC of a fixed label, names it in every line it encrypted, so lines written before a rotation stay
/// readable after it; the id reveals nothing about the key.
public struct RepositoryKey: Equatable {
    public let bytes: [UInt8]
    public let id: String
    let cipherKey: SymmetricKey
    let nonceKey: SymmetricKey

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a repository key is 32 bytes")
        self.bytes = bytes
        let key = SymmetricKey(data: bytes)
        let mac = HMAC<SHA256>.authenticationCode(for: Array("git-ccsync key id".utf8), using: key)
        id = Base64.encode(Array(mac.prefix(6)), alphabet: .url)
        cipherKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: [UInt8](),
                                           info: Array("git-ccsync line cipher v1: AES-256-GCM-SIV".utf8),
                                           outputByteCount: 32)
        nonceKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: [UInt8](),
                                          info: Array("git-ccsync line cipher v1: nonce".utf8),
                                          outputByteCount: 32)
    }

    /// A new key from the system's random generator.
    public static func generate() -> RepositoryKey {
        RepositoryKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    public static func == (a: RepositoryKey, b: RepositoryKey) -> Bool { AgeFile.constantTimeEqual(a.bytes, b.bytes) }
}
