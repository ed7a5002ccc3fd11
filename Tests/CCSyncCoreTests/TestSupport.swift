import CCSyncCore
import Foundation
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

/// The repository root and the shared folder beside it (fixtures, vectors).
enum Paths {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var shared: URL {
        if let dir = ProcessInfo.processInfo.environment["CCSYNC_SHARED_DIR"] {
            return URL(fileURLWithPath: dir)
        }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static func fixtures() throws -> [URL] {
        let root = shared.appendingPathComponent("fixtures/real-sessions")
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        var files: [URL] = []
        for case let url as URL in enumerator where url.pathExtension == "jsonl" {
            files.append(url)
        }
        #expect(!files.isEmpty, "no fixtures under \(root.path)")
        return files.sorted { $0.path < $1.path }
    }
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
