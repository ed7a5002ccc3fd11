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

extension RemoteSync {
    /// After a push was refused for secrets, the refused commits stay in the local history, so removing
    /// the secret from the session (or turning on `ccsync.secrets redact`) would not be enough: every
    /// later push would still carry it in history. So when the commits not yet on the remote are all
    /// git-ccsync's own, they are replaced by one commit of their end result (never pushed, so nothing
    /// is rewritten anyone else has), and only that is checked and sent.
    ///
    /// With redaction on, the files named in the findings are cleaned again first (redacting), so that
    /// the end result no longer holds them either. Returns the findings that remain (empty: HEAD is
    /// now the one clean commit).
    func squashUnpushedSecrets(_ findings: [SecretGuard.Finding], base: String?) throws -> [SecretGuard.Finding] {
        guard let base, let head = try revParse("HEAD"), base != head, try copy.git.isAncestor(base, of: head),
              let branch = try copy.git.headReferenceName() else { return findings }
        let commits = try copy.git.commits(from: base, to: head)
        guard !commits.isEmpty,
              try commits.allSatisfy({ try copy.git.message(of: $0.id).hasPrefix("ccsync: ") }) else { return findings }
        if copy.settings.redactsSecrets {
            try restageRedacted(Set(findings.map(\.path)))
        }
        let files = try copy.git.changedPaths(from: base, to: "HEAD")
        let sessions = try changedSessions(from: base, to: "HEAD")
        let committer = try self.committer()
        let squashed = try copy.git.createCommit(treeOf: try copy.git.indexTree(), parent: base,
                                                        message: commitMessage(sessions: sessions, files: files.count),
                                                        name: committer.name, email: committer.email)
        let remaining = try SecretGuard(git: git).findings(from: base, to: squashed)
        guard remaining.isEmpty else { return remaining }
        progress("replacing \(commits.count) unpushed commit\(commits.count == 1 ? "" : "s") by one without the secrets")
        try copy.git.moveReference(branch, from: head, to: squashed,
                                          log: "ccsync: \(commits.count) unpushed commits replaced by their end result")
        return []
    }

    /// Cleans `paths` again with redaction on and stages the result, whatever their stat says.
    private func restageRedacted(_ paths: Set<String>) throws {
        let editor = try copy.git.indexEditor()
        let filter = copy.filter(warn: { [progress] in progress($0) })
        filter.redactSecrets = true
        for path in paths.sorted() where editor.filterAttribute(path) == "ccsync" {
            var st = stat()
            guard lstat(copy.root + "/" + path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            let content = try filter.clean(path: path, content: try readFile(copy.root + "/" + path))
            try editor.add(path: path, content: content, stat: st)
        }
        try editor.write()
    }
}
