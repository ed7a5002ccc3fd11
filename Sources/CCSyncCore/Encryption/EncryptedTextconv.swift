/// `git log -p` / `git diff` on an encrypted repository: git's textconv gets the blob in a temporary
/// file named `XXXXXX_<file name>`, or the work tree's file itself (already plaintext). Lines are bound
/// to their repository path, so the path is recovered: the argument itself when it is one, else each
/// path of HEAD or the index with that file name, until one decrypts (session ids make that unique).
public enum EncryptedTextconv {
    /// The plaintext of `bytes`; unchanged when it is not ciphertext.
    public static func plaintext(_ bytes: [UInt8], file: String, root: String, repository: GitRepository,
                                 cipher: LineCipher) throws -> [UInt8] {
        guard !bytes.isEmpty, LineCipher.looksEncrypted(bytes) else { return bytes }
        var candidates: [String] = []
        let relative = file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : file
        if !relative.hasPrefix("/") { candidates.append(relative) }
        var name = FileSystem.basename(of: file)
        if let underscore = name.firstIndex(of: "_"), name.distance(from: name.startIndex, to: underscore) == 6 {
            name = String(name[name.index(after: underscore)...])
        }
        for revision in ["HEAD", "refs/remotes/\(WorkingCopy.remote)/\(WorkingCopy.branch)"] {
            for entry in (try? repository.treeFiles(revision: revision, prefix: "")) ?? nil ?? []
            where FileSystem.basename(of: entry.path) == name && !candidates.contains(entry.path) {
                candidates.append(entry.path)
            }
        }
        var firstError: Error?
        for path in candidates {
            do {
                return try cipher.decrypt(bytes, path: path).plaintext
            } catch {
                firstError = firstError ?? error
            }
        }
        throw firstError ?? EncryptionError.tamperedLine(path: name, line: 1)
    }
}
