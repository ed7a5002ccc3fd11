import CCSyncCore
import Foundation
import SessionLogFixtures
import Testing

extension Array where Element == UInt8 {
    init(_ string: String) { self = Array(string.utf8) }
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// Builds a translator for a machine with the given HOME and user placeholders.
func translator(home: String?, _ placeholders: [String: String]) throws -> PathTranslator {
    let entries = try placeholders.sorted { $0.key < $1.key }.map { name, path in
        (name: name, path: try LocalPath(path, name: name))
    }
    return PathTranslator(map: try PlaceholderMap(home: home, placeholders: entries))
}

/// The repository root and the tests' own data.
enum Paths {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The tests' copy of the specification's `vectors/translation.json` (SharedDirectoryTests keeps it equal).
    static let translationVectors = repoRoot.appendingPathComponent("Tests/Fixtures/translation.json")
}

/// The project's shared directory, outside the repository: `CCSYNC_SHARED_DIR` when set and not empty, else
/// `../shared` beside the repository. It holds Claude Code logs published by other people
/// (`fixtures/real-sessions`), which stay out of the project, and the specification's translation vectors.
/// `make test` needs none of it; `SharedDirectoryTests` runs when it is there.
enum SharedDirectory {
    static let url: URL? = {
        let configured = ProcessInfo.processInfo.environment["CCSYNC_SHARED_DIR"] ?? ""
        let candidate = configured.isEmpty
            ? Paths.repoRoot.deletingLastPathComponent().appendingPathComponent("shared").standardizedFileURL
            : URL(fileURLWithPath: configured)
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? candidate : nil
    }()

    static var isPresent: Bool { url != nil }

    /// Every `*.jsonl` under `fixtures/real-sessions`, sorted; empty without the shared directory.
    static let publishedLogs: [URL] = {
        guard let root = url?.appendingPathComponent("fixtures/real-sessions"),
              let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [URL] = []
        for case let file as URL in enumerator where file.pathExtension == "jsonl" { files.append(file) }
        return files.sorted { $0.path < $1.path }
    }()
}

/// The generated Claude Code logs (`SessionLogFixtures`), written once per test process into a temporary
/// directory (removed at exit) laid out like Claude's store: `<folder>/<id>.jsonl`, `<folder>/<id>/subagents/...`.
/// Their machine is `/home/USER` with projects in `/home/USER/projects`, the paths the published logs use.
enum TestLogs {
    static let machine = LogMachine(home: "/home/USER", projects: "/home/USER/projects")
    static let sessions = GeneratedSessions.all(for: machine)

    static let directory: URL = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("git-ccsync-test-logs-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: directory)
        for session in sessions {
            for (relative, bytes) in session.files {
                let file = directory.appendingPathComponent(session.folder).appendingPathComponent(relative)
                try! FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try! Data(bytes).write(to: file)
            }
        }
        atexit { removeGeneratedLogs() }
        return directory
    }()

    /// The `.jsonl` files of `sessions` in the directory, sorted.
    static func logs(of sessions: [GeneratedSession]) -> [URL] {
        sessions.flatMap { session in
            session.files.keys.filter { $0.hasSuffix(".jsonl") }.map {
                directory.appendingPathComponent(session.folder).appendingPathComponent($0)
            }
        }.sorted { $0.path < $1.path }
    }

    /// Logs whose every line is a JSON object ending in `\n` (main sessions and subagents).
    static let wellFormed = logs(of: sessions.filter(\.isWellFormed))
    /// Every generated log, the odd ones (invalid UTF-8, a half-written last line) too.
    static let all = logs(of: sessions)

    /// The main log of the named session.
    static func log(_ name: String) throws -> URL {
        let session = try #require(sessions.first { $0.name == name }, "no generated session \(name)")
        return directory.appendingPathComponent(session.folder).appendingPathComponent(session.log)
    }
}

private func removeGeneratedLogs() {
    try? FileManager.default.removeItem(at: TestLogs.directory)
}

/// Byte-level replacement of every occurrence, longest needle first.
func replacing(_ input: [UInt8], _ pairs: [(String, String)]) -> [UInt8] {
    let sorted = pairs.sorted { $0.0.utf8.count > $1.0.utf8.count }.map { (Array($0.0.utf8), Array($0.1.utf8)) }
    var out: [UInt8] = []
    out.reserveCapacity(input.count)
    var i = 0
    outer: while i < input.count {
        for (needle, replacement) in sorted where input[i] == needle[0] && i + needle.count <= input.count {
            if input[i..<(i + needle.count)].elementsEqual(needle) {
                out += replacement
                i += needle.count
                continue outer
            }
        }
        out.append(input[i])
        i += 1
    }
    return out
}
