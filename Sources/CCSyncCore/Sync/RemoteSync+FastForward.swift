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
    /// A pull's fast-forward done in process, as `git merge` would do it: each changed file is read
    /// from the object database, smudged with the same `CCSyncFilter` git's filter process runs,
    /// written to the work tree (atomically) and entered in the index with its `lstat`; then the branch
    /// moves, under a lease on where it was. Saves starting git and, through it, the filter process,
    /// and sending every file through the pipe: most of a pull that brings one session.
    ///
    /// Returns false, having written nothing, wherever git's own checks or conversions could matter,
    /// and `git merge` then does the work: a change to `.ccsync/config` (it decides how the rest is
    /// smudged), a path that is not a plain file on both sides, a name git guards (`.git*`), a symlink
    /// among its folders, a file whose index entry or work-tree copy differs
    /// from HEAD, an untracked file in the way, any end-of-line or encoding conversion, `core.autocrlf`,
    /// an unfinished merge, someone else's index lock.
    ///
    /// A crash halfway leaves what a killed `git merge` leaves (some files new, the index or branch not
    /// yet moved), under the same "merging" marker, and the next push or pull recovers it the same way.
    func fastForwardInProcess() throws -> Bool {
        guard let head = try revParse("HEAD"), let target = try revParse(remoteRef), head != target,
              try copy.git.isAncestor(head, of: target),
              let branch = try copy.git.headReferenceName(), branch.hasPrefix("refs/heads/") else { return false }
        // Settings under which git checks out differently: line-ending conversion, sparse checkout,
        // case-folding file systems.
        for key in ["core.autocrlf", "core.sparseCheckout", "core.ignoreCase"] {
            let value = try copy.config(key)?.lowercased()
            guard value == nil || value == "false" || value == "no" || value == "off" || value == "0" else { return false }
        }
        guard !FileSystem.exists(copy.gitDirectory + "/MERGE_HEAD") else { return false }
        let indexLock = copy.gitDirectory + "/index.lock"
        if FileStat(path: indexLock) != nil, !StaleGitLock.removeIfStale(indexLock) { return false }
        let deltas = try copy.git.treeDeltas(from: head, to: target)
        guard deltas.count <= Self.maxFastForwardPaths else { return false }
        // The shared config decides how every session is smudged: when it changes, git checks it out
        // first (index order) and the filter re-reads it before the sessions; here every file is
        // smudged before any is written, so git does it.
        guard !deltas.contains(where: { $0.path == SharedConfig.relativePath }) else { return false }
        let editor = try copy.git.indexEditor()
        guard !editor.hasConflicts else { return false }
        let filter = copy.filter(warn: { [progress] in progress($0) })
        // Everything is checked before anything is written.
        for delta in deltas {
            guard try fastForwardApplies(delta, editor: editor, filter: filter) else {
                trace("fast-forward left to git: \(delta.path)")
                return false
            }
        }
        // Every file's new content is ready (read and smudged) before the first is written, so a
        // filter error writes nothing. Large pulls are left to git, which streams.
        var contents: [[UInt8]?] = []
        var total = 0
        for delta in deltas {
            guard let new = delta.new else { contents.append(nil); continue }
            var content = try copy.git.blob(id: new.id)
            if editor.filterAttribute(delta.path) == "ccsync" { content = try filter.smudge(path: delta.path, content: content) }
            total += content.count
            guard total <= Self.maxFastForwardBytes else { return false }
            contents.append(content)
        }
        let marker = markers.mergingPath
        try FileSystem.makeDirectories(markers.directory)
        try FileSystem.writeAtomically(marker, Array(remoteRef.utf8))
        for (delta, content) in zip(deltas, contents) {
            let path = copy.root + "/" + delta.path
            guard let new = delta.new, let content else {
                if unlink(path) != 0, errno != ENOENT { throw FileIOError(path: path, operation: "removing", errno: errno) }
                try editor.remove(path: delta.path)
                removeEmptyFolders(above: delta.path)
                continue
            }
            try FileSystem.makeDirectories(FileSystem.dirname(of: path))
            try FileSystem.writeAtomically(path, content, mode: new.mode == 0o100755 ? 0o777 : 0o666)
            var st = stat()
            guard lstat(path, &st) == 0 else { throw FileIOError(path: path, operation: "reading the status of", errno: errno) }
            try editor.add(path: delta.path, blobID: new.id, mode: new.mode, stat: st)
        }
        try editor.write()
        try copy.git.moveReference(branch, from: head, to: target, log: "merge \(remoteRef): Fast-forward")
        // As git merge leaves it, for `git reset --hard ORIG_HEAD`.
        try? FileSystem.writeAtomically(copy.gitDirectory + "/ORIG_HEAD", Array((head + "\n").utf8))
        _ = unlink(marker)
        return true
    }

    /// Beyond this many changed paths, or this many bytes to write, git's checkout (streaming) is left
    /// to do the work: the in-process path holds every new file in memory until all are ready.
    static let maxFastForwardPaths = 5000
    static let maxFastForwardBytes = 64 << 20

    private func fastForwardApplies(_ delta: GitTreeDelta, editor: GitIndexEditor, filter: CCSyncFilter) throws -> Bool {
        // Our filter or none: another driver (git-lfs, say) is git's to run.
        let driver = editor.filterAttribute(delta.path)
        guard Self.isOrdinaryPath(delta.path), delta.old?.isPlainFile ?? true, delta.new?.isPlainFile ?? true,
              driver == nil || driver == "ccsync", editor.hasNoConversionAttributes(delta.path),
              FileSystem.blockingFolder(FileSystem.dirname(of: copy.root + "/" + delta.path), below: copy.root) == nil
        else { return false }
        let path = copy.root + "/" + delta.path
        var st = stat()
        let exists = lstat(path, &st) == 0
        guard let old = delta.old else {
            // A new file: nothing may be in the way, tracked or not.
            return !exists && errno == ENOENT && editor.entry(delta.path) == nil
        }
        // A changed or deleted file: index and work tree must both still be HEAD's version.
        guard exists, st.st_mode & S_IFMT == S_IFREG, let entry = editor.entry(delta.path),
              entry.id == old.id, entry.mode == old.mode else { return false }
        if entry.stat == GitIndexEditor.entryStat(st), editor.isTrustworthy(entry.stat) { return true }
        // Stat cannot tell (touched, or racily clean): the content decides, as it would for git.
        let raw = try readFile(path)
        let clean = editor.filterAttribute(delta.path) == "ccsync" ? try filter.clean(path: delta.path, content: raw) : raw
        return Git.blobID(of: clean) == old.id
    }

    /// A path git would check out without its own protections mattering: no empty, `.` or `..`
    /// component, none that is or starts like `.git` (`.git`, `.gitattributes`, `.GIT`, ...; non-ASCII
    /// code points are dropped first, as some file systems ignore them), no control characters.
    static func isOrdinaryPath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty, component != ".", component != "..",
                  !component.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return false }
            let ascii = String(String.UnicodeScalarView(component.unicodeScalars.filter(\.isASCII))).lowercased()
            if ascii.hasPrefix(".git") { return false }
        }
        return true
    }

    /// Removes the folders a deletion left empty, as git does (never the work tree's root).
    private func removeEmptyFolders(above path: String) {
        var components = path.split(separator: "/").dropLast()
        while !components.isEmpty {
            if rmdir(copy.root + "/" + components.joined(separator: "/")) != 0 { return }
            components = components.dropLast()
        }
    }
}
