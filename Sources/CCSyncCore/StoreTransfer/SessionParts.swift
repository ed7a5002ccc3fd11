#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A session log too big for one file in the repository: hosts refuse files over `ccsync.maxFileSize`
/// (GitHub: 100 MB), and the user's longest conversations are often the most valuable.
///
/// Such a session is kept, in the working copy and so in the repository, as
/// `projects/<key>/<id>.parts/0000.jsonl`, `0001.jsonl`, …: the log cut after a line end into parts of
/// at most a quarter of the limit. Every part but the last is closed: later syncs keep it byte for byte
/// as long as the log still starts with it, so an append rewrites only the last part (and cuts a new
/// one when that grows past the quarter), and a push stays small however long the conversation.
/// Claude's store always holds the one joined file, byte for byte (the parts, concatenated in order).
///
/// Each part is itself JSONL, so git treats it as any session: the `ccsync` filter (placeholders,
/// encryption bound to the part's own path), the `ccsync-jsonl` union merge, textconv, the secret guard.
/// Merges are part by part: two machines that both appended to the last part give a union of it; a
/// machine that cut a new part while the other appended to the old last one gives that part's union plus
/// the new part; a part merged so (at most a few quarters) is cut again by the next sync only if it is
/// over the limit. A session moves into parts once it is over the limit and stays there.
///
/// Older git-ccsync versions ignore `<id>.parts/` altogether (`<id>.parts` is not a session id, so their
/// sync, staging and listing never read or write it): on such a machine the session is not updated,
/// never truncated or replaced.
public enum SessionParts {
    public static var folderSuffix: String { StoreFileKind.partsFolderSuffix }

    /// `<id>.parts` for a session log's path `…/<id>.jsonl`.
    public static func folder(ofSessionFile path: String) -> String {
        String(path.dropLast(6)) + folderSuffix
    }

    /// The part file names, `0000.jsonl` on (more digits past 9999).
    public static func partName(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ".jsonl"
    }

    /// `<id>.jsonl` for a path inside a project folder that is a part, `<id>.parts/NNNN.jsonl`; else nil.
    public static func sessionFile(ofPart relative: String) -> String? {
        guard StoreFileKind.classify(relative) == .sessionPart, let slash = relative.firstIndex(of: "/") else { return nil }
        return String(relative[..<slash].dropLast(folderSuffix.count)) + ".jsonl"
    }

    /// The part files in `folder`, in order (by number); empty when it is not a directory.
    public static func list(_ folder: String) -> [String] {
        guard FileStat(path: folder)?.kind == .directory, let names = try? FileSystem.list(folder) else { return [] }
        return names.filter { StoreFileKind.isPartName(ArraySlice($0.utf8)) }
            .sorted { ($0.count, $0) < ($1.count, $1) }
    }

    /// The joined log: every part, in order.
    public static func join(_ folder: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for name in list(folder) { bytes += try readFile(folder + "/" + name) }
        return bytes
    }

    /// The size parts are cut at: a quarter of the limit, so that a part merged with what up to three
    /// other machines appended to it meanwhile still fits.
    public static func cutSize(limit: Int64) -> Int {
        Int(max(1, limit / 4))
    }

    /// `content` cut into parts. The closed parts of `old` (all but its last) that `content` still starts
    /// with are kept as they are, unless over `limit` (grown by a merge); the rest is cut after a line end
    /// into pieces of at most `cutSize(limit:)`. A single line longer than that is a part of its own.
    public static func split(_ content: [UInt8], keeping old: [[UInt8]], limit: Int64) -> [ArraySlice<UInt8>] {
        let ranges = content.withUnsafeBufferPointer { c in
            var ranges: [Range<Int>] = []
            var offset = 0
            for part in old.dropLast() {
                guard !part.isEmpty, part.count <= limit, part.last == newline, offset + part.count <= c.count,
                      same(c, at: offset, part) else { break }
                ranges.append(offset..<offset + part.count)
                offset += part.count
            }
            let cut = cutSize(limit: limit)
            while offset < c.count {
                guard c.count - offset > cut else {
                    ranges.append(offset..<c.count)
                    break
                }
                var end = offset + cut
                while end > offset, c[end - 1] != newline { end -= 1 }
                if end == offset {
                    // One line longer than the cut: it goes whole.
                    end = firstIndex(of: newline, in: c, from: offset + cut, to: c.count).map { $0 + 1 } ?? c.count
                }
                ranges.append(offset..<end)
                offset = end
            }
            return ranges
        }
        return ranges.isEmpty ? [content[...]] : ranges.map { content[$0] }
    }

    /// Whether `c` holds `part` at `offset` (which the caller checked fits).
    private static func same(_ c: UnsafeBufferPointer<UInt8>, at offset: Int, _ part: [UInt8]) -> Bool {
        guard let base = c.baseAddress else { return part.isEmpty }
        return part.withUnsafeBufferPointer { memcmp(base + offset, $0.baseAddress!, part.count) == 0 }
    }

    private static func same(_ a: ArraySlice<UInt8>, _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !b.isEmpty else { return true }
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { memcmp(pa.baseAddress!, $0.baseAddress!, b.count) == 0 } }
    }

    /// Writes `content` into `folder` as parts (see `split`): only the parts whose bytes change are
    /// written (atomically), parts past the new last one are removed. Throws `LineOverLimit`, writing
    /// nothing, when one line alone is over the limit: no part could hold it.
    public static func write(_ content: [UInt8], to folder: String, limit: Int64) throws {
        let names = list(folder)
        var old: [[UInt8]] = []
        for name in names { old.append(try readFile(folder + "/" + name)) }
        let parts = split(content, keeping: old, limit: limit)
        if let long = parts.first(where: { $0.count > limit }) { throw LineOverLimit(size: Int64(long.count), limit: limit) }
        try FileSystem.makeDirectories(folder)
        for (index, part) in parts.enumerated() {
            if index < old.count, names[index] == partName(index), same(part, old[index]) { continue }
            try FileSystem.writeAtomically(folder + "/" + partName(index), Array(part))
        }
        let kept = Set(parts.indices.map(partName))
        for name in names where !kept.contains(name) { _ = unlink(folder + "/" + name) }
    }

    /// One stat for the whole folder, as sync records a file's: it differs as soon as any part was
    /// written, added or removed (sizes and times summed and maxed, inodes mixed with the count).
    public static func stat(_ folder: String) -> FileStat? {
        let names = list(folder)
        guard !names.isEmpty else { return nil }
        var size: Int64 = 0
        var mtime: Int64 = 0
        var inode = UInt64(names.count)
        for name in names {
            guard let st = FileStat(path: folder + "/" + name), st.kind == .regular else { return nil }
            size += st.size
            mtime = max(mtime, st.mtimeNanoseconds)
            inode = inode &* 1_000_003 &+ st.inode
        }
        return FileStat(kind: .regular, size: size, mtimeNanoseconds: mtime, inode: inode)
    }

    private static let newline = UInt8(ascii: "\n")

    /// A session with one line longer than `ccsync.maxFileSize`: it stays out of the repository as it
    /// is there (a part missing in the middle would join to a log without it elsewhere).
    public struct LineOverLimit: Error, CustomStringConvertible {
        public let size: Int64
        public let limit: Int64
        public var description: String {
            "one of its lines is \(size) bytes, over ccsync.maxFileSize (\(limit)), so no part can hold it"
        }
    }
}
