#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files a killed sync can leave in a working copy: the temporary file of an atomic write
/// (`.<name>.ccsync-<pid>.tmp`, see `FileSystem.writeAtomically`) and the temporary files git hands a
/// merge driver (`.merge_file_*`). git is told to ignore them (`.git/info/exclude`, so never staged and
/// never in `git status`), and they are removed when found with their writer gone.
enum WorkTreeLitter {
    static let patterns = ["/.merge_file_*", ".*.ccsync-*.tmp"]

    /// Adds the patterns to `.git/info/exclude` when they are not there yet (one small read otherwise).
    static func ensureIgnored(gitDirectory: String) {
        let path = gitDirectory + "/info/exclude"
        let existing = (try? readFile(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let lines = Set(existing.split(separator: "\n").map(String.init))
        let missing = patterns.filter { !lines.contains($0) }
        guard !missing.isEmpty else { return }
        var text = existing
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        text += "# git-ccsync: temporary files a killed sync may leave behind\n" + missing.joined(separator: "\n") + "\n"
        try? FileSystem.makeDirectories(gitDirectory + "/info")
        try? FileSystem.writeAtomically(path, Array(text.utf8))
    }

    /// Whether `name` is an atomic write's temporary file whose writing process no longer exists.
    static func isStaleTemporary(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp"), let marker = name.ranges(of: ".ccsync-").last else {
            return false
        }
        guard let pid = Int32(name[marker.upperBound..<name.index(name.endIndex, offsetBy: -4)]), pid > 0 else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
