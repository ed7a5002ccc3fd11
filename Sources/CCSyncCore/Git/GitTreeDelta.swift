import Clibgit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One path that differs between two trees, with the blob and mode on each side (nil where the path
/// does not exist). Renames are not detected: a moved file is a deletion and an addition.
public struct GitTreeDelta: Sendable, Equatable {
    public struct Side: Sendable, Equatable {
        public let id: String
        /// The tree entry's mode: 0o100644, 0o100755, 0o120000 (symlink), 0o160000 (submodule).
        public let mode: UInt32

        public var isPlainFile: Bool { mode == 0o100644 || mode == 0o100755 }
    }

    public let path: String
    public let old: Side?
    public let new: Side?
}

extension GitRepository {
    /// The paths that differ between two commits' trees (`from` nil: the empty tree), in path order.
    public func treeDeltas(from: String?, to: String) throws(GitError) -> [GitTreeDelta] {
        let old = try treeObject(from)
        defer { if let old { git_object_free(old) } }
        let new = try treeObject(to)
        defer { git_object_free(new) }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        // A file that became a symlink is one delta with both sides, not a deletion plus an addition.
        options.flags |= GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, handle, old, new, &options), "git_diff_tree_to_tree")
        defer { git_diff_free(diff) }
        var deltas: [GitTreeDelta] = []
        for i in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, i) else { continue }
            func side(_ file: git_diff_file) -> GitTreeDelta.Side? {
                guard file.flags & GIT_DIFF_FLAG_EXISTS.rawValue != 0 else { return nil }
                return .init(id: Self.hex(file.id), mode: UInt32(file.mode))
            }
            let status = delta.pointee.status
            let oldSide = status == GIT_DELTA_ADDED ? nil : side(delta.pointee.old_file)
            let newSide = status == GIT_DELTA_DELETED ? nil : side(delta.pointee.new_file)
            let file = newSide == nil ? delta.pointee.old_file : delta.pointee.new_file
            guard let path = file.path else { continue }
            deltas.append(GitTreeDelta(path: String(cString: path), old: oldSide, new: newSide))
        }
        return deltas
    }
}
