import Crypto

/// SHA-1 for git's object ids, a pack file's trailer and its index's checksum.
///
/// Through swift-crypto (BoringSSL's assembly, SHA-NI where the CPU has it: about 2 GB/s here) rather
/// than libgit2's `git_odb_hash`, whose collision-detecting SHA-1 ran at a fifth of that and was a sixth
/// of a first sync's time (every session is hashed once for the sync state and once as a blob). The
/// ids are the same; only content crafted to collide (which collision detection exists to flag) would
/// be named differently than git names it.
struct SHA1 {
    private var hasher = Insecure.SHA1()

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    mutating func finish() -> [UInt8] {
        Array(hasher.finalize())
    }

    /// The id git gives a blob of `bytes`: SHA-1 of `blob <size>\0` and the bytes.
    static func blobID(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hash = SHA1()
        hash.update(Array("blob \(bytes.count)\0".utf8))
        hash.update(bytes)
        return hash.finish()
    }

    static func hex(_ id: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(id.count * 2)
        for byte in id {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
