import Foundation
import Testing

/// Keeps ARCHITECTURE.md true: the core's folders are in tiers, and a folder names only types of its own
/// tier or of the tiers below. The table here and the one in ARCHITECTURE.md are the same; when a
/// folder is added, both get a line.
@Suite struct LayeringTests {
    /// Folder → tier (0 at the bottom).
    static let tiers: [String: Int] = [
        "Platform": 0, "Support": 0,
        "Placeholders": 1, "Config": 1, "FilterProtocol": 1, "Sessions": 1, "ClaudeStore": 1, "Progress": 1,
        "Git": 2, "Settings": 2,
        "WorkingCopy": 3, "Encryption": 3, "Secrets": 3, "Filter": 3, "Locks": 3, "StoreTransfer": 3,
        "Sync": 4, "Setup": 4, "Reports": 4,
        "Workflows": 5, "ClaudeHooks": 5, "Doctor": 5,
    ]

    /// Every core folder is in the table, and nothing in the table is gone.
    @Test func everyFolderHasATier() throws {
        let folders = Set(try Self.coreFiles().map(\.folder))
        #expect(folders == Set(Self.tiers.keys), "folders without a tier: \(folders.subtracting(Self.tiers.keys).sorted()); tiers without a folder: \(Set(Self.tiers.keys).subtracting(folders).sorted())")
    }

    @Test func noFolderNamesATypeOfAHigherTier() throws {
        let files = try Self.coreFiles()
        let found = Self.violations(files)
        #expect(found.isEmpty, "types used from a higher tier (move the type down, or pass a closure up):\n\(found.joined(separator: "\n"))")
    }

    /// The scan sees a use upwards, and only that.
    @Test func theScanRecognisesAUseUpwards() {
        let files: [(folder: String, name: String, text: String)] = [
            ("Git", "Low.swift", "public struct Low {}\n/// `High` in a comment is no use\n"),
            ("Sync", "High.swift", "public struct High { let low = Low() }\n"),
            ("Support", "Bad.swift", "enum Bad { static func f() { _ = High() } }\n"),
        ]
        #expect(Self.violations(files) == ["Support/Bad.swift (tier 0) names High (Sync, tier 4)"])
    }

    /// The command line stays thin: no file over 200 lines but the session picker (a terminal UI).
    @Test func commandLineFilesAreSmall() throws {
        let large = try PlatformLayerTests.sourceFiles().filter { relative, text in
            relative.hasPrefix("git-ccsync/") && !relative.hasSuffix("/Picker.swift")
                && text.split(separator: "\n", omittingEmptySubsequences: false).count > 201
        }.map(\.relative)
        #expect(large.isEmpty, "command-line files over 200 lines (move the work into a core workflow): \(large.sorted())")
    }

    // MARK: - The scan

    static func violations(_ files: [(folder: String, name: String, text: String)]) -> [String] {
        // Where each top-level type is declared (nested ones are named through theirs; extensions
        // declare nothing).
        let declaration = #/(?m)^(?:public |internal |private |fileprivate |final |indirect )*(?:struct|enum|class|actor|protocol|typealias)\s+([A-Z][A-Za-z0-9_]*)/#
        var home: [String: String] = [:]
        for file in files {
            for match in file.text.matches(of: declaration) where home[String(match.1)] == nil {
                home[String(match.1)] = file.folder
            }
        }
        var found: [String] = []
        for file in files {
            guard let tier = tiers[file.folder] else { continue }
            var used = Set<String>()
            for line in file.text.split(separator: "\n") {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                for word in code.matches(of: #/[A-Z][A-Za-z0-9_]*/#) { used.insert(String(word.0)) }
            }
            for name in used.sorted() {
                guard let folder = home[name], folder != file.folder, let other = tiers[folder], other > tier else { continue }
                found.append("\(file.folder)/\(file.name) (tier \(tier)) names \(name) (\(folder), tier \(other))")
            }
        }
        return found
    }

    static func coreFiles() throws -> [(folder: String, name: String, text: String)] {
        try PlatformLayerTests.sourceFiles().compactMap { relative, text in
            let parts = relative.split(separator: "/")
            guard parts.count == 3, parts[0] == "CCSyncCore", relative.hasSuffix(".swift") else { return nil }
            return (String(parts[1]), String(parts[2]), text)
        }
    }
}
