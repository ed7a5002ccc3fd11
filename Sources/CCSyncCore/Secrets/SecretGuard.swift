#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks what a push would send for secrets: the lines that each pushed commit adds to synced files.
///
/// Every commit counts, not only the end result: a secret added and then redacted or removed in a
/// later commit would still reach the remote in the history. Only added lines are scanned (a log that
/// grew costs its growth, not its size), in repository form (placeholders do not change a token): read
/// in process when every change only adds or appends (`appendedLines`), else from `git log -p -U0`
/// without textconv, so `+` lines are the raw bytes. Findings name the file, the line in that
/// commit's version and the kind, never the secret.
public struct SecretGuard {
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let line: Int
        public let kind: SecretKind

        /// The session id when the file is a session log or lies beside one.
        public var session: String? { StoreFileKind.sessionID(ofRepositoryPath: path) }

        public var description: String {
            if let session { return "session \(session) (\(path)), line \(line): \(kind.rawValue)" }
            return "\(path), line \(line): \(kind.rawValue)"
        }
    }

    public let git: Git
    /// New files already scanned as they were staged (a first sync), by blob id: not read again.
    public var scanned: [String: [SecretFinding]] = [:]

    /// With `git` open in process (`WorkingCopy.git`), commits that only append are read in process
    /// (see `appendedLines`) and an encrypted repository's lines are decrypted; without, git decides.
    public init(git: Git) {
        self.git = git
    }

    /// Secrets in lines added between `base` (nil: nothing pushed yet) and `head`.
    public func findings(from base: String?, to head: String) throws -> [Finding] {
        // A revision that does not resolve here is left to git, which reports it.
        func commitID(_ revision: String) -> String? {
            revision.count == 40 && revision.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
                ? revision : (git.isOpenInProcess ? (try? git.resolve(revision)) ?? nil : nil)
        }
        var known: [(path: String, findings: [SecretFinding])] = []
        let cipher = try RepositoryEncryption.cipher(for: git)
        // (An encrypted blob's plaintext is scanned, which staging never saw: nothing taken from there.)
        if git.isOpenInProcess, let head = commitID(head), base.map({ commitID($0) != nil }) ?? true,
           let files = try Self.appendedLines(git, from: base.flatMap(commitID), to: head,
                                              scanned: cipher == nil ? scanned : [:], known: &known) {
            var findings: [Finding] = []
            for file in known {
                findings += file.findings.map { Finding(path: file.path, line: $0.line, kind: $0.kind) }
            }
            for file in files {
                // Encrypted: the added lines are ciphertext, one line each, so line numbers still hold.
                // (Lines that do not decrypt, e.g. from commits made before encryption, are scanned as they are.)
                let lines = cipher.flatMap { try? $0.decrypt(file.lines, path: file.path).plaintext } ?? file.lines
                for finding in SecretScanner.scan(lines) {
                    findings.append(Finding(path: file.path, line: file.firstLine + finding.line - 1, kind: finding.kind))
                }
            }
            var seen = Set<String>()
            return findings.filter { seen.insert("\($0.path):\($0.line):\($0.kind.id)").inserted }
        }
        return try findings(range: base.map { ["\($0)..\(head)"] } ?? [head])
    }

    /// The lines each commit adds to synced files, read in process, when every change is an
    /// addition or an append (what Claude does to a log, and almost every sync commit): then the
    /// added lines are the new file's tail after the old content, exactly the `+` lines of
    /// `git log -p -U0`, without starting git or diffing. Nil as soon as a file changed otherwise
    /// (then git's diff decides); merges are skipped, as with `--no-merges`.
    /// New files whose blob id is in `scanned` are not read: their findings go to `known`.
    static func appendedLines(_ git: Git, from base: String?, to head: String,
                              scanned: [String: [SecretFinding]] = [:],
                              known: inout [(path: String, findings: [SecretFinding])]) throws
        -> [(path: String, firstLine: Int, lines: [UInt8])]? {
        var files: [(path: String, firstLine: Int, lines: [UInt8])] = []
        for commit in try git.commits(from: base, to: head) where commit.parents.count <= 1 {
            for delta in try git.treeDeltas(from: commit.parents.first, to: commit.id)
            where delta.path.hasPrefix("projects/") || delta.path.hasPrefix("claude/") {
                guard let new = delta.new else { continue }  // a deletion adds nothing
                guard new.mode != 0o160000 else { return nil }
                if let old = delta.old, old.id == new.id { continue }  // a mode change adds nothing
                if delta.old == nil, let found = scanned[new.id] {
                    known.append((delta.path, found))
                    continue
                }
                let newBytes = try git.blob(id: new.id)
                var firstLine = 1
                var tail = newBytes[...]
                if let old = delta.old {
                    let oldBytes = try git.blob(id: old.id)
                    // An append: the old content ends a line and is the new content's beginning.
                    guard oldBytes.isEmpty || oldBytes.last == 0x0A, newBytes.count >= oldBytes.count,
                          oldBytes.isEmpty || newBytes.withUnsafeBytes({ n in oldBytes.withUnsafeBytes { o in memcmp(n.baseAddress!, o.baseAddress!, o.count) == 0 } })
                    else { return nil }
                    firstLine = 1 + oldBytes.withUnsafeBufferPointer { bytes in
                        var count = 0
                        for byte in bytes where byte == 0x0A { count += 1 }
                        return count
                    }
                    tail = newBytes[oldBytes.count...]
                }
                guard !tail.isEmpty else { continue }
                var lines = Array(tail)
                if lines.last != 0x0A { lines.append(0x0A) }
                files.append((delta.path, firstLine, lines))
            }
        }
        return files
    }

    /// Secrets in lines added by the commits `git log` selects with `range` (e.g. `[head, "--not", "--remotes"]`).
    public func findings(range: [String]) throws -> [Finding] {
        let diff = try git.addedLines(range: range, under: ["projects", "claude"])
        let cipher = try RepositoryEncryption.cipher(for: git)
        var findings: [Finding] = []
        var path: String?
        var nextLine = 0
        var added: [UInt8] = []
        var addedLines: [Int] = []
        func flush() {
            guard let path, !added.isEmpty else { added = []; addedLines = []; return }
            let readable = cipher.flatMap { try? $0.decrypt(added, path: path).plaintext } ?? added
            for finding in SecretScanner.scan(readable) {
                findings.append(Finding(path: path, line: addedLines[finding.line - 1], kind: finding.kind))
            }
            added = []
            addedLines = []
        }
        for line in diff.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.starts(with: Array("+++ ".utf8)) {
                flush()
                let name = String(decoding: line.dropFirst(4), as: UTF8.self)
                path = name == "/dev/null" ? nil : (name.hasPrefix("b/") ? String(name.dropFirst(2)) : name)
            } else if line.starts(with: Array("@@ ".utf8)) {
                // @@ -a,b +c,d @@: the next added line is line c of the new version.
                let text = String(decoding: line, as: UTF8.self)
                if let plus = text.split(separator: " ").first(where: { $0.hasPrefix("+") }) {
                    nextLine = Int(plus.dropFirst().split(separator: ",").first ?? "0") ?? 0
                }
            } else if line.first == UInt8(ascii: "+") {
                added += line.dropFirst()
                added.append(0x0A)
                addedLines.append(nextLine)
                nextLine += 1
            } else if line.starts(with: Array("diff ".utf8)) {
                flush()
            }
        }
        flush()
        var seen = Set<String>()
        return findings.filter { seen.insert("\($0.path):\($0.line):\($0.kind.id)").inserted }
    }
}

/// A push stopped because it would send secrets.
public struct SecretsFound: Error, CustomStringConvertible {
    public let findings: [SecretGuard.Finding]
    /// How the user pushes anyway, in the words of the command that refused: `git ccsync push
    /// --allow-secrets`, or for a plain `git push` the pre-push hook's environment switch.
    public let override: String

    public init(findings: [SecretGuard.Finding], override: String = "git ccsync push --allow-secrets") {
        self.findings = findings
        self.override = override
    }

    public var description: String {
        let listed = findings.prefix(10).map(\.description).joined(separator: "; ")
        let more = findings.count > 10 ? "; and \(findings.count - 10) more" : ""
        return "not pushing: \(findings.count) secret\(findings.count == 1 ? "" : "s") found: \(listed)\(more) "
            + "(remove them from the session, push anyway with '\(override)', "
            + "or store them redacted: git config ccsync.secrets redact)"
    }
}
