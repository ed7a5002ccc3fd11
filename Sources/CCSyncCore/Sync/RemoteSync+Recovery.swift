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

/// What a sync killed halfway (a crash, a `kill -9`, a power cut) leaves in the working copy, cleared
/// by the next push or pull before it does anything else.
extension RemoteSync {
    /// Clears what a merge killed halfway leaves (a crash, a `kill -9`, a power cut), so the next merge
    /// can run:
    /// - our own merge still open (MERGE_HEAD, with our message): aborted; the store has every line it
    ///   had, and the merge is simply done again. Someone else's merge is left alone and named.
    /// - merged files git wrote into the work tree but never staged (a `git merge` that outlived a killed
    ///   git-ccsync and then died): git would refuse to merge over them. Session logs there are unions
    ///   of records, so they are committed as they are; the merge then brings nothing they lack.
    func recoverInterruptedMerge() throws {
        let gitDir = copy.gitDirectory
        if FileSystem.exists(gitDir + "/MERGE_HEAD") {
            let message = (try? readFile(gitDir + "/MERGE_MSG")).map { String(decoding: $0, as: UTF8.self) } ?? ""
            guard message.hasPrefix("ccsync: ") || FileSystem.exists(markers.mergingPath) else {
                throw SyncError.mergeInProgress(copy.root)
            }
            progress("undoing an interrupted merge")
            try git.abortMerge()
            if FileSystem.exists(gitDir + "/MERGE_HEAD") {
                // Still there (git gave up halfway, e.g. over a lock a killed git left): the merge
                // state goes; the files it left are committed below like any other leftovers.
                for name in ["MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "AUTO_MERGE"] { _ = unlink(gitDir + "/" + name) }
            }
        }
        // Files a merge left behind exist only if one of ours was cut short: its marker is still there.
        guard FileSystem.exists(markers.mergingPath) else { return }
        let folders = ["projects", "claude"].filter { FileSystem.exists(copy.root + "/" + $0) }
        guard !folders.isEmpty else { return }
        // One status for both questions: which tracked files changed, and which are missing.
        var changed: [String] = []
        var missing: [String] = []
        for entry in try git.status(trackedUnder: folders) {
            if entry.workTree == UInt8(ascii: "D") { missing.append(entry.path) } else { changed.append(entry.path) }
        }
        // A file git removed to write it anew, killed in between: sync never deletes from the work
        // tree, so it comes back from the index rather than its deletion being committed and pushed.
        if !missing.isEmpty { try git.checkout(missing) }
        guard !changed.isEmpty else { return }
        try git.add(changed)
        if try git.hasStagedChanges() {
            progress("committing files an interrupted merge left")
            let committer = try self.committer()
            _ = try copy.git.commitIndex(message: "ccsync: \(copy.machine): files an interrupted merge left\n\nCCSync-Machine: \(copy.machine)\n",
                                                name: committer.name, email: committer.email)
        }
    }

    /// Removes the temporary files git hands a merge driver (`.merge_file_*`, in the work tree's top
    /// folder), which a merge killed while the driver ran leaves behind. Not while any git holds the
    /// index lock: that one may be merging right now.
    func clearMergeLeftovers() throws {
        WorkTreeLitter.ensureIgnored(gitDirectory: copy.gitDirectory)
        if FileStat(path: copy.gitDirectory + "/index.lock") == nil, let names = try? FileSystem.list(copy.root) {
            for name in names where name.hasPrefix(".merge_file_") {
                let path = copy.root + "/" + name
                if FileStat(path: path)?.kind == .regular { _ = unlink(path) }
            }
        }
        // A merge of ours cut short, even one whose commit landed (MERGE_HEAD still there): undone or
        // concluded now, not only before the next merge, which may never be needed.
        if FileSystem.exists(copy.gitDirectory + "/MERGE_HEAD") || FileSystem.exists(markers.mergingPath),
           try revParse("HEAD") != nil {
            try recoverInterruptedMerge()
            _ = unlink(markers.mergingPath)
        }
    }
}
