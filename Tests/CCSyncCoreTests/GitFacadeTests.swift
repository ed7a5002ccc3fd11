import Foundation
import Testing

/// git is reached through one type (`Git`, in `Sources/CCSyncCore/Git/`) and `ccsync.*` settings are
/// named in one file (`Settings.swift`). These tests read the sources and fail when a git process is
/// started, or a setting's key spelled out, anywhere else.
@Suite struct GitFacadeTests {
    static let gitFolder = "CCSyncCore/Git/"
    static let settingsFile = "CCSyncCore/Settings/Settings.swift"

    /// Ways of starting git or of handing it an argument list.
    static let gitProcess = [
        "run(\"git\"", "Detached(\"git\"", "\"/usr/bin/git\"", "GitCLI", ".attempt([", ".run([", ".value([",
        "git.attempt(", "git.run(", "git.value(", ".cli.",
    ]

    /// Reaching libgit2 past the façade: the handle type, or a call through someone's `repository`.
    static let libgit2Handle = ["GitRepository", ".repository."]

    /// Files that hold a `GitRepository` for a reason given in `Git.swift`'s header: the working copy
    /// opens it (and makes its `Git`), config is read before a `Git` exists, and the filter, encryption
    /// and textconv run inside git's own filter and textconv processes, file by file, with no `Git`.
    static let libgit2Exceptions: Set<String> = [
        "CCSyncCore/WorkingCopy/WorkingCopy.swift",
        "CCSyncCore/Settings/ConfigLookup.swift",
        "CCSyncCore/Settings/Settings.swift",
        "CCSyncCore/Filter/CCSyncFilter.swift",
        "CCSyncCore/Encryption/RepositoryEncryption.swift",
        "CCSyncCore/Encryption/EncryptedTextconv.swift",
        "git-ccsync/Subcommands/FilterProcess.swift",
        "git-ccsync/Subcommands/Textconv.swift",
    ]

    /// A string that starts with a `ccsync.` key: a config key spelled out (messages that name a key
    /// for the user, inside a sentence, are not keys read or written).
    static let settingKey = "\"ccsync."

    static func violations(in text: String, file: String, of patterns: [String]) -> [String] {
        var found: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
            for pattern in patterns where line.contains(pattern) {
                found.append("\(file):\(number + 1): \(pattern)")
            }
        }
        return found
    }

    @Test func noGitProcessOutsideTheFacade() throws {
        var found: [String] = []
        for (relative, text) in try PlatformLayerTests.sourceFiles()
        where !relative.hasPrefix(Self.gitFolder) {
            found += Self.violations(in: text, file: "Sources/" + relative, of: Self.gitProcess)
        }
        #expect(found.isEmpty, "git started outside Sources/\(Self.gitFolder) (add a typed operation to Git):\n\(found.joined(separator: "\n"))")
    }

    @Test func noLibgit2OutsideTheFacade() throws {
        var found: [String] = []
        for (relative, text) in try PlatformLayerTests.sourceFiles()
        where !relative.hasPrefix(Self.gitFolder) && !Self.libgit2Exceptions.contains(relative) {
            found += Self.violations(in: text, file: "Sources/" + relative, of: Self.libgit2Handle)
        }
        #expect(found.isEmpty, "libgit2 reached outside Sources/\(Self.gitFolder) (add a typed operation to Git, Git+Objects.swift):\n\(found.joined(separator: "\n"))")
    }

    @Test func noSettingKeyOutsideSettings() throws {
        var found: [String] = []
        for (relative, text) in try PlatformLayerTests.sourceFiles()
        where relative != Self.settingsFile {
            found += Self.violations(in: text, file: "Sources/" + relative, of: [Self.settingKey])
        }
        #expect(found.isEmpty, "ccsync.* keys spelled out outside Sources/\(Self.settingsFile) (use Settings):\n\(found.joined(separator: "\n"))")
    }

    /// The scans recognise what they are for, so that their passing means something.
    @Test func theScansRecogniseViolations() {
        let code = """
            let a = try runner.run("git", ["status"])
            let b = GitCLI(directory: d, runner: r)
            try copy.git.cli.run(["add"])
            try git.attempt(["fetch"])
            let c = try copy.config("ccsync.machine")
            // runner.run("git", ...) in a comment is no call
            """
        let git = Self.violations(in: code, file: "x.swift", of: Self.gitProcess)
        #expect(Set(git.map { $0.split(separator: ":")[1] }) == ["1", "2", "3", "4"], "\(git)")
        let keys = Self.violations(in: code, file: "x.swift", of: [Self.settingKey])
        #expect(keys == ["x.swift:5: \"ccsync."])
        #expect(Self.violations(in: "try git.fetch([\"+refs/heads/*\"])", file: "y", of: Self.gitProcess).isEmpty)
        let handles = """
            let r = try GitRepository(discoveringFrom: root)
            let b = try copy.repository.blob(id: id)
            let c = try copy.git.blob(id: id)
            // copy.repository.blob in a comment is no call
            """
        let libgit2 = Self.violations(in: handles, file: "x.swift", of: Self.libgit2Handle)
        #expect(libgit2 == ["x.swift:1: GitRepository", "x.swift:2: .repository."], "\(libgit2)")
        // Every exception names a file that exists (a moved file must not keep its exemption silently).
        let files = Set(((try? PlatformLayerTests.sourceFiles()) ?? []).map(\.0))
        #expect(Self.libgit2Exceptions.subtracting(files).isEmpty, "\(Self.libgit2Exceptions.subtracting(files))")
    }
}
