#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a blob as a loose object whose zlib stream uses stored (uncompressed) blocks: what git itself
/// writes with `core.looseCompression = 0`, and what libgit2 cannot (it ignores that setting, and its
/// level 0 writes no zlib framing at all, which neither git nor libgit2 can read back). An encrypted
/// working copy sets that level because ciphertext does not compress: zlib spent most of a push's time
/// on a big session failing to (0.8 s for 12 MB here). git and libgit2 read these objects as any other.
enum StoredLooseObject {
    /// Writes `content` as blob `id` (its git blob id) under `objectsDirectory` unless it is there already.
    static func write(_ content: [UInt8], id: String, objectsDirectory: String) throws(GitError) {
        let directory = objectsDirectory + "/" + id.prefix(2)
        let path = directory + "/" + id.dropFirst(2)
        if access(path, F_OK) == 0 { return }
        var stream = Array("blob \(content.count)\0".utf8)
        let total = stream.count + content.count
        var out: [UInt8] = [0x78, 0x01]
        out.reserveCapacity(total + total / 65535 * 5 + 16)
        var adlerA: UInt32 = 1, adlerB: UInt32 = 0
        func block(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) {
            let count = bytes.count
            out.append(final ? 1 : 0)
            out.append(UInt8(count & 0xFF)); out.append(UInt8(count >> 8))
            out.append(UInt8(~count & 0xFF)); out.append(UInt8((~count >> 8) & 0xFF))
            out.append(contentsOf: bytes)
            // Adler-32, reduced every 5552 bytes (the most that cannot overflow 32 bits).
            var start = 0
            while start < count {
                let end = min(start + 5552, count)
                for i in start..<end {
                    adlerA &+= UInt32(bytes[i])
                    adlerB &+= adlerA
                }
                adlerA %= 65521
                adlerB %= 65521
                start = end
            }
        }
        stream += content
        stream.withUnsafeBufferPointer { all in
            var start = 0
            repeat {
                let end = min(start + 65535, all.count)
                block(UnsafeBufferPointer(rebasing: all[start..<end]), final: end == all.count)
                start = end
            } while start < all.count
        }
        for shift in [24, 16, 8, 0] as [UInt32] { out.append(UInt8((adlerB << 16 | adlerA) >> shift & 0xFF)) }

        mkdir(directory, 0o755)
        let temp = directory + "/tmp_obj_ccsync_\(getpid())"
        do {
            try FileSystem.writeAtomically(temp, out, mode: 0o444)
        } catch {
            throw GitError(code: -1, errorClass: 0, message: "\(error)", call: "writing object \(id)")
        }
        guard rename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw GitError(code: -1, errorClass: 0, message: String(cString: strerror(code)), call: "writing object \(id)")
        }
    }
}
