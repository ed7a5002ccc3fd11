import Foundation

/// Where the programs and data files the integration tests use are found.
enum Tools {
    /// The built `git-ccsync`: `GIT_CCSYNC_BIN` (what `make test` sets, so a stale copy is never tested),
    /// else the one beside the running test executable (SwiftPM puts both in the same build directory).
    static func binary() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["GIT_CCSYNC_BIN"], !configured.isEmpty {
            let path = URL(fileURLWithPath: configured).standardizedFileURL.path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw HarnessError("GIT_CCSYNC_BIN=\(configured) is not an executable file (run 'swift build')")
            }
            return path
        }
        var candidates: [String] = []
        for executable in [CommandLine.arguments.first, Bundle.main.executablePath].compactMap({ $0 }) {
            var url = URL(fileURLWithPath: executable).standardizedFileURL.deletingLastPathComponent()
            candidates.append(url.appendingPathComponent("git-ccsync").path)
            // macOS runs tests from `<bin>/<Package>.xctest/Contents/MacOS/<Package>`.
            while url.path != "/" {
                if url.pathExtension == "xctest" {
                    candidates.append(url.deletingLastPathComponent().appendingPathComponent("git-ccsync").path)
                    break
                }
                url = url.deletingLastPathComponent()
            }
        }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return found
        }
        throw HarnessError("""
            git-ccsync binary not found: GIT_CCSYNC_BIN is unset and none of \(candidates) exists \
            (run 'make test', or 'swift build' and set GIT_CCSYNC_BIN to .build/debug/git-ccsync)
            """)
    }

    /// `git` from the PATH the tests were started with.
    static func git() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/git"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw HarnessError("git not found in PATH=\(path)")
    }

    /// The tests' copy of the specification's translation vectors: `Tests/Fixtures/translation.json`.
    static func translationVectors() -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Harness
            .deletingLastPathComponent()  // IntegrationTests
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Fixtures/translation.json")
    }
}
