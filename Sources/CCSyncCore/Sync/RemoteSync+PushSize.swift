#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Pushes that fit the host: the largest refuses any push over 2 GB, and a heavy user's first sync is
/// more than that. What one push may carry is `ccsync.maxPushSize` (bytes, as the objects are stored:
/// compressed, before the pack's deltas, so the pack sent is at most about that).
///
/// - A commit that would add more than that is made as several, each within it (`commitInParts`);
/// - a push of more than that is sent as several, oldest commits first, each within it (`pushStops`).
///
/// A sync killed between two of them has pushed whole commits only: the next push sends the rest (git
/// sends only what the remote lacks), and a commit not yet made is made by the next sync, as the files
/// stay marked for staging until the last part is committed.
extension RemoteSync {
    /// `Settings.maxPushSize` (bytes), default `PushBatches.defaultLimit`.
    public func maxPushSize() throws -> Int64 {
        try copy.settings.maxPushSize()
    }

    /// Before the index is committed: when what it adds to HEAD may not fit one push (the files' size in
    /// the work tree says whether to look closer), commits of parts of it are made first, each within the
    /// limit as stored, HEAD moving to each. Returns the paths left for the caller's commit of the index
    /// (the last part) and that part's label, or nil when no parts were needed.
    func commitInParts(staged: [String]) throws -> (rest: [String], label: String)? {
        let limit = try maxPushSize()
        let worktreeBytes = staged.reduce(Int64(0)) { $0 + (FileStat(path: copy.root + "/" + $1)?.size ?? 0) }
        guard worktreeBytes > limit, let head = try revParse("HEAD"),
              let branch = try copy.git.headReferenceName() else { return nil }
        let deltas = try copy.git.treeDeltas(from: head, to: copy.git.indexTree())
        let stored = try storedSizes(deltas.compactMap { $0.new?.id })
        let sizes = deltas.map { delta in delta.new.map { stored[$0.id] ?? 0 } ?? 0 }
        // Trees and commits go with each part too: a twentieth of the limit is left for them.
        let groups = PushBatches.split(sizes: sizes, limit: limit - limit / 20)
        guard groups.count > 1 else { return nil }
        let committer = try self.committer()
        var parent = head
        for (n, group) in groups.dropLast().enumerated() {
            let part = Array(deltas[group])
            let tree = try copy.git.updatedTree(base: parent, changes: part)
            var changed = SyncReport()
            changed.changes = part.map { .init(repoPath: $0.path, action: .copied) }
            let message = Self.labelled(commitMessage(sessions: changed.sessionIDs, files: part.count),
                                        "part \(n + 1) of \(groups.count)")
            let commit = try copy.git.createCommit(treeOf: tree, parent: parent, message: message,
                                                          name: committer.name, email: committer.email)
            try copy.git.moveReference(branch, from: parent, to: commit, log: "commit: \(message.prefix { $0 != "\n" })")
            parent = commit
            trace("committed part \(n + 1) of \(groups.count): \(part.count) files, \(sizes[group].reduce(0, +)) bytes")
        }
        return (deltas[groups[groups.count - 1]].map(\.path), "part \(groups.count) of \(groups.count)")
    }

    /// A commit message with `label` at the end of its first line.
    static func labelled(_ message: String, _ label: String) -> String {
        guard let newline = message.firstIndex(of: "\n") else { return message + " (\(label))" }
        return message[..<newline] + " (\(label))" + message[newline...]
    }

    /// How many bytes each object takes as stored here (compressed), by id.
    func storedSizes(_ ids: [String]) throws -> [String: Int64] {
        try git.storedSizes(ids)
    }

    /// The commits to push one after the other, oldest first, each push within `ccsync.maxPushSize`:
    /// HEAD alone when all of it fits (the usual case, one `rev-list`); else stops along HEAD's
    /// first-parent line, each as far as fits after the one before. A single commit over the limit is
    /// still pushed on its own (nothing smaller can be sent).
    func pushStops(after remoteTip: String?, total: Int64?) throws -> [String] {
        guard let head = try revParse("HEAD") else { return [] }
        let limit = try maxPushSize()
        guard let total, total > limit else { return [head] }
        let line = try git.firstParentLine(to: head, after: remoteTip)
        var stops: [String] = []
        var base = remoteTip
        var fits: String?
        for commit in line {
            if try (storedSize(of: commit, after: base) ?? 0) <= limit {
                fits = commit
                continue
            }
            if let fits {
                stops.append(fits)
                base = fits
            }
            fits = commit
            if try (storedSize(of: commit, after: base) ?? 0) > limit {
                stops.append(commit)
                base = commit
                fits = nil
            }
        }
        if stops.last != head { stops.append(head) }
        return stops
    }

    /// The stored size of the objects reachable from `tip` and not from `base`; nil if git cannot tell
    /// (`rev-list --disk-usage` is git 2.38's).
    func storedSize(of tip: String, after base: String?) throws -> Int64? {
        try git.storedSize(of: tip, after: base)
    }

    /// git options for pushing `total` stored bytes after `remoteTip`: none for an everyday push; for a
    /// bulk one (a first sync: over 4 MB as stored, nearly all of it new files) no delta search, whose cost grows
    /// with every megabyte and finds next to nothing between different conversations (a file that
    /// changed would find its old version, which is why a push with such files keeps the search).
    func packOptions(after remoteTip: String?, total: Int64?) throws -> [String] {
        guard let total, total > Self.bulkPushSize, let head = try revParse("HEAD") else { return [] }
        let changed = try copy.git.treeDeltas(from: remoteTip, to: head).filter { $0.old != nil }.compactMap { $0.new?.id }
        let changedBytes = try storedSizes(changed).values.reduce(0, +)
        return changedBytes * 10 < total ? ["-c", "pack.window=0"] : []
    }

    static let bulkPushSize: Int64 = 4 << 20
}
