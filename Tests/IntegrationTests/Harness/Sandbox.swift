import Foundation
import Testing

/// One test's temporary directory, like a git-lfs trash directory: machines' homes, clones, the bare remote
/// and every command's captured output live inside it.
///
/// Removed when the test ends. With `CCSYNC_KEEP_SANDBOX=1` a sandbox whose test failed is kept and its
/// path printed, so the repositories can be inspected with git by hand. A test has failed for the sandbox
/// when its body threw (a failing command, a `#require`) or one of the sandbox's checks recorded an issue;
/// that is why the tests check through `check` and `expectSameBytes` instead of a bare `#expect`.
final class Sandbox {
    /// The directory, with symlinks resolved (so paths written into files match what git and the filter see).
    let root: String
    private(set) var failed = false
    private var outputCounter = 0

    private init(name: String) throws {
        let safeName = String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(40))
        let base = Self.realPath(FileManager.default.temporaryDirectory.path)
        var template = Array("\(base)/ccsync-it-\(safeName)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw HarnessError("creating a sandbox under \(base): \(String(cString: strerror(errno)))")
        }
        root = Self.realPath(String(cString: made))
    }

    /// `realpath(3)`, as the product resolves paths. (Foundation's `resolvingSymlinksInPath` drops a
    /// leading `/private` on macOS, where `/tmp` and `/var` are links into it: that is not the real path.)
    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Runs `body` in a fresh sandbox and removes the sandbox afterwards (see the type's comment).
    static func with<T>(_ name: String = #function, _ body: (Sandbox) throws -> T) throws -> T {
        let sandbox = try Sandbox(name: name)
        defer { sandbox.finish() }
        do {
            return try body(sandbox)
        } catch {
            sandbox.failed = true
            throw error
        }
    }

    private func finish() {
        if failed, ProcessInfo.processInfo.environment["CCSYNC_KEEP_SANDBOX"] == "1" {
            FileHandle.standardError.write(Data("integration test sandbox kept at \(root)\n".utf8))
            return
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// An absolute path inside the sandbox.
    func path(_ relative: String) -> String { root + "/" + relative }

    /// Records an issue (and marks the sandbox failed) unless `condition` holds.
    func check(_ condition: Bool, _ comment: @autoclosure () -> String,
               sourceLocation: SourceLocation = #_sourceLocation) {
        guard !condition else { return }
        failed = true
        Issue.record(Comment(rawValue: comment()), sourceLocation: sourceLocation)
    }

    /// Byte-for-byte equality with a failure message that shows where the two first differ, not megabytes.
    func expectSameBytes(_ actual: [UInt8], _ expected: [UInt8], _ what: @autoclosure () -> String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        guard let difference = Bytes.describeDifference(actual: actual, expected: expected) else { return }
        failed = true
        Issue.record(Comment(rawValue: "\(what()): \(difference)"), sourceLocation: sourceLocation)
    }

    /// A fresh file name for one command's captured output.
    func nextOutputFile(_ suffix: String) throws -> String {
        let directory = path(".output")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        outputCounter += 1
        return "\(directory)/\(outputCounter).\(suffix)"
    }

    func mkdir(_ absolutePath: String) throws {
        try FileManager.default.createDirectory(atPath: absolutePath, withIntermediateDirectories: true)
    }
}

/// A problem of the test setup itself (missing binary, missing fixtures, a command that could not start).
struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
