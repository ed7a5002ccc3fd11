#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RemoteSync {
    /// `git add -A` of the folders sync wrote, done in process: each changed file is cleaned here (the
    /// same `CCSyncFilter` git's filter process runs), written as a blob and entered in the index with
    /// its `lstat` (`GitIndexEditor`). Saves starting git and the filter process and sending every file
    /// through both. Only the files sync itself writes are looked at (a project's `.cwd` and what
    /// `StoreFileKind` accepts, `claude/CLAUDE.md`), so stray files are never staged; a tracked file that
    /// is gone is removed from the index, as `git add -A` would. Returns false (and changes nothing)
    /// for paths it does not handle, which then go through `git add`.
    func stageInProcess(_ folders: [String], excluding: Set<String>) throws -> Bool {
        guard folders.allSatisfy({ $0 == "claude" || $0.hasPrefix("projects/") && $0.split(separator: "/").count == 2 }) else {
            return false
        }
        // Someone's index.lock: a stale one (a killed git's) is cleared as for any git step; a live one
        // is left to git, whose refusal names it.
        let indexLock = copy.gitDirectory + "/index.lock"
        if FileStat(path: indexLock) != nil, !StaleGitLock.removeIfStale(indexLock) { return false }
        let editor = try copy.git.indexEditor()
        let filter = copy.filter(warn: { [progress] in progress($0) })
        filter.redactSecrets = copy.settings.redactsSecrets
        func isExcluded(_ relative: String) -> Bool {
            let first = relative.split(separator: "/").first.map(String.init) ?? relative
            return excluding.contains(StoreFileKind.sessionName(ofEntry: first))
        }
        let listed = folders.map { folder -> (folder: String, relatives: [String]) in
            var relatives: [String] = []
            if folder == "claude" {
                relatives = ["CLAUDE.md"]
            } else {
                relatives = [StoreTransfer.cwdFile]
                Self.collect(copy.root + "/" + folder, relative: "", into: &relatives)
            }
            return (folder, relatives)
        }
        meter.begin("Staging sessions", total: Int64(listed.reduce(0) { $0 + $1.relatives.count }))
        defer { meter.finish() }
        // Past `packThreshold` bytes (a first sync, a long session), blobs go straight into a pack.
        var pack: BackgroundPackWriter?
        var packed: [(path: String, stat: stat)] = []
        // What goes into the pack is scanned for secrets here, while it is in memory (`ScannedBlobs`).
        let encrypted = try copy.cipher() != nil
        let scansSecrets = !allowSecrets && !encrypted
        var scanned: [Int: [SecretFinding]] = [:]
        var stagedBytes = 0
        for (folder, relatives) in listed {
            let entries = editor.entries(under: folder + "/")
            var present = Set<String>()
            for relative in relatives where !isExcluded(relative) {
                meter.advance()
                let path = folder + "/" + relative
                var st = stat()
                guard lstat(copy.root + "/" + path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
                present.insert(path)
                if let old = entries[path], old == GitIndexEditor.entryStat(st), editor.isTrustworthy(old) { continue }
                let raw = try readFile(copy.root + "/" + path)
                let content = editor.filterAttribute(path) == "ccsync" ? try filter.clean(path: path, content: raw) : raw
                stagedBytes += content.count
                if pack == nil, stagedBytes > Self.packThreshold {
                    pack = try BackgroundPackWriter(objectsDirectory: copy.gitDirectory + "/objects")
                    trace("writing blobs into a pack")
                }
                if let pack {
                    // Entered once the pack is complete: libgit2 checks that an entry's blob exists.
                    if scansSecrets { scanned[packed.count] = ScannedBlobs.scan(content) }
                    pack.add(content, tag: packed.count)
                    packed.append((path, st))
                } else {
                    try editor.add(path: path, content: content, stat: st)
                }
            }
            for path in entries.keys.sorted() where !present.contains(path) && !isExcluded(String(path.dropFirst(folder.count + 1))) {
                var st = stat()
                if lstat(copy.root + "/" + path, &st) != 0 && errno == ENOENT { try editor.remove(path: path) }
            }
        }
        // The objects exist before an index entry names them.
        let ids = try pack?.finish() ?? [:]
        for (n, entry) in packed.enumerated() {
            guard let id = ids[n] else { throw PackWriterError.missing(entry.path) }
            if let found = scanned[n] { scannedBlobs.record(found, blobID: id) }
            try editor.add(path: entry.path, blobID: id, mode: 0o100644, stat: entry.stat)
        }
        try editor.write()
        return true
    }

    /// Bytes staged in one go beyond which the rest is written as a pack rather than loose objects.
    static let packThreshold = 16 << 20

    /// The files under `directory` that sync writes (`StoreFileKind`), as paths relative to it.
    static func collect(_ directory: String, relative: String, into files: inout [String]) {
        guard relative.split(separator: "/").count < 8, let names = try? FileSystem.list(directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let rel = relative.isEmpty ? name : relative + "/" + name
            switch FileStat(path: directory + "/" + name)?.kind {
            case .regular?: if StoreFileKind.classify(rel) != nil { files.append(rel) }
            case .directory?: collect(directory + "/" + name, relative: rel, into: &files)
            default: break
            }
        }
    }
}
