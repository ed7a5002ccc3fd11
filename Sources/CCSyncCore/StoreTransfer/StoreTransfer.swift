#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies files between Claude's store and the working copy, byte for byte, never losing a line.
///
/// - sync-in (store → work tree) before a commit; sync-out (work tree → store) after a merge or checkout.
/// - A side that did not change since the last sync is overwritten by the other; when both changed, the
///   session logs are merged record by record (`JSONLMerge`), shared files (memory, CLAUDE.md) take the
///   version being brought in.
/// - The store is written by appending when the new content extends what is there (Claude may hold the
///   log open), else by atomic replacement; never through a symlink, never outside the store.
/// - A session Claude deleted locally (its 30-day cleanup) is not deleted from the repository.
public struct StoreTransfer {
    public let copy: WorkingCopy
    public let translator: PathTranslator
    public let syncDirectories: [String]
    public var state: SyncState
    /// Sync every project, not only those under the synced directories.
    public var includeAll = false
    /// Counts files as they are collected or written (a first sync's thousands of sessions).
    public var meter = ProgressReporter.silent
    /// Set for the length of a `syncIn(dryRun: true, byStat: true)`.
    private var statOnly = false
    /// `ccsync.maxFileSize`: session logs over it are kept in parts in the working copy (`SessionParts`).
    public var maxFileSize: Int64

    static let cwdFile = ".cwd"

    public init(copy: WorkingCopy, config: SharedConfig) throws {
        self.copy = copy
        translator = try copy.translator(config: config)
        syncDirectories = copy.syncDirectories(config: config)
        maxFileSize = try copy.settings.maxFileSize()
        state = SyncState.load(from: copy.statePath)
        savedState = state
    }

    /// The state as loaded, so that a sync that changed nothing writes nothing.
    private var savedState: SyncState

    public mutating func saveState() throws {
        guard state != savedState else { return }
        try state.save(to: copy.statePath)
        savedState = state
    }

    func portable(_ localPath: String) -> String {
        String(decoding: translator.clean(Array(localPath.utf8)), as: UTF8.self)
    }

    // MARK: sync-in

    /// Store → work tree. With `dryRun`, reports what would change and writes nothing.
    /// - Parameters:
    ///   - onlySessions: copy only these sessions (resume's backups).
    ///   - excluding: leave these sessions out (another machine holds their locks).
    ///
    /// - Parameter byStat: with `dryRun`, a file whose stat differs from the last sync's counts as
    ///   changed without being read: enough to tell whether a push has anything to do (a file touched
    ///   but not changed then costs one needless round trip, not a read and hash of every such file).
    public mutating func syncIn(dryRun: Bool = false, byStat: Bool = false, onlySessions: Set<String>? = nil,
                                excluding: Set<String> = []) throws -> SyncReport {
        statOnly = dryRun && byStat
        defer { statOnly = false }
        var report = SyncReport()
        let projects = copy.store.projects { report.warnings.append($0) }
        let meter = dryRun ? ProgressReporter.silent : self.meter
        meter.begin("Collecting sessions", total: Int64(projects.reduce(0) { $0 + $1.files.count }))
        defer { meter.finish() }
        for project in projects {
            let cwd: String
            if let cached = state.folderCwds[project.folderName] {
                cwd = cached
            } else if let found = project.cwd() {
                cwd = found
                state.folderCwds[project.folderName] = found
            } else {
                meter.advance(by: Int64(project.files.count))
                continue  // no session records a cwd: nothing to map the folder by
            }
            let portableCwd = portable(cwd)
            if !includeAll, !WorkingCopy.isUnder(portableCwd, anyOf: syncDirectories) {
                meter.advance(by: Int64(project.files.count))
                report.skippedProjects += 1
                continue
            }
            let key = ProjectKey.make(portableCwd: portableCwd)
            let projectDir = copy.projectsPath + "/" + key
            var cwdFileChecked = false  // once per project, not once per file
            for file in project.files {
                meter.advance()
                let id = Self.sessionID(of: file.relativePath)
                if let only = onlySessions, !only.contains(id) { continue }
                if excluding.contains(id) { continue }
                let repoPath = "projects/\(key)/\(file.relativePath)"
                let workPath = projectDir + "/" + file.relativePath
                // Where parts are is looked up only for a log that changed or is over the limit: an
                // unchanged file still costs one stat.
                let unchanged = state.files[repoPath]?.storeStat == file.stat && file.stat.size <= maxFileSize
                let work = file.kind == .session && !unchanged ? WorkFile.session(workPath, size: file.stat.size, limit: maxFileSize)
                                                               : .plain(workPath)
                if try syncInFile(from: project.directory + "/" + file.relativePath, stat: file.stat,
                                  to: work, repoPath: repoPath,
                                  shared: file.kind == .memory, dryRun: dryRun, report: &report), !cwdFileChecked {
                    try writeCwdFile(projectDir: projectDir, cwd: cwd, dryRun: dryRun)
                    cwdFileChecked = true
                }
            }
        }
        // Global instructions.
        if let st = FileStat(path: copy.store.globalInstructions), st.kind == .regular {
            _ = try syncInFile(from: copy.store.globalInstructions, stat: st, to: .plain(copy.root + "/claude/CLAUDE.md"),
                               repoPath: "claude/CLAUDE.md", shared: true, dryRun: dryRun, report: &report)
        }
        return report
    }

    static func sessionID(of relativePath: String) -> String {
        StoreFileKind.sessionName(ofEntry: relativePath.split(separator: "/").first ?? Substring(relativePath))
    }

    /// Returns true when the file is (or would be) in the work tree afterwards.
    private mutating func syncInFile(from storePath: String, stat storeStat: FileStat, to work: WorkFile,
                                     repoPath: String, shared: Bool, dryRun: Bool,
                                     report: inout SyncReport) throws -> Bool {
        // A session over the limit that is still one file in the work tree (held back by an older
        // version, or the limit was lowered) moves into parts even though the store did not change.
        let moving = work.partsFolder.map { SessionParts.list($0).isEmpty } ?? false
        let record = state.files[repoPath]
        if let record, record.storeStat == storeStat, !moving { return true }
        if statOnly {
            report.changes.append(.init(repoPath: repoPath, action: record == nil ? .created : .copied))
            return true
        }
        let storeBytes = try readFile(storePath)
        let storeHash = Git.blobID(of: storeBytes)
        if var record, record.hash == storeHash, !moving {
            record.storeStat = storeStat
            if !dryRun { state.files[repoPath] = record }
            return true
        }
        let workStat = work.stat()
        var result = storeBytes
        var action = SyncReport.Action.copied
        if let workStat {
            guard workStat.kind == .regular else {
                report.warnings.append("skipping \(repoPath): not a regular file in the working copy")
                return false
            }
            var workChanged = true
            if let record, record.workStat == workStat {
                workChanged = false
            } else {
                let workBytes = try work.read()
                if workBytes == storeBytes {
                    // Both sides agree, but not on what the last sync recorded: an earlier sync wrote the
                    // work tree and was killed before it could note that the file needs staging.
                    if record?.hash != storeHash { report.changes.append(.init(repoPath: repoPath, action: .copied)) }
                    if !dryRun {
                        if work.hasLeftover || moving {
                            do {
                                try work.write(storeBytes)
                                markDirty(repoPath)
                            } catch let error as SessionParts.LineOverLimit {
                                report.warnings.append("not syncing \(repoPath): \(error) (it keeps what the repository has)")
                                return false
                            }
                        }
                        state.files[repoPath] = .init(hash: storeHash, storeStat: storeStat, workStat: work.stat())
                        if record?.hash != storeHash { markDirty(repoPath) }
                    }
                    return true
                }
                workChanged = record.map { Git.blobID(of: workBytes) != $0.hash } ?? true
                if workChanged, !shared {
                    // Both sides changed since the last sync: keep every record of both.
                    result = JSONLMerge.merge(base: nil, ours: storeBytes, theirs: workBytes)
                    action = .merged
                }
            }
        } else {
            action = .created
        }
        report.changes.append(.init(repoPath: repoPath, action: action))
        guard !dryRun else { return true }
        do {
            try work.write(result)
        } catch let error as SessionParts.LineOverLimit {
            report.changes.removeLast()
            report.warnings.append("not syncing \(repoPath): \(error) (it keeps what the repository has)")
            return false
        }
        markDirty(repoPath)
        let hash = result == storeBytes ? storeHash : Git.blobID(of: result)
        // The store keeps its own bytes; if the merge added lines, sync-out brings them to the store.
        state.files[repoPath] = .init(hash: hash, storeStat: result == storeBytes ? storeStat : nil,
                                      workStat: work.stat())
        return true
    }

    private mutating func writeCwdFile(projectDir: String, cwd: String, dryRun: Bool) throws {
        guard !dryRun else { return }
        let path = projectDir + "/" + Self.cwdFile
        let content = Array((cwd + "\n").utf8)
        if let existing = try? readFile(path), existing == content { return }
        try FileSystem.makeDirectories(projectDir)
        try FileSystem.writeAtomically(path, content)
        if state.dirty != nil { state.dirty?.insert("projects/" + FileSystem.basename(of: projectDir)) }
    }

    /// Remembers that the folder holding `repoPath` changed in the work tree and needs staging.
    mutating func markDirty(_ repoPath: String) {
        let parts = repoPath.split(separator: "/")
        let folder = parts.first == "projects" && parts.count >= 2 ? "projects/\(parts[1])" : String(parts.first ?? "")
        if state.dirty != nil { state.dirty?.insert(folder) }
    }

    // MARK: sync-out

    /// Work tree → store. `force` overwrites the store's version of files changed on both sides
    /// instead of merging them.
    /// - Parameter only: the repository paths that may have changed since a complete sync-out (what a
    ///   merge brought); nil looks at every file.
    public mutating func syncOut(dryRun: Bool = false, force: Bool = false, only: Set<String>? = nil) throws -> SyncReport {
        var report = SyncReport()
        let keys = (try? FileSystem.list(copy.projectsPath)) ?? []
        let onlyKeys = only.map { Set($0.compactMap { path -> String? in
            let parts = path.split(separator: "/", maxSplits: 2)
            return parts.count == 3 && parts[0] == "projects" ? String(parts[1]) : nil
        }) }
        var plans: [(key: String, projectDir: String, storeDir: String, folder: String, cwd: String, files: [String])] = []
        for key in keys {
            if let onlyKeys, !onlyKeys.contains(key) { continue }
            let projectDir = copy.projectsPath + "/" + key
            guard FileStat(path: projectDir)?.kind == .directory else { continue }
            guard ProjectKey.isValid(key) else {
                report.warnings.append("skipping projects/\(key): not a valid project folder name")
                continue
            }
            guard let cwd = readCwd(projectDir: projectDir, key: key, report: &report) else { continue }
            if !includeAll, !WorkingCopy.isUnder(portable(cwd), anyOf: syncDirectories) {
                report.skippedProjects += 1
                continue
            }
            let folder = ProjectFolderName.make(cwd: cwd)
            let storeDir = copy.store.projectDirectory(folder: folder)
            if let blocked = FileSystem.blockingFolder(storeDir, below: copy.store.projectsDirectory) {
                report.warnings.append("not writing into \(blocked): it is a symlink or not a directory (sessions are never written outside Claude's store)")
                continue
            }
            var files: [String] = []
            collectWorkFiles(projectDir, relative: "", into: &files, report: &report, key: key)
            plans.append((key, projectDir, storeDir, folder, cwd, files))
        }
        // Listed first, written second: the count of files is known before the first is written.
        let meter = dryRun ? ProgressReporter.silent : self.meter
        meter.begin("Writing sessions", total: Int64(plans.reduce(0) { $0 + $1.files.count }))
        defer { meter.finish() }
        for (key, projectDir, storeDir, folder, cwd, files) in plans {
            var wroteAny = false
            // A changed .cwd moves the whole project: then every file of it is looked at.
            let allFiles = only.map { $0.contains("projects/\(key)/\(Self.cwdFile)") } ?? true
            for (rel, members) in Self.logicalFiles(files) {
                meter.advance(by: Int64(members.count))
                if !allFiles, let only, !members.contains(where: { only.contains("projects/\(key)/\($0)") }) { continue }
                guard let kind = StoreFileKind.classify(rel) else { continue }
                if let slash = rel.lastIndex(of: "/"),
                   let blocked = FileSystem.blockingFolder(storeDir + "/" + rel[..<slash], below: storeDir) {
                    report.warnings.append("not writing \(storeDir)/\(rel): \(blocked) is a symlink or not a directory")
                    continue
                }
                let repoPath = "projects/\(key)/\(rel)"
                let workPath = projectDir + "/" + rel
                let parted = members.contains { $0 != rel }
                let work = kind == .session ? WorkFile.session(workPath, parted: parted, limit: maxFileSize) : .plain(workPath)
                wroteAny = try syncOutFile(work: work, storePath: storeDir + "/" + rel,
                                           repoPath: repoPath, shared: kind == .memory, force: force,
                                           dryRun: dryRun, report: &report) || wroteAny
            }
            if wroteAny, !dryRun { state.folderCwds[folder] = cwd }
        }
        let claudeMD = copy.root + "/claude/CLAUDE.md"
        if only?.contains("claude/CLAUDE.md") ?? true, FileStat(path: claudeMD)?.kind == .regular {
            _ = try syncOutFile(work: .plain(claudeMD), storePath: copy.store.globalInstructions, repoPath: "claude/CLAUDE.md",
                                shared: true, force: force, dryRun: dryRun, report: &report)
        }
        return report
    }

    /// The work tree's files of a project as sync-out takes them: a session's parts (and a plain log left
    /// beside them) as the one log `<id>.jsonl` they join to, with the files it is read from; any other
    /// file as itself.
    static func logicalFiles(_ files: [String]) -> [(rel: String, members: [String])] {
        var order: [String] = []
        var members: [String: [String]] = [:]
        for rel in files {
            let logical = SessionParts.sessionFile(ofPart: rel) ?? rel
            if members[logical] == nil { order.append(logical) }
            members[logical, default: []].append(rel)
        }
        return order.map { ($0, members[$0] ?? []) }
    }

    private func readCwd(projectDir: String, key: String, report: inout SyncReport) -> String? {
        let path = projectDir + "/" + Self.cwdFile
        guard FileStat(path: path)?.kind == .regular, let bytes = try? readFile(path) else {
            report.warnings.append("skipping projects/\(key): it has no \(Self.cwdFile) file")
            return nil
        }
        var text = String(decoding: bytes, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        let unmapped = translator.unmappedNames(in: Array(text.utf8))
        guard unmapped.isEmpty else {
            let names = unmapped.sorted()
            report.warnings.append("skipping projects/\(key): this machine has no path for "
                + names.map { "{{\($0)}}" }.joined(separator: ", ")
                + " (git ccsync config set-path \(names[0]) \(copy.machine) PATH)")
            return nil
        }
        guard text.hasPrefix("/") || (text.utf8.count > 2 && Array(text.utf8)[1] == UInt8(ascii: ":")),
              !text.contains("\0"), !text.contains("\n") else {
            report.warnings.append("skipping projects/\(key): its \(Self.cwdFile) is not an absolute path")
            return nil
        }
        return text
    }

    private func collectWorkFiles(_ dir: String, relative: String, into files: inout [String],
                                  report: inout SyncReport, key: String) {
        guard relative.split(separator: "/").count < 8, let names = try? FileSystem.list(dir) else { return }
        for name in names {
            if relative.isEmpty, name == Self.cwdFile { continue }
            let path = dir + "/" + name
            if WorkTreeLitter.isStaleTemporary(name) {
                _ = unlink(path)  // an atomic write killed before its rename
                continue
            }
            let rel = relative.isEmpty ? name : relative + "/" + name
            switch FileStat(path: path)?.kind {
            case .regular?: files.append(rel)
            case .directory?: collectWorkFiles(path, relative: rel, into: &files, report: &report, key: key)
            case .symlink?: report.warnings.append("skipping projects/\(key)/\(rel): symlinks are not synced")
            default: report.warnings.append("skipping projects/\(key)/\(rel): not a regular file")
            }
        }
    }

    private mutating func syncOutFile(work: WorkFile, storePath: String, repoPath: String, shared: Bool,
                                      force: Bool, dryRun: Bool, report: inout SyncReport) throws -> Bool {
        guard let workStat = work.stat(), workStat.kind == .regular else { return false }
        let record = state.files[repoPath]
        if let record, record.workStat == workStat, record.storeStat != nil { return true }
        let workBytes = try work.read()
        let workHash = Git.blobID(of: workBytes)
        let storeStat = FileStat(path: storePath)
        if let storeStat, storeStat.kind != .regular {
            report.warnings.append("not writing \(storePath): it is a \(storeStat.kind.rawValue), not a regular file")
            return false
        }
        if let record, record.hash == workHash, record.storeStat == storeStat, storeStat != nil {
            if !dryRun { state.files[repoPath]?.workStat = workStat }
            return true
        }
        guard let storeStat else {
            if let record, record.hash == workHash {
                // Claude removed it here (its cleanup) and nobody changed it since: leave it removed.
                return false
            }
            report.changes.append(.init(repoPath: repoPath, action: .created))
            guard !dryRun else { return true }
            try FileSystem.makeDirectories(FileSystem.dirname(of: storePath))
            try FileSystem.writeAtomically(storePath, workBytes)
            state.files[repoPath] = .init(hash: workHash, storeStat: FileStat(path: storePath), workStat: workStat)
            return true
        }
        let storeBytes = try readFile(storePath)
        if storeBytes == workBytes {
            if !dryRun {
                state.files[repoPath] = .init(hash: workHash, storeStat: storeStat, workStat: workStat)
                // A sync-out killed after writing both sides and before noting it: the work tree's
                // version may be one the index has not seen.
                if record.map({ $0.hash != workHash }) ?? false { markDirty(repoPath) }
            }
            return true
        }
        // The store's file as sync last left it: by stat when that proves it (as git trusts an index
        // entry's stat), else by content.
        let storeUnchanged = record.map { $0.storeStat == storeStat || Git.blobID(of: storeBytes) == $0.hash } ?? false
        var result = workBytes
        var action = SyncReport.Action.copied
        if !storeUnchanged, !shared, !force {
            // Both changed: the store's new lines and the repository's new lines all survive.
            result = JSONLMerge.merge(base: nil, ours: storeBytes, theirs: workBytes)
            action = .merged
        }
        report.changes.append(.init(repoPath: repoPath, action: action))
        guard !dryRun else { return true }
        if result.count > storeBytes.count, result.starts(with: storeBytes) {
            try FileSystem.append(storePath, Array(result[storeBytes.count...]))
        } else if result != storeBytes {
            try FileSystem.writeAtomically(storePath, result)
        }
        if result != workBytes || work.hasLeftover {
            // (In parts, a plain log left beside them is folded in by the write too.)
            do {
                try work.write(result)
            } catch let error as SessionParts.LineOverLimit {
                // The store has every line; the work tree keeps its parts, and the next sync tries again.
                report.warnings.append("not syncing \(repoPath) back into the repository: \(error)")
                return true
            }
            markDirty(repoPath)
        }
        state.files[repoPath] = .init(hash: result == workBytes ? workHash : Git.blobID(of: result),
                                      storeStat: FileStat(path: storePath), workStat: work.stat())
        return true
    }
}
