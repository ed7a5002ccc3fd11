import Foundation

/// What this machine last synced, kept in `.git/ccsync/state.json` (never in the work tree).
///
/// For each file: the hash of the content both sides had at the last sync, and the `lstat` of each side
/// when it held exactly that content. An unchanged file then costs one `stat`; a changed one is hashed
/// and compared, and only a file changed on both sides is merged.
public struct SyncState: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public var hash: String
        public var storeStat: FileStat?
        public var workStat: FileStat?
    }

    public var files: [String: Record] = [:]
    /// Claude's project folder → the cwd found in its logs (a folder name is derived from its cwd, so
    /// the pair never changes).
    public var folderCwds: [String: String] = [:]
    /// Folders of the work tree (`projects/<key>`, `claude`) that sync wrote since the last commit: what
    /// the next commit stages, so a push with nothing new never walks the whole tree. nil (an old or
    /// lost state) stages everything.
    public var dirty: Set<String>?
    public var lastPush: Date?
    public var lastPull: Date?

    public init() {}

    public static func load(from path: String) -> SyncState {
        guard let bytes = try? readFile(path), let state = try? JSONDecoder().decode(SyncState.self, from: Data(bytes)) else {
            return SyncState()
        }
        return state
    }

    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        try FileSystem.makeDirectories(FileSystem.dirname(of: path))
        try FileSystem.writeAtomically(path, [UInt8](data))
    }
}
