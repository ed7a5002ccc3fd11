/// Objects, trees, the index and refs read and written in process: each operation forwards to the
/// working copy's libgit2 handle (`GitRepository`), so it costs no process and no more than calling
/// libgit2 directly. They need the repository open here (a `Git` from `WorkingCopy.git`); on a `Git`
/// without one (`outside`, `withoutRepository`) they throw.
extension Git {
    /// A file of a tree as `treeFiles` lists it.
    public typealias TreeFile = GitRepository.TreeFile

    /// Whether the typed in-process operations below are available.
    public var isOpenInProcess: Bool { repository != nil }

    private func local() throws(GitError) -> GitRepository {
        guard let repository else {
            throw GitError(code: -1, errorClass: 0, message: "no repository open in process", call: "Git(\(directory))")
        }
        return repository
    }

    /// The same git with a libgit2 handle of its own (libgit2 objects are not shared between threads).
    public func reopened() throws(GitError) -> Git {
        Git(directory: directory, gitDirectory: gitDirectory, cli: cli,
            repository: try GitRepository(discoveringFrom: directory))
    }

    /// An editor of the index (stat-only updates, entries added from blobs), written with `write()`.
    public func indexEditor() throws(GitError) -> GitIndexEditor { try GitIndexEditor(repository: local()) }

    /// The blob id git gives `bytes` (`git hash-object`), computed here.
    public static func blobID(of bytes: [UInt8]) -> String { GitRepository.blobID(of: bytes) }

    // MARK: Revisions and ancestry

    /// The commit `revision` names; nil when it does not exist.
    public func resolve(_ revision: String) throws(GitError) -> String? { try local().resolve(revision) }

    public func isAncestor(_ ancestor: String, of commit: String) throws(GitError) -> Bool {
        try local().isAncestor(ancestor, of: commit)
    }

    public func mergeBase(_ a: String, _ b: String) throws(GitError) -> String? { try local().mergeBase(a, b) }

    /// The branch HEAD points at (`refs/heads/main`); nil when detached.
    public func headReferenceName() throws(GitError) -> String? { try local().headReferenceName() }

    /// The commits after `base` up to `head`, newest first, with their parents.
    public func commits(from base: String?, to head: String) throws(GitError) -> [(id: String, parents: [String])] {
        try local().commits(from: base, to: head)
    }

    // MARK: Trees, blobs and the index

    /// Paths that differ between two revisions (`to` nil: the index), optionally under `prefixes`.
    public func changedPaths(from: String?, to: String?, under prefixes: [String] = []) throws(GitError) -> [String] {
        try local().changedPaths(from: from, to: to, under: prefixes)
    }

    public func treeDeltas(from: String?, to: String) throws(GitError) -> [GitTreeDelta] {
        try local().treeDeltas(from: from, to: to)
    }

    /// Every blob under `prefix` in the tree of `revision`; nil when the revision does not exist.
    public func treeFiles(revision: String, prefix: String) throws(GitError) -> [TreeFile]? {
        try local().treeFiles(revision: revision, prefix: prefix)
    }

    public func blob(id: String) throws(GitError) -> [UInt8] { try local().blob(id: id) }

    /// The staged content of `path`; nil when it is not in the index.
    public func indexBlob(path: String) throws(GitError) -> [UInt8]? { try local().indexBlob(path: path) }

    /// The tree the index describes, written to the object database.
    public func indexTree() throws(GitError) -> String { try local().indexTree() }

    /// `base` with `changes` applied, written without touching the index.
    public func updatedTree(base: String?, changes: [GitTreeDelta]) throws(GitError) -> String {
        try local().updatedTree(base: base, changes: changes)
    }

    // MARK: Commits and refs

    /// Commits the index on HEAD (no hooks: our own sync commits), moving the branch.
    public func commitIndex(message: String, name: String, email: String) throws(GitError) -> String {
        try local().commitIndex(message: message, name: name, email: email)
    }

    /// A commit of `tree` on `parent`, not yet on any branch.
    public func createCommit(treeOf tree: String, parent: String?, message: String, name: String,
                             email: String) throws(GitError) -> String {
        try local().createCommit(treeOf: tree, parent: parent, message: message, name: name, email: email)
    }

    /// Moves `name` from `old` to `new`, failing if it no longer points at `old`.
    public func moveReference(_ name: String, from old: String, to new: String, log: String) throws(GitError) {
        try local().moveReference(name, from: old, to: new, log: log)
    }
}
