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

extension Synchronizer {
    /// A new clone's first checkout of `paths` (every session the remote holds) done in process, as the
    /// in-process fast-forward does it: each blob read from the object database, smudged with the same
    /// `CCSyncFilter` git's filter process runs, written atomically and entered in the index with its
    /// `lstat`. Saves sending hundreds of megabytes through git's filter pipe and back; one file is held
    /// in memory at a time.
    ///
    /// Returns false, having written nothing, wherever git's own checkout could differ: a line-ending or
    /// sparse-checkout setting, a path that is not a plain file or not an ordinary name, another filter
    /// driver or a conversion attribute, anything already in the way.
    public func checkOutInProcess(_ paths: [String]) throws -> Bool {
        guard let head = try revParse("HEAD") else { return false }
        for key in ["core.autocrlf", "core.sparseCheckout", "core.ignoreCase"] {
            let value = try copy.config(key)?.lowercased()
            guard value == nil || value == "false" || value == "no" || value == "off" || value == "0" else { return false }
        }
        let wanted = Set(paths)
        let files = try copy.repository.treeDeltas(from: nil, to: head).filter { wanted.contains($0.path) }
        guard files.count == wanted.count else { return false }
        let editor = try GitIndexEditor(repository: copy.repository)
        for file in files {
            let driver = editor.filterAttribute(file.path)
            guard Self.isOrdinaryPath(file.path), file.new?.isPlainFile == true, driver == nil || driver == "ccsync",
                  editor.hasNoConversionAttributes(file.path), editor.entry(file.path) == nil,
                  FileStat(path: copy.root + "/" + file.path) == nil else {
                trace("checkout left to git: \(file.path)")
                return false
            }
        }
        let filter = CCSyncFilter(workTree: copy.root, machine: copy.machine, home: copy.home, repository: copy.repository,
                                  warn: { [progress] in progress($0) })
        meter.begin("Checking out sessions", total: Int64(files.count))
        defer { meter.finish() }
        for file in files {
            meter.advance()
            guard let new = file.new else { continue }
            var content = try copy.repository.blob(id: new.id)
            if editor.filterAttribute(file.path) == "ccsync" { content = try filter.smudge(path: file.path, content: content) }
            let path = copy.root + "/" + file.path
            try FileSystem.makeDirectories(FileSystem.dirname(of: path))
            try FileSystem.writeAtomically(path, content, mode: new.mode == 0o100755 ? 0o777 : 0o666)
            var st = stat()
            guard lstat(path, &st) == 0 else { throw FileIOError(path: path, operation: "reading the status of", errno: errno) }
            try editor.add(path: file.path, blobID: new.id, mode: new.mode, stat: st)
        }
        try editor.write()
        return true
    }
}
