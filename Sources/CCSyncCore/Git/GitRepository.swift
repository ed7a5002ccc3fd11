import Clibgit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A repository opened through libgit2, in process: config values, HEAD, refs, ancestry, the index,
/// blobs and trees, and the writes git-ccsync makes without git's machinery: blobs of files it already
/// translated, index entries, commits of that index (and the lock commits), moving refs, and writing
/// work-tree files it translated itself.
///
/// What must apply the user's setup goes through the git CLI instead (see `Git`, which decides):
/// the network (credentials, SSH configuration, server hooks) and whatever runs our filter or merge
/// driver through git. libgit2 does not run external filters: blobs read here are in repository form,
/// and callers translate them with `PathTranslator` themselves.
public final class GitRepository: @unchecked Sendable {
    // @unchecked: the handles are only used from the thread that owns this object; libgit2 objects are
    // not shared across threads here.
    let handle: OpaquePointer
    private var cachedIndex: OpaquePointer?
    /// Blobs this process has just written, by id: a push reads back what it staged (the secret
    /// check) and need not inflate it again. Bounded; nothing is kept past `recentBlobBudget` bytes.
    private var recentBlobs: [String: [UInt8]] = [:]
    private var recentBlobBytes = 0
    static let recentBlobBudget = 32 << 20

    /// Opens the repository containing `path`. With `path` nil, follows git's environment the way a hook
    /// or filter process sees it (`GIT_DIR`, `GIT_INDEX_FILE`, ... or the current directory).
    public init(discoveringFrom path: String?) throws(GitError) {
        _ = libgit2Initialized
        var repo: OpaquePointer?
        if let path {
            try check(git_repository_open_ext(&repo, path, 0, nil), "git_repository_open_ext(\(path))")
        } else {
            try check(git_repository_open_ext(&repo, nil, GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, nil),
                      "git_repository_open_ext")
        }
        guard let repo else { throw GitError(code: -1, errorClass: 0, message: "no repository", call: "git_repository_open_ext") }
        handle = repo
    }

    /// Opens a repository the way git describes it to a filter or hook it runs: an explicit git
    /// directory (`GIT_DIR`), an explicit work tree (`GIT_WORK_TREE`, else the current directory, which git
    /// sets to the top of the work tree) and optionally another index (`GIT_INDEX_FILE`). libgit2's own
    /// environment mode refuses `GIT_WORK_TREE`, so the pieces are put together here.
    public init(gitDirectory: String, workTree: String?, indexFile: String?) throws(GitError) {
        _ = libgit2Initialized
        var repo: OpaquePointer?
        try check(git_repository_open_ext(&repo, gitDirectory, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                  "git_repository_open_ext(\(gitDirectory))")
        guard let repo else { throw GitError(code: -1, errorClass: 0, message: "no repository", call: "git_repository_open_ext") }
        handle = repo
        if let workTree {
            try check(git_repository_set_workdir(repo, workTree, 0), "git_repository_set_workdir(\(workTree))")
        }
        if let indexFile {
            var index: OpaquePointer?
            try check(git_index_open(&index, indexFile), "git_index_open(\(indexFile))")
            cachedIndex = index
        }
    }

    deinit {
        if let cachedIndex { git_index_free(cachedIndex) }
        git_repository_free(handle)
    }

    /// `core.looseCompression = 0` (set in encrypted working copies): blobs are written the way git
    /// writes them then (`StoredLooseObject`), which libgit2 does not do by itself.
    public private(set) lazy var storesLooseObjectsUncompressed: Bool =
        ((try? configString("core.looseCompression")) ?? nil).flatMap { Int($0) } == 0

    /// Where objects live (for a linked worktree, the main repository's).
    var objectsDirectory: String {
        let common = String(cString: git_repository_commondir(handle))
        return (common.hasSuffix("/") ? common : common + "/") + "objects"
    }

    /// The work tree's root, nil for a bare repository.
    public var workTree: String? {
        git_repository_workdir(handle).map { String(cString: $0) }
    }

    public var gitDirectory: String { String(cString: git_repository_path(handle)) }

    /// A value from the repository's config (with global and system config below it), nil when unset.
    public func configString(_ key: String) throws(GitError) -> String? {
        var config: OpaquePointer?
        try check(git_repository_config_snapshot(&config, handle), "git_repository_config_snapshot")
        defer { git_config_free(config) }
        var value: UnsafePointer<CChar>?
        let code = git_config_get_string(&value, config, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "git_config_get_string(\(key))")
        return value.map { String(cString: $0) }
    }

    /// The values of `keys` that are set, from one snapshot of the repository's config (with global and
    /// system config below it).
    public func configStrings(_ keys: [String]) throws(GitError) -> [String: String] {
        var config: OpaquePointer?
        try check(git_repository_config_snapshot(&config, handle), "git_repository_config_snapshot")
        defer { git_config_free(config) }
        return try Self.values(of: keys, in: config)
    }

    /// A value from a config file on disk (such as the file `GIT_CONFIG_GLOBAL` names, which libgit2
    /// does not read by itself), nil when unset or unreadable.
    public static func configString(_ key: String, inFile path: String) -> String? {
        configStrings([key], inFile: path)[key]
    }

    /// The values of `keys` set in a config file on disk, read once; empty when it is unreadable.
    public static func configStrings(_ keys: [String], inFile path: String) -> [String: String] {
        _ = libgit2Initialized
        var config: OpaquePointer?
        guard git_config_open_ondisk(&config, path) == 0 else { return [:] }
        defer { git_config_free(config) }
        var snapshot: OpaquePointer?
        guard git_config_snapshot(&snapshot, config) == 0 else { return [:] }
        defer { git_config_free(snapshot) }
        return (try? values(of: keys, in: snapshot)) ?? [:]
    }

    private static func values(of keys: [String], in snapshot: OpaquePointer?) throws(GitError) -> [String: String] {
        var values: [String: String] = [:]
        for key in keys {
            var value: UnsafePointer<CChar>?
            let code = git_config_get_string(&value, snapshot, key)
            if code == GIT_ENOTFOUND.rawValue { continue }
            try check(code, "git_config_get_string(\(key))")
            if let value { values[key] = String(cString: value) }
        }
        return values
    }

    /// The branch HEAD points at (`refs/heads/main`), even when it has no commit yet.
    public func headReferenceName() throws(GitError) -> String? {
        var ref: OpaquePointer?
        try check(git_reference_lookup(&ref, handle, "HEAD"), "git_reference_lookup(HEAD)")
        defer { git_reference_free(ref) }
        guard git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC else { return nil }
        return git_reference_symbolic_target(ref).map { String(cString: $0) }
    }

    /// The commit HEAD resolves to, as hex; nil on an unborn branch.
    public func headCommitID() throws(GitError) -> String? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, handle, "HEAD")
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue { return nil }
        try check(code, "git_reference_name_to_id(HEAD)")
        return Self.hex(oid)
    }

    /// The content of the stage-0 index entry for `path` (repository form), nil when the index has none.
    /// The index is re-read only when the file on disk changed.
    public func indexBlob(path: String) throws(GitError) -> [UInt8]? {
        if cachedIndex == nil {
            var index: OpaquePointer?
            try check(git_repository_index(&index, handle), "git_repository_index")
            cachedIndex = index
        }
        guard let index = cachedIndex else { return nil }
        try check(git_index_read(index, 0), "git_index_read")
        guard let entry = git_index_get_bypath(index, path, 0) else { return nil }
        var oid = entry.pointee.id
        return try blob(&oid)
    }

    fileprivate func blob(_ oid: inout git_oid) throws(GitError) -> [UInt8] {
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, handle, &oid), "git_blob_lookup")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size).bindMemory(to: UInt8.self))
    }

    static func hex(_ oid: git_oid) -> String {
        var oid = oid
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, buffer.count, &oid)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension GitRepository {
    /// git's blob id of `bytes` (what `git hash-object` prints), computed in process.
    public static func blobID(of bytes: [UInt8]) -> String {
        SHA1.hex(bytes.withUnsafeBytes { SHA1.blobID($0) })
    }
}

extension GitRepository {
    public struct TreeFile: Sendable {
        public let path: String
        public let blobID: String
        public let isRegularFile: Bool
    }

    /// Every blob under `prefix` in the tree of `revision` (e.g. `refs/remotes/origin/main`), read through
    /// libgit2 without touching the work tree. Nil when the revision does not exist.
    public func treeFiles(revision: String, prefix: String) throws(GitError) -> [TreeFile]? {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, handle, revision + "^{tree}")
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "git_revparse_single(\(revision))")
        defer { git_object_free(object) }
        final class Collector {
            var files: [TreeFile] = []
            let prefix: String
            init(prefix: String) { self.prefix = prefix }
        }
        let collector = Collector(prefix: prefix)
        let payload = Unmanaged.passUnretained(collector).toOpaque()
        try check(git_tree_walk(object, GIT_TREEWALK_PRE, { root, entry, payload in
            guard let root, let entry, let payload else { return 0 }
            let collector = Unmanaged<Collector>.fromOpaque(payload).takeUnretainedValue()
            let dir = String(cString: root)
            // Skip whole subtrees outside the prefix.
            if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                let name = String(cString: git_tree_entry_name(entry))
                let path = dir + name + "/"
                return path.hasPrefix(collector.prefix) || collector.prefix.hasPrefix(path) ? 0 : 1
            }
            let path = dir + String(cString: git_tree_entry_name(entry))
            guard path.hasPrefix(collector.prefix), git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return 0 }
            let mode = git_tree_entry_filemode(entry)
            let id = GitRepository.hex(git_tree_entry_id(entry).pointee)
            collector.files.append(TreeFile(path: path, blobID: id,
                                            isRegularFile: mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE))
            return 0
        }, payload), "git_tree_walk")
        return collector.files
    }

    /// Keeps a blob just written for `blob(id:)` (see `recentBlobs`).
    func remember(blob content: [UInt8], id: String) {
        guard recentBlobs[id] == nil, recentBlobBytes + content.count <= Self.recentBlobBudget else { return }
        recentBlobs[id] = content
        recentBlobBytes += content.count
    }

    /// A blob's content by id (repository form).
    public func blob(id: String) throws(GitError) -> [UInt8] {
        if let recent = recentBlobs[id] { return recent }
        var oid = git_oid()
        try check(git_oid_fromstr(&oid, id), "git_oid_fromstr")
        return try blob(&oid)
    }
}

extension GitRepository {
    /// The commit a revision (`HEAD`, `refs/remotes/origin/main`) resolves to, nil when it does not
    /// exist. In process: no `git rev-parse`.
    public func resolve(_ revision: String) throws(GitError) -> String? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, handle, revision)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(code, "git_reference_name_to_id(\(revision))")
        return Self.hex(oid)
    }

    /// Whether `ancestor` is `commit` or one of its ancestors (`git merge-base --is-ancestor`).
    public func isAncestor(_ ancestor: String, of commit: String) throws(GitError) -> Bool {
        if ancestor == commit { return true }
        var a = git_oid()
        var c = git_oid()
        try check(git_oid_fromstr(&a, ancestor), "git_oid_fromstr")
        try check(git_oid_fromstr(&c, commit), "git_oid_fromstr")
        let result = git_graph_descendant_of(handle, &c, &a)
        try check(result, "git_graph_descendant_of")
        return result == 1
    }

    /// References under a prefix with the commits they point at.
    public func references(under prefix: String) throws(GitError) -> [(name: String, target: String)] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iterator, handle, prefix + "*"), "git_reference_iterator_glob_new")
        defer { git_reference_iterator_free(iterator) }
        var result: [(String, String)] = []
        var ref: OpaquePointer?
        while git_reference_next(&ref, iterator) == 0 {
            defer { git_reference_free(ref) }
            guard let name = git_reference_name(ref), let target = git_reference_target(ref) else { continue }
            result.append((String(cString: name), Self.hex(target.pointee)))
        }
        return result
    }

    /// A commit's full message.
    public func commitMessage(_ id: String) throws(GitError) -> String {
        var oid = git_oid()
        try check(git_oid_fromstr(&oid, id), "git_oid_fromstr")
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup")
        defer { git_commit_free(commit) }
        return git_commit_message(commit).map { String(cString: $0) } ?? ""
    }
}

extension GitRepository {
    /// Writes a parentless commit with an empty tree and `message` (the shape of a lock commit), in
    /// process; returns its id.
    public func createEmptyCommit(message: String, author: String, email: String) throws(GitError) -> String {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, handle, nil), "git_treebuilder_new")
        defer { git_treebuilder_free(builder) }
        var treeID = git_oid()
        try check(git_treebuilder_write(&treeID, builder), "git_treebuilder_write")
        return try createCommit(treeOf: Self.hex(treeID), parent: nil, message: message, name: author, email: email)
    }

    /// Points a reference at a commit (creating or moving it), or deletes it when `target` is nil.
    public func setReference(_ name: String, to target: String?, log: String) throws(GitError) {
        clearStaleLock(of: name)
        guard let target else {
            var ref: OpaquePointer?
            let code = git_reference_lookup(&ref, handle, name)
            if code == GIT_ENOTFOUND.rawValue { return }
            try check(code, "git_reference_lookup(\(name))")
            defer { git_reference_free(ref) }
            try check(git_reference_delete(ref), "git_reference_delete(\(name))")
            return
        }
        var oid = git_oid()
        try check(git_oid_fromstr(&oid, target), "git_oid_fromstr")
        var ref: OpaquePointer?
        try check(git_reference_create(&ref, handle, name, &oid, 1, log), "git_reference_create(\(name))")
        git_reference_free(ref)
    }
}

extension GitRepository {
    /// Commits the index as it is on disk (what `git add` staged) on top of HEAD and moves HEAD's branch,
    /// in process. Unlike `git commit`, this does not refresh the index, so files sync has just written
    /// (racily clean to git) are not sent through the clean filter a second time.
    public func commitIndex(message: String, name: String, email: String) throws(GitError) -> String {
        var treeID = git_oid()
        try check(git_oid_fromstr(&treeID, try indexTree()), "git_oid_fromstr")
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, handle, &treeID), "git_tree_lookup")
        defer { git_tree_free(tree) }
        var signature: UnsafeMutablePointer<git_signature>?
        try check(git_signature_now(&signature, name, email), "git_signature_now")
        defer { git_signature_free(signature) }
        var parent: OpaquePointer?
        var headID = git_oid()
        let headCode = git_reference_name_to_id(&headID, handle, "HEAD")
        if headCode == 0 {
            try check(git_commit_lookup(&parent, handle, &headID), "git_commit_lookup(HEAD)")
        } else if headCode != GIT_ENOTFOUND.rawValue && headCode != GIT_EUNBORNBRANCH.rawValue {
            try check(headCode, "git_reference_name_to_id(HEAD)")
        }
        defer { if let parent { git_commit_free(parent) } }
        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
        clearStaleLock(of: "HEAD")
        if let branch = try headReferenceName() { clearStaleLock(of: branch) }
        try parents.withUnsafeMutableBufferPointer { (buffer) throws(GitError) in
            try check(git_commit_create(&commitID, handle, "HEAD", signature, signature, "UTF-8", message, tree,
                                        buffer.count, buffer.baseAddress), "git_commit_create")
        }
        return Self.hex(commitID)
    }
}

extension GitRepository {
    /// The tree of a revision (commit or tree), to be freed with `git_object_free`; nil for nil.
    func treeObject(_ revision: String?) throws(GitError) -> OpaquePointer? {
        guard let revision else { return nil }
        var object: OpaquePointer?
        try check(git_revparse_single(&object, handle, revision + "^{tree}"), "git_revparse_single(\(revision))")
        return object
    }

    /// Paths that differ between two trees (commits or trees, by revision; `from` nil: the empty tree),
    /// or, with `to` nil, between `from` and the index as it is on disk (what `git diff --cached
    /// --name-only` lists). Limited to paths under `prefixes` when given. In process: a push asks this
    /// two or three times, each a git process otherwise.
    public func changedPaths(from: String?, to: String?, under prefixes: [String] = []) throws(GitError) -> [String] {
        let old = try treeObject(from)
        defer { if let old { git_object_free(old) } }
        let new = try treeObject(to)
        defer { if let new { git_object_free(new) } }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        var diff: OpaquePointer?
        // Pathspecs as C strings that live for the call.
        let cStrings = prefixes.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var pointers = cStrings
        try pointers.withUnsafeMutableBufferPointer { (buffer) throws(GitError) in
            options.pathspec = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            if to == nil {
                var index: OpaquePointer?
                try check(git_repository_index(&index, handle), "git_repository_index")
                defer { git_index_free(index) }
                try check(git_index_read(index, 1), "git_index_read")
                try check(git_diff_tree_to_index(&diff, handle, old, index, &options), "git_diff_tree_to_index")
            } else {
                try check(git_diff_tree_to_tree(&diff, handle, old, new, &options), "git_diff_tree_to_tree")
            }
        }
        defer { git_diff_free(diff) }
        var paths: [String] = []
        for i in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, i) else { continue }
            let file = delta.pointee.status == GIT_DELTA_DELETED ? delta.pointee.old_file : delta.pointee.new_file
            if let path = file.path { paths.append(String(cString: path)) }
        }
        return paths
    }
}

extension GitRepository {
    /// The best common ancestor of two revisions, nil when they share no history.
    public func mergeBase(_ a: String, _ b: String) throws(GitError) -> String? {
        guard let first = try resolve(a), let second = try resolve(b) else { return nil }
        var one = git_oid()
        var two = git_oid()
        try check(git_oid_fromstr(&one, first), "git_oid_fromstr")
        try check(git_oid_fromstr(&two, second), "git_oid_fromstr")
        var base = git_oid()
        let code = git_merge_base(&base, handle, &one, &two)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "git_merge_base")
        return Self.hex(base)
    }
}

extension GitRepository {
    /// A ref's lock file that a killed git (or git-ccsync) left behind would make this update fail for
    /// good: removed when stale (see `StaleGitLock`), as the git CLI steps do.
    func clearStaleLock(of reference: String) {
        let lock = gitDirectory + (gitDirectory.hasSuffix("/") ? "" : "/") + reference + ".lock"
        if FileStat(path: lock) != nil { _ = StaleGitLock.removeIfStale(lock) }
    }
}
