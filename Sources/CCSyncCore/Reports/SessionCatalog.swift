#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The sessions of a working copy (or of the remote branch, read through libgit2), one row each, for
/// `list` and `resume`.
public struct SessionCatalog {
    public struct Row: Sendable, Codable, Equatable {
        public let id: String
        /// The project's cwd in portable form (`{{PROJECTS}}/shop`).
        public let project: String
        public let projectKey: String
        /// The last record's timestamp (ISO 8601), else nil.
        public let lastModified: String?
        /// The machine whose commit last changed the session.
        public let machine: String?
        public let title: String?
        public let size: Int
        public let records: Int
        /// Whether the project is under a synced directory.
        public let synced: Bool
        /// Path in the working copy.
        public let path: String
    }

    public let copy: WorkingCopy
    public let translator: PathTranslator
    public let syncDirectories: [String]

    public init(copy: WorkingCopy) throws {
        self.copy = copy
        let config = try copy.sharedConfig()
        translator = try copy.translator(config: config)
        syncDirectories = copy.syncDirectories(config: config)
    }

    /// Sessions in the work tree (this machine's form).
    public func local() throws -> [Row] {
        let machines = try lastMachines(revision: "HEAD")
        var rows: [Row] = []
        for key in (try? FileSystem.list(copy.projectsPath)) ?? [] where ProjectKey.isValid(key) {
            let dir = copy.projectsPath + "/" + key
            guard FileStat(path: dir)?.kind == .directory else { continue }
            let cwd = (try? readFile(dir + "/" + StoreTransfer.cwdFile)).map { Self.firstLine($0) } ?? ""
            let portable = String(decoding: translator.clean(Array(cwd.utf8)), as: UTF8.self)
            for (name, parts) in Self.sessionEntries(dir) {
                let path = dir + "/" + name
                // A session in parts is one row: its parts joined, as sync-out writes it into the store.
                let work = parts == nil ? WorkFile.plain(path) : WorkFile.session(path, size: nil, limit: .max)
                guard work.stat()?.kind == .regular, let bytes = try? work.read() else { continue }
                rows.append(row(bytes: bytes, name: name, key: key, portable: portable, machines: machines,
                                path: "projects/\(key)/\(parts ?? name)"))
            }
        }
        return Self.sorted(rows)
    }

    /// Every session file in the work tree by id, from directory listings alone (no file is read): what
    /// `resume <id>` needs to find one session among thousands.
    public func locate() -> [(id: String, key: String, path: String)] {
        var found: [(String, String, String)] = []
        for key in (try? FileSystem.list(copy.projectsPath)) ?? [] where ProjectKey.isValid(key) {
            for (name, parts) in Self.sessionEntries(copy.projectsPath + "/" + key) {
                found.append((String(name.dropLast(6)), key, "projects/\(key)/\(parts ?? name)"))
            }
        }
        return found
    }

    /// The sessions of a project folder in the work tree: `<id>.jsonl` each, with the path of its first
    /// part (`<id>.parts/0000.jsonl`) when it is kept in parts (`SessionParts`); listed once either way.
    static func sessionEntries(_ dir: String) -> [(name: String, parts: String?)] {
        var entries: [(name: String, parts: String?)] = []
        var parted = Set<String>()
        let names = (try? FileSystem.list(dir)) ?? []
        for name in names where name.hasSuffix(SessionParts.folderSuffix) {
            let log = StoreFileKind.sessionName(ofEntry: name) + ".jsonl"
            guard StoreFileKind.classify(log) == .session, let first = SessionParts.list(dir + "/" + name).first else { continue }
            parted.insert(log)
            entries.append((log, name + "/" + first))
        }
        for name in names where StoreFileKind.classify(name) == .session && !parted.contains(name) {
            entries.append((name, nil))
        }
        return entries
    }

    /// Sessions on the remote branch as last fetched, read from git's objects.
    public func remote() throws -> [Row] {
        let ref = "refs/remotes/\(WorkingCopy.remote)/\(WorkingCopy.branch)"
        let git = try copy.git.reopened()
        guard let files = try git.treeFiles(revision: ref, prefix: "projects/") else { return [] }
        let machines = try lastMachines(revision: ref)
        // An encrypted repository's blobs are ciphertext: read what they say.
        let cipher = try RepositoryEncryption.cipher(for: git)
        func blob(_ file: Git.TreeFile) throws -> [UInt8] {
            let bytes = try git.blob(id: file.blobID)
            return try cipher.map { try $0.decrypt(bytes, path: file.path).plaintext } ?? bytes
        }
        var cwds: [String: String] = [:]
        for file in files where file.path.hasSuffix("/" + StoreTransfer.cwdFile) {
            let parts = file.path.split(separator: "/")
            if parts.count == 3 { cwds[String(parts[1])] = Self.firstLine(try blob(file)) }
        }
        var rows: [Row] = []
        // Sessions in parts: their parts in order, joined into one row.
        var parted: [String: (key: String, parts: [(name: String, path: String, bytes: [UInt8])])] = [:]
        for file in files where file.isRegularFile {
            let parts = file.path.split(separator: "/").map(String.init)
            guard parts.count == 4, ProjectKey.isValid(parts[1]),
                  let log = SessionParts.sessionFile(ofPart: parts[2] + "/" + parts[3]) else { continue }
            let logPath = "projects/\(parts[1])/\(log)"
            parted[logPath, default: (parts[1], [])].parts.append((parts[3], file.path, try blob(file)))
        }
        for file in files where file.isRegularFile {
            let parts = file.path.split(separator: "/").map(String.init)
            guard parts.count == 3, ProjectKey.isValid(parts[1]), StoreFileKind.classify(parts[2]) == .session,
                  parted[file.path] == nil else { continue }
            let bytes = try blob(file)
            // The blob is in repository form: show it as this machine would see it checked out.
            rows.append(row(bytes: translator.smudge(bytes), name: parts[2], key: parts[1], portable: cwds[parts[1]] ?? "",
                            machines: machines, path: file.path))
        }
        for (logPath, session) in parted {
            let ordered = session.parts.sorted { ($0.name.count, $0.name) < ($1.name.count, $1.name) }
            rows.append(row(bytes: translator.smudge(ordered.flatMap(\.bytes)), name: FileSystem.basename(of: logPath),
                            key: session.key, portable: cwds[session.key] ?? "", machines: machines,
                            path: ordered.first?.path ?? logPath))
        }
        return Self.sorted(rows)
    }

    func row(bytes: [UInt8], name: String, key: String, portable: String, machines: [String: String], path: String) -> Row {
        let id = String(name.dropLast(6))
        let summary = SessionSummary.read(from: bytes, id: id)
        return Row(id: id, project: portable, projectKey: key, lastModified: summary.lastTimestamp,
                   machine: machines[id], title: summary.title, size: bytes.count, records: summary.recordCount,
                   synced: WorkingCopy.isUnder(portable, anyOf: syncDirectories), path: path)
    }

    static func sorted(_ rows: [Row]) -> [Row] {
        rows.sorted { ($0.lastModified ?? "", $0.id) > ($1.lastModified ?? "", $1.id) }
    }

    static func firstLine(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
    }

    /// Session id → the machine (`CCSync-Machine:` trailer) of the newest non-merge commit touching it.
    public func lastMachines(revision: String) throws -> [String: String] {
        let log = try copy.git.trailerAndPaths(trailer: "CCSync-Machine", revision: revision, under: ["projects"])
        var result: [String: String] = [:]
        for (machine, paths) in log where !machine.isEmpty {
            for path in paths {
                let parts = path.split(separator: "/")
                guard parts.count >= 3 else { continue }
                let id = StoreFileKind.sessionName(ofEntry: parts[2])
                if result[id] == nil { result[id] = machine }
            }
        }
        return result
    }
}
