/// What a sync-in or sync-out changed, for messages, commit messages and tests.
public struct SyncReport: Sendable {
    public enum Action: String, Sendable { case copied, merged, created }

    public struct Change: Sendable {
        /// Path in the working copy, e.g. `projects/PROJECTS-shop-1a2b3c4d/<id>.jsonl`.
        public let repoPath: String
        public let action: Action
    }

    public var changes: [Change] = []
    public var warnings: [String] = []
    /// Projects left out because they are outside the synced directories.
    public var skippedProjects = 0

    public init() {}

    /// Session ids among the changed files (`<id>.jsonl` and the files beside it).
    public var sessionIDs: [String] {
        var seen = Set<String>()
        var ids: [String] = []
        for change in changes {
            guard let id = StoreFileKind.sessionID(ofRepositoryPath: change.repoPath), seen.insert(id).inserted else { continue }
            ids.append(id)
        }
        return ids
    }
}
