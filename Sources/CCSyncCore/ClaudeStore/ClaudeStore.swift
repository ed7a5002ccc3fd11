/// Claude Code's own files on this machine: `$CLAUDE_CONFIG_DIR` or `~/.claude` (the caller decides).
///
/// Reads never follow symlinks: a symlinked project folder or session file is reported and skipped, so a
/// store that points elsewhere cannot pull outside files into the repository.
public struct ClaudeStore: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    public var projectsDirectory: String { root + "/projects" }
    public var globalInstructions: String { root + "/CLAUDE.md" }

    public func projectDirectory(folder: String) -> String { projectsDirectory + "/" + folder }

    /// Every project folder with its synced files. Problems are reported through `warn` and skipped.
    public func projects(warn: (String) -> Void) -> [StoreProject] {
        guard FileSystem.isDirectory(projectsDirectory), let folders = try? FileSystem.list(projectsDirectory) else {
            return []
        }
        var result: [StoreProject] = []
        for folder in folders {
            let path = projectDirectory(folder: folder)
            switch FileStat(path: path)?.kind {
            case .directory?:
                result.append(project(folder: folder, warn: warn))
            case .symlink?:
                warn("skipping \(path): a symlinked project folder is not followed")
            default:
                continue
            }
        }
        return result
    }

    /// The synced files of one project folder (which need not exist).
    public func project(folder: String, warn: (String) -> Void) -> StoreProject {
        let base = projectDirectory(folder: folder)
        var files: [StoreFile] = []
        walk(base, into: &files, warn: warn)
        return StoreProject(folderName: folder, directory: base, files: files)
    }

    private func walk(_ directory: String, into files: inout [StoreFile], warn: (String) -> Void) {
        FileSystem.walk(directory, maxDepth: 8) { entry in
            let rel = entry.relative, name = entry.name, depth = entry.depth
            switch entry.stat.kind {
            case .regular:
                if let kind = StoreFileKind.classify(rel) {
                    files.append(StoreFile(relativePath: rel, kind: kind, stat: entry.stat))
                }
            case .directory:
                // Only descend where synced files can be: `memory/`, `<id>/subagents/**`, `<id>/tool-results/**`.
                let parts = rel.split(separator: "/")
                switch parts.count {
                case 1: return name == "memory" || StoreFileKind.isSessionID(name)
                case 2: return parts[0] != "memory" && (name == "subagents" || name == "tool-results")
                default: return true
                }
            case .symlink:
                // Say so for anything that would have been synced: a session file, anything below a
                // session's or memory folder, and those folders themselves.
                let syncedFolder = depth == 0 && (name == "memory" || StoreFileKind.isSessionID(name))
                if StoreFileKind.classify(rel) != nil || depth > 0 || syncedFolder {
                    warn("skipping \(entry.path): symlinks are not followed")
                }
            case .other:
                if StoreFileKind.classify(rel) != nil { warn("skipping \(entry.path): not a regular file") }
            }
            return false
        }
    }
}

public struct StoreProject: Sendable {
    public let folderName: String
    public let directory: String
    public let files: [StoreFile]

    /// The project's real working directory, from the `cwd` field of its newest session that has one.
    public func cwd() -> String? {
        let sessions = files.filter { $0.kind == .session }.sorted { $0.stat.mtimeNanoseconds > $1.stat.mtimeNanoseconds }
        for session in sessions {
            if let cwd = SessionCwd.first(inFile: directory + "/" + session.relativePath) { return cwd }
        }
        for agent in files where agent.kind == .subagent && agent.relativePath.hasSuffix(".jsonl") {
            if let cwd = SessionCwd.first(inFile: directory + "/" + agent.relativePath) { return cwd }
        }
        return nil
    }
}

public struct StoreFile: Sendable {
    /// Path inside the project folder, e.g. `<id>.jsonl`, `<id>/subagents/agent-a1.jsonl`, `memory/x.md`.
    public let relativePath: String
    public let kind: StoreFileKind
    public let stat: FileStat
}
