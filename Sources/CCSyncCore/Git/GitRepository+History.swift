import Clibgit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// History written and walked in process: commits made from a tree or the index, branches moved
/// with a compare-and-swap, the commits between two points.
extension GitRepository {
    /// Moves a branch from one commit to another, only if it still points at the first (a concurrent
    /// update makes this fail rather than be lost). HEAD's reflog follows when HEAD is on the branch.
    public func moveReference(_ name: String, from old: String, to new: String, log: String) throws(GitError) {
        var oldID = git_oid()
        var newID = git_oid()
        try check(git_oid_fromstr(&oldID, old), "git_oid_fromstr")
        try check(git_oid_fromstr(&newID, new), "git_oid_fromstr")
        clearStaleLock(of: name)
        var ref: OpaquePointer?
        try check(git_reference_create_matching(&ref, handle, name, &newID, 1, &oldID, log), "git_reference_create_matching(\(name))")
        git_reference_free(ref)
    }
}

extension GitRepository {
    /// The commits reachable from `head` and not from `base` (nil: all of them), oldest first (as
    /// `git log --reverse` lists them), each with its parents.
    public func commits(from base: String?, to head: String) throws(GitError) -> [(id: String, parents: [String])] {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, handle), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue), "git_revwalk_sorting")
        var headID = git_oid()
        try check(git_oid_fromstr(&headID, head), "git_oid_fromstr")
        try check(git_revwalk_push(walk, &headID), "git_revwalk_push")
        if let base {
            var baseID = git_oid()
            try check(git_oid_fromstr(&baseID, base), "git_oid_fromstr")
            try check(git_revwalk_hide(walk, &baseID), "git_revwalk_hide")
        }
        var result: [(id: String, parents: [String])] = []
        var oid = git_oid()
        while true {
            let code = git_revwalk_next(&oid, walk)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "git_revwalk_next")
            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup")
            defer { git_commit_free(commit) }
            let parents = (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0).map { Self.hex($0.pointee) } }
            result.append((Self.hex(oid), parents))
        }
        return result
    }
}

extension GitRepository {
    /// The tree the index on disk describes, written to the object database (`git write-tree`).
    public func indexTree() throws(GitError) -> String {
        var index: OpaquePointer?
        try check(git_repository_index(&index, handle), "git_repository_index")
        defer { git_index_free(index) }
        try check(git_index_read(index, 1), "git_index_read")
        var treeID = git_oid()
        try check(git_index_write_tree(&treeID, index), "git_index_write_tree")
        return Self.hex(treeID)
    }

    /// A commit of `tree` on `parent` (nil: a root commit), written without moving any reference.
    public func createCommit(treeOf tree: String, parent: String?, message: String, name: String, email: String) throws(GitError) -> String {
        var treeID = git_oid()
        try check(git_oid_fromstr(&treeID, tree), "git_oid_fromstr")
        var treeObject: OpaquePointer?
        try check(git_tree_lookup(&treeObject, handle, &treeID), "git_tree_lookup")
        defer { git_tree_free(treeObject) }
        var parentCommit: OpaquePointer?
        if let parent {
            var parentID = git_oid()
            try check(git_oid_fromstr(&parentID, parent), "git_oid_fromstr")
            try check(git_commit_lookup(&parentCommit, handle, &parentID), "git_commit_lookup")
        }
        defer { if let parentCommit { git_commit_free(parentCommit) } }
        var signature: UnsafeMutablePointer<git_signature>?
        try check(git_signature_now(&signature, name, email), "git_signature_now")
        defer { git_signature_free(signature) }
        var commitID = git_oid()
        var parents: [OpaquePointer?] = parentCommit.map { [$0] } ?? []
        try parents.withUnsafeMutableBufferPointer { (buffer) throws(GitError) in
            try check(git_commit_create(&commitID, handle, nil, signature, signature, "UTF-8", message, treeObject,
                                        buffer.count, buffer.baseAddress), "git_commit_create")
        }
        return Self.hex(commitID)
    }
}
