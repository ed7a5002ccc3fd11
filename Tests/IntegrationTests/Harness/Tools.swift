import Foundation

/// Where the programs and shared files the integration tests use are found.
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

    /// The project's shared directory (`fixtures/`, `vectors/`): `CCSYNC_SHARED_DIR`, else `../shared`
    /// beside the repository that holds this source file.
    static func sharedDirectory(sourceFile: String = #filePath) throws -> URL {
        if let configured = ProcessInfo.processInfo.environment["CCSYNC_SHARED_DIR"], !configured.isEmpty {
            let url = URL(fileURLWithPath: configured)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw HarnessError("CCSYNC_SHARED_DIR=\(configured) does not exist")
            }
            return url
        }
        var directory = URL(fileURLWithPath: sourceFile).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                let shared = directory.deletingLastPathComponent().appendingPathComponent("shared").standardizedFileURL
                guard FileManager.default.fileExists(atPath: shared.path) else {
                    throw HarnessError("""
                        shared fixtures not found at \(shared.path) (the directory beside the repository); \
                        set CCSYNC_SHARED_DIR to the directory that holds fixtures/ and vectors/
                        """)
                }
                return shared
            }
            directory = directory.deletingLastPathComponent()
        }
        throw HarnessError("no Package.swift above \(sourceFile); set CCSYNC_SHARED_DIR")
    }

    /// Every `*.jsonl` under `fixtures/real-sessions`, as paths relative to it, sorted.
    static func realSessionFiles() throws -> (root: URL, files: [String]) {
        let root = try sharedDirectory().appendingPathComponent("fixtures/real-sessions")
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            throw HarnessError("cannot list \(root.path)")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".jsonl") { files.append(relative) }
        }
        guard !files.isEmpty else { throw HarnessError("no *.jsonl under \(root.path)") }
        return (root, files.sorted())
    }
}
