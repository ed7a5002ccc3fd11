import ArgumentParser
import CCSyncCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GitCCSync {
    /// `merge.ccsync-jsonl.driver = git-ccsync merge-jsonl %O %A %B %P`: git's merge driver protocol. Git
    /// writes the ancestor, our and their versions to temporary files, runs the driver, and takes what it
    /// left in the `%A` file as the result; exit 0 means merged cleanly, anything else a conflict.
    struct MergeJSONL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge-jsonl",
            abstract: "Merge two versions of a Claude Code session log without losing a line (git merge driver).",
            discussion: """
                Git runs this for files marked 'merge=ccsync-jsonl' in .gitattributes, configured as \
                merge.ccsync-jsonl.driver = git-ccsync merge-jsonl %O %A %B %P. The result, written over \
                <ours>, is ours byte for byte followed by every record of theirs that ours lacks, in their \
                order; records are matched by their top-level "uuid", other lines by their exact bytes. \
                It never writes conflict markers and never re-serialises JSON.
                """
        )

        @Argument(help: "The common ancestor's version (%O); may be empty.")
        var base: String

        @Argument(help: "Our version (%A); the merged result replaces it.")
        var ours: String

        @Argument(help: "Their version (%B).")
        var theirs: String

        @Argument(help: "The file's path in the repository (%P), for messages only.")
        var pathname: String?

        func run() throws {
            let what = pathname ?? ours
            do {
                let current = try readFile(ours)
                let merged: [UInt8]
                let other = try readFile(theirs)
                // An encrypted repository hands us ciphertext: merge what it says, by its repository path.
                let encrypted = [current, other].contains { !$0.isEmpty && LineCipher.looksEncrypted($0) }
                if encrypted, let pathname, let cipher = try FilterSetup.make().currentCipher() {
                    let ancestor = try readFile(base)
                    merged = try EncryptedMerge.merge(base: ancestor, ours: current, theirs: other, path: pathname,
                                                      cipher: cipher)
                } else {
                    merged = JSONLMerge.merge(base: try readFile(base), ours: current, theirs: other)
                }
                // Git takes whatever the file holds; when the answer is ours, there is nothing to write.
                if merged != current {
                    try replaceAtomically(ours, with: merged)
                }
            } catch {
                throw CLIError(message: "merging \(what): \(error) (git keeps our version and marks the file as conflicted)")
            }
        }
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`, keeping `path`'s mode, so
/// git never reads a half-written result.
private func replaceAtomically(_ path: String, with bytes: [UInt8]) throws {
    var st = stat()
    let mode: mode_t = stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0o644
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array("\(directory)/.\(name).ccsync-merge-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw failure("creating a temporary file in", directory, errno) }
    let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var isOpen = true
    do {
        try writeAll(fd: fd, bytes, path: temp)
        guard fchmod(fd, mode) == 0 else { throw failure("setting the mode of", temp, errno) }
        isOpen = false
        guard close(fd) == 0 else { throw failure("closing", temp, errno) }
    } catch {
        if isOpen { close(fd) }
        unlink(temp)
        throw error
    }
    guard rename(temp, path) == 0 else {
        let code = errno
        unlink(temp)
        throw failure("replacing", path, code)
    }
}

private func failure(_ operation: String, _ path: String, _ code: Int32) -> CLIError {
    CLIError(message: "\(operation) \(path): \(String(cString: strerror(code)))")
}
