#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RemoteSync {
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
        let files = try copy.git.treeDeltas(from: nil, to: head).filter { wanted.contains($0.path) }
        guard files.count == wanted.count else { return false }
        let editor = try copy.git.indexEditor()
        for file in files {
            let driver = editor.filterAttribute(file.path)
            guard Self.isOrdinaryPath(file.path), file.new?.isPlainFile == true, driver == nil || driver == "ccsync",
                  editor.hasNoConversionAttributes(file.path), editor.entry(file.path) == nil,
                  FileStat(path: copy.root + "/" + file.path) == nil else {
                trace("checkout left to git: \(file.path)")
                return false
            }
        }
        // Two workers (both cores), each with its own libgit2 handle and filter (libgit2 objects are not
        // shared between threads), each writing its own files; the index is written here afterwards.
        let workers = 2
        meter.begin("Checking out sessions", total: Int64(files.count))
        defer { meter.finish() }
        let smudged = Set(files.filter { editor.filterAttribute($0.path) == "ccsync" }.map(\.path))
        let outcomes = WorkerResults(count: workers)
        let copy = self.copy, root = copy.root, meter = self.meter
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            outcomes.set(worker, Result {
                let git = try copy.git.reopened()
                let filter = copy.filter(git: git, warn: { _ in })
                var done: [CheckedOut] = []
                for (n, file) in files.enumerated() where n % workers == worker {
                    // One worker counts for all: the meter is used from one thread only.
                    if worker == 0 { meter.advance(by: Int64(workers)) }
                    guard let new = file.new else { continue }
                    var content = try git.blob(id: new.id)
                    if smudged.contains(file.path) { content = try filter.smudge(path: file.path, content: content) }
                    let path = root + "/" + file.path
                    try FileSystem.makeDirectories(FileSystem.dirname(of: path))
                    try FileSystem.writeAtomically(path, content, mode: new.mode == 0o100755 ? 0o777 : 0o666)
                    var st = stat()
                    guard lstat(path, &st) == 0 else { throw FileIOError(path: path, operation: "reading the status of", errno: errno) }
                    done.append(CheckedOut(path: file.path, id: new.id, mode: new.mode, stat: st))
                }
                return done
            })
        }
        for outcome in outcomes.all {
            for entry in try outcome.get() { try editor.add(path: entry.path, blobID: entry.id, mode: entry.mode, stat: entry.stat) }
        }
        try editor.write()
        return true
    }
}

extension RemoteSync {
    /// `git add -A -- .ccsync` and a commit if that changed anything, in process: after an in-process
    /// checkout every session's index entry is racily clean (written in the second the index was), and
    /// git's `add` would send each one through the clean filter to check it.
    public func commitSharedSettings(message: String) throws {
        let editor = try copy.git.indexEditor()
        var files: [String] = []
        FileSystem.walk(copy.root + "/.ccsync") { entry in
            if entry.stat.kind == .regular { files.append(".ccsync/" + entry.relative) }
            return true
        }
        // In an encrypted repository the shared settings and machine records go through the filter (they
        // hold every machine's real paths), as `git add` would send them.
        let filter = copy.filter(warn: { [progress] in progress($0) })
        let encrypted = try filter.currentCipher() != nil
        for path in files.sorted() {
            var st = stat()
            guard lstat(copy.root + "/" + path, &st) == 0 else { continue }
            let content = try readFile(copy.root + "/" + path)
            let stored = encrypted && RepositoryEncryption.isEncryptedSettingsFile(path)
                ? try filter.clean(path: path, content: content) : content
            try editor.add(path: path, content: stored, stat: st)
        }
        try editor.write()
        guard try !copy.git.changedPaths(from: revParse("HEAD"), to: nil).isEmpty else { return }
        let committer = try self.committer()
        _ = try copy.git.commitIndex(message: message, name: committer.name, email: committer.email)
    }
}

/// A file a checkout worker wrote, for its index entry.
struct CheckedOut: @unchecked Sendable {
    let path: String
    let id: String
    let mode: UInt32
    let stat: stat
}

/// One result slot per worker of a `concurrentPerform`: each worker sets only its own slot, and the
/// slots are read only after every worker has returned (`concurrentPerform` waits), so no two threads
/// touch one slot at once; hence unchecked.
final class WorkerResults: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Result<[CheckedOut], any Error>>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: .success([]), count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ index: Int, _ result: Result<[CheckedOut], any Error>) { slots[index] = result }

    var all: [Result<[CheckedOut], any Error>] { Array(UnsafeBufferPointer(start: slots, count: count)) }
}
