import Crypto

/// age's payload: a 16-byte random nonce, then the plaintext in 64 KiB chunks, each sealed with
/// ChaCha20-Poly1305 under HKDF-SHA-256(file key, salt: nonce, info "payload"), with the nonce an 11-byte
/// big-endian chunk counter and a last-chunk flag byte. The flag makes truncation at a chunk boundary
/// detectable; only an empty plaintext has an empty (last) chunk.
enum AgePayload {
    static let chunkSize = 64 * 1024
    private static let tagSize = 16

    private static func key(fileKey: SymmetricKey, nonce: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: fileKey, salt: nonce, info: Array("payload".utf8), outputByteCount: 32)
    }

    private static func chunkNonce(_ counter: Int, last: Bool) throws -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        var value = UInt64(counter)
        for i in stride(from: 10, through: 3, by: -1) {
            bytes[i] = UInt8(value & 0xFF)
            value >>= 8
        }
        bytes[11] = last ? 1 : 0
        return try ChaChaPoly.Nonce(data: bytes)
    }

    static func seal(_ plaintext: [UInt8], fileKey: SymmetricKey) throws -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in nonce.indices { nonce[i] = generator.next() }
        let payloadKey = key(fileKey: fileKey, nonce: nonce)
        var out = nonce
        var start = 0
        var counter = 0
        repeat {
            let end = min(start + chunkSize, plaintext.count)
            let last = end == plaintext.count
            let box = try ChaChaPoly.seal(plaintext[start..<end], using: payloadKey, nonce: chunkNonce(counter, last: last))
            out += box.ciphertext
            out += box.tag
            start = end
            counter += 1
        } while start < plaintext.count
        return out
    }

    static func open(_ payload: ArraySlice<UInt8>, fileKey: SymmetricKey) throws -> [UInt8] {
        guard payload.count >= 16 + tagSize else { throw AgeError.truncatedPayload }
        let nonce = Array(payload.prefix(16))
        let payloadKey = key(fileKey: fileKey, nonce: nonce)
        var out: [UInt8] = []
        var start = payload.startIndex + 16
        var counter = 0
        while true {
            let remaining = payload.endIndex - start
            let last = remaining <= chunkSize + tagSize
            let end = last ? payload.endIndex : start + chunkSize + tagSize
            guard end - start >= tagSize else { throw AgeError.truncatedPayload }
            let chunk = payload[start..<end]
            let box = try ChaChaPoly.SealedBox(nonce: chunkNonce(counter, last: last),
                                               ciphertext: chunk.dropLast(tagSize), tag: chunk.suffix(tagSize))
            guard let plain = try? ChaChaPoly.open(box, using: payloadKey) else {
                throw AgeError.payloadAuthenticationFailed(chunk: counter)
            }
            if last, plain.isEmpty, counter > 0 { throw AgeError.malformedHeader("empty last chunk") }
            out += plain
            if last { return out }
            start = end
            counter += 1
        }
    }
}
