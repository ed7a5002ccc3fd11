#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The working copy's side of one synced file, as sync-in and sync-out see it: a plain file, or a
/// session log kept in parts (`SessionParts`), read and written as the one log it joins to.
struct WorkFile {
    /// `…/<id>.jsonl` in the work tree (what a session not in parts is).
    let path: String
    /// `…/<id>.parts`, when the session is or is to be kept in parts.
    let partsFolder: String?
    /// `ccsync.maxFileSize`: the parts are cut against it.
    let limit: Int64

    static func plain(_ path: String) -> WorkFile {
        WorkFile(path: path, partsFolder: nil, limit: .max)
    }

    /// A session's log: in parts when its folder of parts exists, or when `size` (the store's) is over
    /// the limit; from then on it stays in parts.
    static func session(_ path: String, size: Int64?, limit: Int64) -> WorkFile {
        let folder = SessionParts.folder(ofSessionFile: path)
        let parted = (size ?? 0) > limit || FileStat(path: folder)?.kind == .directory
        return WorkFile(path: path, partsFolder: parted ? folder : nil, limit: limit)
    }

    /// A session's log whose parts the caller has seen (or knows there are none).
    static func session(_ path: String, parted: Bool, limit: Int64) -> WorkFile {
        WorkFile(path: path, partsFolder: parted ? SessionParts.folder(ofSessionFile: path) : nil, limit: limit)
    }

    /// Whether a plain log lies beside the parts: one written before the session moved into parts (by
    /// an older version, or on a machine that had not synced since), whose lines the parts may lack.
    var hasLeftover: Bool { leftover != nil }

    private var leftover: FileStat? {
        guard partsFolder != nil, let st = FileStat(path: path) else { return nil }
        return st
    }

    /// The file's stat; for parts, one that changes whenever any part (or a leftover plain log) does.
    func stat() -> FileStat? {
        guard let partsFolder else { return FileStat(path: path) }
        guard let parts = SessionParts.stat(partsFolder) else { return leftover }
        guard let plain = leftover else { return parts }
        return FileStat(kind: .regular, size: parts.size + plain.size, mtimeNanoseconds: max(parts.mtimeNanoseconds, plain.mtimeNanoseconds),
                        inode: parts.inode &* 31 &+ plain.inode)
    }

    /// The content: the parts joined, with the lines of a leftover plain log that they lack.
    func read() throws -> [UInt8] {
        guard let partsFolder else { return try readFile(path) }
        let joined = try SessionParts.join(partsFolder)
        guard leftover != nil else { return joined }
        return JSONLMerge.merge(base: nil, ours: joined, theirs: try readFile(path))
    }

    /// Writes `bytes` (atomically per file); in parts, only the parts that change, and a leftover plain
    /// log goes (its lines are in `bytes`, which came from `read()` or the store).
    func write(_ bytes: [UInt8]) throws {
        guard let partsFolder else {
            try FileSystem.makeDirectories(FileSystem.dirname(of: path))
            try FileSystem.writeAtomically(path, bytes)
            return
        }
        try SessionParts.write(bytes, to: partsFolder, limit: limit)
        if leftover != nil { _ = unlink(path) }
    }
}
