import Crypto
import _CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The encrypted repository form: each line of a file encrypted on its own, deterministically, bound to
/// the file's repository path, and written as one text line:
///
///     ccs1.<key id>.<base64url(nonce || ciphertext || tag)>
///
/// so git still sees lines: an append adds lines only, deltas between versions work, the merge driver can
/// pair lines, and a checkout is never shown modified (clean of the same content gives the same bytes).
///
/// Construction, per line `m` of the file at path `p`, with `K` the current repository key:
/// nonce = first 12 bytes of HMAC-SHA-256(K_nonce, p || 0x00 || m); c = AES-256-GCM-SIV(K_cipher, nonce,
/// m, associated data p). Why this is safe: GCM-SIV is misuse-resistant, so even a repeated nonce would
/// reveal only that two (path, line) pairs are equal, never the XOR of two plaintexts or the
/// authentication key; with the nonce a PRF of (p, m), distinct lines get independent nonces (the
/// nonce-respecting bound) and equal (p, m) give equal ciphertext, which is the one intended leak (it is
/// what keeps appends appends). Binding p as associated data means a line cannot be moved into another
/// file unnoticed; within a file, lines can still be removed or reordered by whoever can write to the
/// remote, as whole versions of the file can be replaced by older ones: that is git's history, not
/// secrecy, and the README says so. The `\n` separators stay outside the ciphertext, so line count and
/// line lengths are visible.
public struct LineCipher {
    static let prefix = Array("ccs1.".utf8)
    private static let nonceCount = 12
    private static let tagCount = 16

    public let keyring: RepositoryKeyring

    public init(keyring: RepositoryKeyring) { self.keyring = keyring }

    /// True when `bytes` is empty or begins like an encrypted line: a cheap test of which form a file is in.
    public static func looksEncrypted(_ bytes: [UInt8]) -> Bool {
        bytes.isEmpty || (bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix)
    }

    /// Encrypts `plain` line by line. Where `previous` (this path's current repository form, already
    /// decrypted into lines) has the same plaintext line at the same position, its ciphertext is kept
    /// byte for byte: after a key rotation old lines keep their old encryption, so the stored form stays
    /// stable and an append still only adds lines.
    public func encrypt(_ plain: [UInt8], path: String, keeping previous: DecryptedLines? = nil, into out: inout [UInt8]) throws {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(plain.count * 4 / 3 + 64)
        let key = keyring.current
        let pathBytes = Array(path.utf8)
        var nonceMAC = HMAC<SHA256>(key: key.nonceKey)
        nonceMAC.update(data: pathBytes + [0])
        var index = 0
        var stillMatching = previous != nil
        try plain.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let newline = all[start...].firstIndex(of: 0x0A)
                let end = newline ?? all.count
                let line = UnsafeRawBufferPointer(rebasing: all[start..<end])
                if stillMatching, let previous, index < previous.count, previous.plainLineEquals(index, line) {
                    out.append(contentsOf: previous.cipherLine(index))
                } else {
                    stillMatching = false
                    try seal(line, key: key, nonceMAC: nonceMAC, path: pathBytes, into: &out)
                }
                if newline != nil { out.append(0x0A) }
                index += 1
                start = end + 1
            }
        }
    }

    private func seal(_ line: UnsafeRawBufferPointer, key: RepositoryKey, nonceMAC: HMAC<SHA256>, path: [UInt8],
                      into out: inout [UInt8]) throws {
        var mac = nonceMAC
        mac.update(data: line)
        let nonce = try AES.GCM._SIV.Nonce(data: Array(mac.finalize()).prefix(LineCipher.nonceCount))
        let box = try AES.GCM._SIV.seal(line, using: key.cipherKey, nonce: nonce, authenticating: path)
        out.append(contentsOf: LineCipher.prefix)
        out.append(contentsOf: key.id.utf8)
        out.append(UInt8(ascii: "."))
        box.combined.withUnsafeBytes { Base64.encode($0, alphabet: .url, into: &out) }
    }

    /// Decrypts every line of `cipher`; an error names the path and the (1-based) line that failed.
    public func decrypt(_ cipher: [UInt8], path: String) throws -> DecryptedLines {
        let pathBytes = Array(path.utf8)
        var lines = DecryptedLines(cipher: cipher)
        var scratch: [UInt8] = []
        try cipher.withUnsafeBufferPointer { all in
            var start = 0
            var number = 1
            while start < all.count {
                let newline = all[start...].firstIndex(of: 0x0A)
                let end = newline ?? all.count
                let plain = try open(UnsafeBufferPointer(rebasing: all[start..<end]), path: path, pathBytes: pathBytes,
                                     line: number, scratch: &scratch)
                lines.append(cipherRange: start..<end, plain: plain, terminated: newline != nil)
                number += 1
                start = end + 1
            }
        }
        return lines
    }

    private func open(_ line: UnsafeBufferPointer<UInt8>, path: String, pathBytes: [UInt8], line number: Int,
                      scratch: inout [UInt8]) throws -> Data {
        let p = LineCipher.prefix.count
        let idCount = 8
        guard line.count > p + idCount + 1, Array(line[0..<p]) == LineCipher.prefix,
              line[p + idCount] == UInt8(ascii: ".")
        else { throw EncryptionError.tamperedLine(path: path, line: number) }
        let id = String(decoding: UnsafeBufferPointer(rebasing: line[p..<(p + idCount)]), as: UTF8.self)
        guard let key = keyring.key(id: id) else { throw EncryptionError.unknownKey(path: path, line: number, keyID: id) }
        scratch.removeAll(keepingCapacity: true)
        guard Base64.decode(UnsafeBufferPointer(rebasing: line[(p + idCount + 1)...]), alphabet: .url, into: &scratch),
              scratch.count >= LineCipher.nonceCount + LineCipher.tagCount,
              let box = try? AES.GCM._SIV.SealedBox(combined: scratch),
              let plain = try? AES.GCM._SIV.open(box, using: key.cipherKey, authenticating: pathBytes)
        else { throw EncryptionError.tamperedLine(path: path, line: number) }
        return plain
    }
}
