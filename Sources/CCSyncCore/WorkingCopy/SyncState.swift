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

/// What this machine last synced, kept in `.git/ccsync/state` (never in the work tree).
///
/// For each file: the hash of the content both sides had at the last sync, and the `lstat` of each side
/// when it held exactly that content. An unchanged file then costs one `stat`; a changed one is hashed
/// and compared, and only a file changed on both sides is merged.
///
/// Every push and pull reads it and most write it, so it is a plain line format (`SyncStateFile`), not
/// JSON: with a thousand sessions, Foundation's JSON coding took longer than the rest of a pull that
/// had nothing to do.
public struct SyncState: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public var hash: String
        public var storeStat: FileStat?
        public var workStat: FileStat?

        public init(hash: String, storeStat: FileStat?, workStat: FileStat?) {
            self.hash = hash
            self.storeStat = storeStat
            self.workStat = workStat
        }
    }

    public var files: [String: Record] = [:]
    /// Claude's project folder → the cwd found in its logs (a folder name is derived from its cwd, so
    /// the pair never changes).
    public var folderCwds: [String: String] = [:]
    /// Folders of the work tree (`projects/<key>`, `claude`) that sync wrote since the last commit: what
    /// the next commit stages, so a push with nothing new never walks the whole tree. nil (an old or
    /// lost state) stages everything.
    public var dirty: Set<String>?
    public init() {}

    /// The state in `path`; an empty state when there is none or it cannot be read (everything is then
    /// compared by content once, which is slower but never wrong).
    public static func load(from path: String) -> SyncState {
        guard let bytes = try? readFile(path) else {
            return legacy(path: FileSystem.dirname(of: path) + "/state.json")
        }
        return SyncStateFile.decode(bytes) ?? SyncState()
    }

    /// The JSON state of earlier versions (`state.json`), read once; the next save writes the new file.
    static func legacy(path: String) -> SyncState {
        guard let bytes = try? readFile(path), let state = try? JSONDecoder().decode(SyncState.self, from: Data(bytes)) else {
            return SyncState()
        }
        return state
    }

    public func save(to path: String) throws {
        try FileSystem.makeDirectories(FileSystem.dirname(of: path))
        try FileSystem.writeAtomically(path, SyncStateFile.encode(self))
        // The JSON state of earlier versions has been carried over now.
        _ = unlink(FileSystem.dirname(of: path) + "/state.json")
    }
}
