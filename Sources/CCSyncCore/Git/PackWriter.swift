import Clibgit2
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blobs written straight into a pack file with its index, as `git index-pack` would leave them, instead
/// of one loose object each.
///
/// Why: a first sync stages hundreds of megabytes. As loose objects, each is compressed once when staged
/// and again when `git push` packs it (pack-objects cannot reuse a loose object's compressed bytes); in a
/// pack, the push copies the compressed bytes as they are. The compression level is chosen for the job:
/// level 1 (zlib's fastest) costs a fraction of git's default 6, for a pack a few percent larger, and
/// the push's delta search still finds the deltas that matter later (a session's next version against
/// this one).
///
/// The result is an ordinary pack (`git fsck` and `git verify-pack` check it): version 2, undeltified
/// entries, its trailer the SHA-1 of its bytes; the index version 2 with CRC-32s and 64-bit offsets
/// where needed. Both are written under temporary names and renamed into `objects/pack` (the pack
/// first: git looks for packs by their index), so a killed writer leaves only a `tmp_pack_*` file, which
/// git's own gc removes, and never a pack that git could half-read.
public final class PackWriter {
    private let packDirectory: String
    private let temporaryPack: String
    private let level: Int32
    private var fd: Int32
    private var offset: UInt64 = 12
    private var entries: [(id: [UInt8], crc: UInt32, offset: UInt64)] = []
    private var written = Set<[UInt8]>()
    private var finished = false

    /// - Parameters:
    ///   - objectsDirectory: the repository's `objects` folder.
    ///   - level: zlib's level, 1 (fastest) to 9.
    public init(objectsDirectory: String, level: Int32 = 1) throws {
        packDirectory = objectsDirectory + "/pack"
        try FileSystem.makeDirectories(packDirectory)
        Self.removeStaleTemporaries(in: packDirectory)
        temporaryPack = packDirectory + "/tmp_pack_ccsync_\(getpid())"
        self.level = level
        fd = open(temporaryPack, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileIOError(path: temporaryPack, operation: "creating", errno: errno) }
        // The header's count is filled in by `finish`.
        try append(Array("PACK".utf8) + [0, 0, 0, 2, 0, 0, 0, 0])
        offset = 12
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !finished {
            _ = unlink(temporaryPack)
            _ = unlink(temporaryPack + ".idx")
        }
    }

    public var count: Int { entries.count }

    /// The temporary files of writers that were killed (their process is gone): git would only remove
    /// them after two weeks, and `git count-objects -v` reports them as garbage until then.
    static func removeStaleTemporaries(in directory: String) {
        let prefix = "tmp_pack_ccsync_"
        for name in (try? FileSystem.list(directory)) ?? [] where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = pid_t(digits), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            _ = unlink(directory + "/" + name)
        }
    }

    /// Adds a blob (once, however often it is added); returns its object id.
    public func addBlob(_ content: [UInt8]) throws -> String {
        let id = content.withUnsafeBytes { SHA1.blobID($0) }
        let hex = SHA1.hex(id)
        guard written.insert(id).inserted else { return hex }
        // Type 3 (blob) and the size, 4 bits then 7 per byte, least significant first.
        var header: [UInt8] = []
        var size = content.count
        var byte = UInt8(0x30 | (size & 0x0F))
        size >>= 4
        while size > 0 {
            header.append(byte | 0x80)
            byte = UInt8(size & 0x7F)
            size >>= 7
        }
        header.append(byte)
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(content.count))))
        var compressedLength = uLong(compressed.count)
        let status = compressed.withUnsafeMutableBytes { out in
            content.withUnsafeBytes { input in
                compress2(out.baseAddress!.assumingMemoryBound(to: Bytef.self), &compressedLength,
                          input.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(content.count), level)
            }
        }
        guard status == Z_OK else { throw PackWriterError.compression(status) }
        var crc = header.withUnsafeBytes { crc32(0, $0.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt($0.count)) }
        crc = compressed.withUnsafeBytes { crc32(crc, $0.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(compressedLength)) }
        entries.append((id, UInt32(truncatingIfNeeded: crc), offset))
        try append(header)
        try compressed.withUnsafeBytes { try append(UnsafeRawBufferPointer(rebasing: $0.prefix(Int(compressedLength)))) }
        offset += UInt64(header.count) + UInt64(compressedLength)
        return hex
    }

    /// Completes the pack and its index and moves them into place; with nothing added, writes nothing.
    public func finish() throws {
        guard !entries.isEmpty else { return }  // deinit removes the empty file
        let n = UInt32(entries.count)
        var count = [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
        guard pwrite(fd, &count, 4, 8) == 4 else { throw FileIOError(path: temporaryPack, operation: "writing", errno: errno) }
        // The trailer: the SHA-1 of everything before it, read back (the header changed last).
        var hash = SHA1()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var position: off_t = 0
        while true {
            let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, position) }
            if got < 0 { throw FileIOError(path: temporaryPack, operation: "reading", errno: errno) }
            if got == 0 { break }
            chunk.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0.prefix(got))) }
            position += off_t(got)
        }
        let checksum = hash.finish()
        try append(checksum)
        guard fsync(fd) == 0 || errno == EINVAL else { throw FileIOError(path: temporaryPack, operation: "syncing", errno: errno) }
        close(fd)
        fd = -1
        let name = packDirectory + "/pack-" + checksum.map { String($0, radix: 16).leftPadded(2) }.joined()
        let index = indexBytes(packChecksum: checksum)
        let temporaryIndex = temporaryPack + ".idx"
        try FileSystem.writeAtomically(temporaryIndex, index)
        chmod(temporaryPack, 0o444)
        chmod(temporaryIndex, 0o444)
        guard rename(temporaryPack, name + ".pack") == 0 else { throw FileIOError(path: name + ".pack", operation: "renaming", errno: errno) }
        guard rename(temporaryIndex, name + ".idx") == 0 else { throw FileIOError(path: name + ".idx", operation: "renaming", errno: errno) }
        finished = true
    }

    /// The version 2 index: fan-out table, sorted ids, CRC-32s, offsets (64-bit ones in a table of
    /// their own), the pack's checksum and the index's own.
    func indexBytes(packChecksum: [UInt8]) -> [UInt8] {
        let sorted = entries.sorted { $0.id.lexicographicallyPrecedes($1.id) }
        var bytes: [UInt8] = [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]
        func append32(_ value: UInt32) {
            bytes += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
        }
        var fanout = [UInt32](repeating: 0, count: 256)
        for entry in sorted { fanout[Int(entry.id[0])] += 1 }
        var running: UInt32 = 0
        for i in 0..<256 {
            running += fanout[i]
            append32(running)
        }
        for entry in sorted { bytes += entry.id }
        for entry in sorted { append32(entry.crc) }
        var large: [UInt64] = []
        for entry in sorted {
            if entry.offset < 0x8000_0000 {
                append32(UInt32(entry.offset))
            } else {
                append32(0x8000_0000 | UInt32(large.count))
                large.append(entry.offset)
            }
        }
        for value in large {
            append32(UInt32(value >> 32))
            append32(UInt32(truncatingIfNeeded: value))
        }
        bytes += packChecksum
        var hash = SHA1()
        hash.update(bytes)
        bytes += hash.finish()
        return bytes
    }

    private func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    private func append(_ buffer: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < buffer.count {
            let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIOError(path: temporaryPack, operation: "writing", errno: errno)
            }
            done += n
        }
    }
}

public enum PackWriterError: Error, CustomStringConvertible {
    case compression(Int32)
    case missing(String)

    public var description: String {
        switch self {
        case .compression(let status): return "compressing an object for the pack failed (zlib status \(status))"
        case .missing(let path): return "the pack writer lost the blob of \(path)"
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A `PackWriter` on a thread of its own: the caller prepares the next blob (reads and cleans it) while
/// this one hashes, compresses and writes the last, so a first sync uses both cores. At most `depth`
/// blobs wait in memory; the writer is only ever used from its serial queue.
public final class BackgroundPackWriter: @unchecked Sendable {
    private let writer: PackWriter
    private let queue = DispatchQueue(label: "git-ccsync.pack-writer")
    private let slots: DispatchSemaphore
    /// Touched only on `queue`.
    private var ids: [Int: String] = [:]
    private var failure: (any Error)?

    public init(objectsDirectory: String, depth: Int = 4) throws {
        writer = try PackWriter(objectsDirectory: objectsDirectory)
        slots = DispatchSemaphore(value: depth)
    }

    /// Queues a blob; its id is in `finish()`'s answer under `tag`.
    public func add(_ content: [UInt8], tag: Int) {
        slots.wait()
        queue.async {
            defer { self.slots.signal() }
            guard self.failure == nil else { return }
            do { self.ids[tag] = try self.writer.addBlob(content) } catch { self.failure = error }
        }
    }

    /// Waits for every queued blob, completes the pack (see `PackWriter.finish`) and returns the ids by tag.
    public func finish() throws -> [Int: String] {
        try queue.sync {
            if let failure { throw failure }
            try writer.finish()
            return ids
        }
    }
}
