import Clibgit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stages files through libgit2: their repository form written as blobs and their index entries set
/// with the work-tree file's `lstat`, exactly as `git add` would leave them.
///
/// Sync uses it for the files it has just written itself and cleaned in process: `git add` would start
/// git, which starts the filter process (a second program start), send each file through the pipe and
/// back, and clean it again. The index is written with libgit2's lock-file protocol, so a concurrent git
/// command fails cleanly instead of losing an update.
public final class GitIndexEditor {
    private let repository: GitRepository
    private let index: OpaquePointer
    /// The index file's modification time when read: entries modified at or after it are "racily
    /// clean" (their stat cannot prove them unchanged), as in git.
    private let indexStamp: (seconds: Int, nanoseconds: Int)

    /// What git compares to trust an entry without reading the file. The change time is part of it
    /// (as with git's default `core.trustctime`): an edit that restores size and modification time
    /// still moves it.
    public struct EntryStat: Equatable, Sendable {
        let mtimeSeconds: Int32
        let mtimeNanoseconds: UInt32
        let ctimeSeconds: Int32
        let ctimeNanoseconds: UInt32
        let size: UInt32
        let inode: UInt32
    }

    public init(repository: GitRepository) throws(GitError) {
        self.repository = repository
        var index: OpaquePointer?
        try check(git_repository_index(&index, repository.handle), "git_repository_index")
        guard let index else { throw GitError.last(code: -1, call: "git_repository_index") }
        self.index = index
        try check(git_index_read(index, 1), "git_index_read")
        var st = stat()
        if let path = git_index_path(index), lstat(path, &st) == 0 {
            indexStamp = (Int(st.modificationTime.tv_sec), Int(st.modificationTime.tv_nsec))
        } else {
            indexStamp = (0, 0)
        }
    }

    deinit { git_index_free(index) }

    /// Stage-0 entries under `prefix` (`projects/key/`), by path.
    public func entries(under prefix: String) -> [String: EntryStat] {
        var result: [String: EntryStat] = [:]
        for i in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, i), let cPath = entry.pointee.path else { continue }
            let path = String(cString: cPath)
            guard path.hasPrefix(prefix), (entry.pointee.flags & UInt16(GIT_INDEX_ENTRY_STAGEMASK)) == 0 else { continue }
            result[path] = Self.entryStat(entry.pointee)
        }
        return result
    }

    /// The work-tree file's stat as the index would record it.
    public static func entryStat(_ st: stat) -> EntryStat {
        EntryStat(mtimeSeconds: Int32(truncatingIfNeeded: st.modificationTime.tv_sec), mtimeNanoseconds: UInt32(truncatingIfNeeded: st.modificationTime.tv_nsec),
                  ctimeSeconds: Int32(truncatingIfNeeded: st.changeTime.tv_sec), ctimeNanoseconds: UInt32(truncatingIfNeeded: st.changeTime.tv_nsec),
                  size: UInt32(truncatingIfNeeded: st.st_size), inode: UInt32(truncatingIfNeeded: st.st_ino))
    }

    /// An index entry's recorded stat.
    static func entryStat(_ entry: git_index_entry) -> EntryStat {
        EntryStat(mtimeSeconds: entry.mtime.seconds, mtimeNanoseconds: entry.mtime.nanoseconds,
                  ctimeSeconds: entry.ctime.seconds, ctimeNanoseconds: entry.ctime.nanoseconds,
                  size: entry.file_size, inode: entry.ino)
    }

    /// Whether an entry with this stat may be trusted without reading the file (not racily clean).
    public func isTrustworthy(_ stat: EntryStat) -> Bool {
        let seconds = Int(stat.mtimeSeconds)
        return seconds < indexStamp.seconds || seconds == indexStamp.seconds && Int(stat.mtimeNanoseconds) < indexStamp.nanoseconds
    }

    /// Writes `content` (repository form) as the blob of `path` and records the work-tree file's stat.
    public func add(path: String, content: [UInt8], stat st: stat) throws(GitError) {
        let id: String
        if repository.storesLooseObjectsUncompressed {
            id = GitRepository.blobID(of: content)
            try StoredLooseObject.write(content, id: id, objectsDirectory: repository.objectsDirectory)
        } else {
            var oid = git_oid()
            let created = content.withUnsafeBytes { raw in
                git_blob_create_from_buffer(&oid, repository.handle, raw.baseAddress, raw.count)
            }
            try check(created, "git_blob_create_from_buffer(\(path))")
            id = GitRepository.hex(oid)
        }
        repository.remember(blob: content, id: id)
        try add(path: path, blobID: id, mode: UInt32(GIT_FILEMODE_BLOB.rawValue), stat: st)
    }

    /// The stage-0 entry of `path`: its blob, mode and stat. Nil when there is none, and for entries
    /// git would not check out or compare normally (assume-unchanged, skip-worktree, intent-to-add).
    public func entry(_ path: String) -> (id: String, mode: UInt32, stat: EntryStat)? {
        guard let entry = git_index_get_bypath(index, path, 0) else { return nil }
        let special = UInt16(GIT_INDEX_ENTRY_SKIP_WORKTREE.rawValue | GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue)
        guard entry.pointee.flags & UInt16(GIT_INDEX_ENTRY_VALID.rawValue) == 0, entry.pointee.flags_extended & special == 0 else { return nil }
        return (GitRepository.hex(entry.pointee.id), entry.pointee.mode, Self.entryStat(entry.pointee))
    }

    /// Whether any path has conflict stages (an unfinished merge).
    public var hasConflicts: Bool { git_index_has_conflicts(index) != 0 }

    /// Records an existing blob as `path`'s content, with the stat of the work-tree file it was
    /// checked out to (what `git checkout` leaves in the index).
    public func add(path: String, blobID: String, mode: UInt32, stat st: stat) throws(GitError) {
        var entry = git_index_entry()
        try check(git_oid_fromstr(&entry.id, blobID), "git_oid_fromstr")
        entry.ctime = git_index_time(seconds: Int32(truncatingIfNeeded: st.changeTime.tv_sec), nanoseconds: UInt32(truncatingIfNeeded: st.changeTime.tv_nsec))
        entry.mtime = git_index_time(seconds: Int32(truncatingIfNeeded: st.modificationTime.tv_sec), nanoseconds: UInt32(truncatingIfNeeded: st.modificationTime.tv_nsec))
        entry.dev = UInt32(truncatingIfNeeded: st.st_dev)
        entry.ino = UInt32(truncatingIfNeeded: st.st_ino)
        entry.mode = mode
        entry.uid = st.st_uid
        entry.gid = st.st_gid
        entry.file_size = UInt32(truncatingIfNeeded: st.st_size)
        // Just written from (or hashed into) this very blob: libgit2 need not compare it with the file
        // again for raciness when writing the index.
        entry.flags_extended = UInt16(GIT_INDEX_ENTRY_UPTODATE.rawValue)
        let added = path.withCString { cPath in
            entry.path = cPath
            return git_index_add(index, &entry)
        }
        try check(added, "git_index_add(\(path))")
    }

    /// Whether git would write `path` to the work tree byte for byte as the filter leaves it: no
    /// end-of-line conversion, `ident` or working-tree encoding set for it by any attributes file.
    public func hasNoConversionAttributes(_ path: String) -> Bool {
        for name in ["text", "eol", "crlf", "ident", "working-tree-encoding"] {
            var value: UnsafePointer<CChar>?
            guard git_attr_get(&value, repository.handle, 0, path, name) == 0 else { return false }
            let kind = git_attr_value(value)
            guard kind == GIT_ATTR_VALUE_UNSPECIFIED || kind == GIT_ATTR_VALUE_FALSE else { return false }
        }
        return true
    }

    public func remove(path: String) throws(GitError) {
        try check(git_index_remove(index, path, 0), "git_index_remove(\(path))")
    }

    /// The `filter` attribute of `path` (`ccsync` for synced files), as `.gitattributes` sets it.
    public func filterAttribute(_ path: String) -> String? {
        var value: UnsafePointer<CChar>?
        guard git_attr_get(&value, repository.handle, 0, path, "filter") == 0, let value,
              git_attr_value(value) == GIT_ATTR_VALUE_STRING else { return nil }
        return String(cString: value)
    }

    public func write() throws(GitError) {
        try check(git_index_write(index), "git_index_write")
    }
}
