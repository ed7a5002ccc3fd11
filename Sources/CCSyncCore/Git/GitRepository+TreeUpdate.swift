import Clibgit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GitRepository {
    /// A tree made of `base` (a tree or commit; nil: the empty tree) with `changes` applied, written to
    /// the object database without touching the index (`git_tree_create_updated`): each change sets a
    /// path to a blob and mode, or removes it (`new` nil). Returns the new tree's id.
    public func updatedTree(base: String?, changes: [GitTreeDelta]) throws(GitError) -> String {
        let baseline = try treeObject(base)
        defer { if let baseline { git_object_free(baseline) } }
        let paths = changes.map { strdup($0.path) }
        defer { paths.forEach { free($0) } }
        var updates: [git_tree_update] = []
        updates.reserveCapacity(changes.count)
        for (change, path) in zip(changes, paths) {
            var update = git_tree_update()
            update.path = UnsafePointer(path)
            if let new = change.new {
                update.action = GIT_TREE_UPDATE_UPSERT
                try check(git_oid_fromstr(&update.id, new.id), "git_oid_fromstr")
                update.filemode = git_filemode_t(rawValue: new.mode)
            } else {
                update.action = GIT_TREE_UPDATE_REMOVE
            }
            updates.append(update)
        }
        var treeID = git_oid()
        try updates.withUnsafeBufferPointer { (buffer) throws(GitError) in
            try check(git_tree_create_updated(&treeID, handle, baseline, buffer.count, buffer.baseAddress),
                      "git_tree_create_updated")
        }
        return Self.hex(treeID)
    }
}
