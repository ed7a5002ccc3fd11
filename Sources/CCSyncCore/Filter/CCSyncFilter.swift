#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What git's `filter=ccsync` does to a file in a working copy: clean with this machine's map (keeping the
/// stored form of unchanged lines, see `PathTranslator.clean(_:keepingLinesOf:)`), smudge back.
///
/// The map comes from `.ccsync/config` at the work tree's root and is reloaded when that file changes,
/// so one filter process stays correct when a merge brings a new placeholder. While the file is not
/// checked out yet (the first checkout of a clone), the index's copy is read.
///
/// In an encrypted repository (`RepositoryEncryption`), the repository form is the placeholder form
/// encrypted line by line: clean translates then encrypts, smudge decrypts then translates, and the
/// shared settings under `.ccsync/` are encrypted without translation. Unchanged lines keep the index's
/// ciphertext, so the stable form holds across a key rotation too.
public final class CCSyncFilter {
    public enum FilterError: Error, CustomStringConvertible {
        case noMachineID
        case noSharedConfig(String)

        public var description: String {
            switch self {
            case .noMachineID:
                return "this machine has no id (run 'git ccsync init', or 'git config ccsync.machine ID')"
            case let .noSharedConfig(path):
                return "\(path) is missing (run 'git ccsync init' to set up this working copy)"
            }
        }
    }

    private let workTree: String
    private let machine: MachineID?
    private let home: String?
    private let repository: GitRepository?
    private let warn: (String) -> Void
    /// `git config ccsync.secrets redact`: secrets are replaced by markers in the repository form.
    public var redactSecrets = false
    /// The settings as this process read them (`WorkingCopy.settings`, or the filter process's own):
    /// the age identity comes from there. nil: read from the repository's config.
    public var settings: Settings?

    private var cached: (stamp: FileStamp?, translator: PathTranslator)?
    /// Reused across files (see `PathTranslator.clean(_:keepingLinesOf:into:scratch:)`).
    private var output: [UInt8] = []
    private var scratch: [UInt8] = []
    private var warnedNames = Set<String>()
    private var encrypted: [UInt8] = []
    private var plain: [UInt8] = []
    /// This machine's line cipher once the repository turned out to be encrypted; `.none` while it is not.
    private var cipherState: (stamp: FileStamp?, cipher: LineCipher)?
    /// Set once the repository was seen not to be encrypted: asked once per process, not per file.
    private var knownPlain = false

    /// - Parameters:
    ///   - workTree: the root of the working copy (git runs filters there).
    ///   - machine: this machine's id, from `git config ccsync.machine`.
    ///   - home: this machine's home directory, the built-in `HOME`.
    ///   - repository: for the index's version of each file; nil translates without it.
    /// This machine's age identity file, by the settings' rule when the filter has them.
    func identityPath() throws -> String? {
        if let settings { return settings.identityPath }
        return try repository?.configString(Settings.Key.identity.rawValue)
    }

    public init(workTree: String, machine: MachineID?, home: String?, repository: GitRepository?,
                warn: @escaping (String) -> Void) {
        self.workTree = workTree
        self.machine = machine
        self.home = home
        self.repository = repository
        self.warn = warn
    }

    public func handle(_ request: FilterRequest) throws -> [UInt8] {
        switch request.command {
        case .clean: return try clean(path: request.pathname, content: request.content)
        case .smudge: return try smudge(path: request.pathname, content: request.content)
        }
    }

    public func clean(path: String, content: [UInt8]) throws -> [UInt8] {
        if let cipher = try currentCipher() {
            // The index's version, decrypted, is what unchanged lines keep; one that does not decrypt
            // (written before encryption was turned on) is simply not reused.
            let previous = try repository?.indexBlob(path: path).flatMap { try? cipher.decrypt($0, path: path) }
            if RepositoryEncryption.isSettingsPath(path) {
                try cipher.encrypt(content, path: path, keeping: previous, into: &encrypted)
                return encrypted
            }
            let translator = try currentTranslator()
            translator.clean(content, keepingLinesOf: previous?.plaintext, into: &output, scratch: &scratch)
            try cipher.encrypt(redactSecrets ? SecretScanner.redact(output) : output, path: path, keeping: previous,
                               into: &encrypted)
            return encrypted
        }
        let translator = try currentTranslator()
        let previous = try repository?.indexBlob(path: path)
        translator.clean(content, keepingLinesOf: previous, into: &output, scratch: &scratch)
        return redactSecrets ? SecretScanner.redact(output) : output
    }

    public func smudge(path: String, content: [UInt8]) throws -> [UInt8] {
        var content = content
        if let cipher = try currentCipher() ?? cipherForEncryptedContent(content) {
            try decrypt(content, path: path, cipher: cipher).writePlaintext(into: &plain)
            if RepositoryEncryption.isSettingsPath(path) { return plain }
            swap(&content, &plain)
        }
        let translator = try currentTranslator()
        content.withUnsafeBufferPointer { translator.smudge($0, into: &output) }
        for name in translator.unmappedNames(in: content) where warnedNames.insert(name).inserted {
            warn("{{\(name)}} has no path on this machine and is left as it is in \(path) "
                 + "(set one with 'git ccsync config set-path \(name) \(machine?.rawValue ?? "MACHINE") PATH')")
        }
        return output
    }

    /// The translator for the current `.ccsync/config`, rebuilt only when the file changed.
    public func currentTranslator() throws -> PathTranslator {
        let configPath = workTree.hasSuffix("/") ? workTree + SharedConfig.relativePath
                                                 : workTree + "/" + SharedConfig.relativePath
        let stamp = FileStamp(path: configPath)
        if let cached, cached.stamp == stamp, stamp != nil { return cached.translator }
        guard let machine else { throw FilterError.noMachineID }
        let text: [UInt8]
        if stamp != nil {
            text = try readFile(configPath)
        } else if let staged = try repository?.indexBlob(path: SharedConfig.relativePath) {
            text = try currentCipher().map { try $0.decrypt(staged, path: SharedConfig.relativePath).plaintext } ?? staged
        } else {
            throw FilterError.noSharedConfig(SharedConfig.relativePath)
        }
        let config = try SharedConfig(parsing: text)
        let translator = PathTranslator(map: try PlaceholderMap(config: config, machine: machine, home: home))
        cached = (stamp, translator)
        return translator
    }
}

extension CCSyncFilter {
    /// The line cipher when the repository is encrypted, nil when it is not. Reloaded when this
    /// machine's key file changes (a pull brought a rotated keyring).
    public func currentCipher() throws -> LineCipher? {
        guard let machine, !knownPlain else { return nil }
        let root = workTree.hasSuffix("/") ? String(workTree.dropLast()) : workTree
        let keyFile = root + "/" + RepositoryEncryption.keyFilePath(machine: machine.rawValue)
        let stamp = FileStamp(path: keyFile)
        if let cipherState, cipherState.stamp == stamp { return cipherState.cipher }
        let encryption = RepositoryEncryption(root: root, machine: machine,
                                              identityPath: try identityPath(),
                                              repository: repository)
        guard encryption.isEnabled else {
            knownPlain = true
            return nil
        }
        let cipher = try encryption.cipher()
        cipherState = (stamp, cipher)
        return cipher
    }

    /// Ciphertext arriving after this process found the repository unencrypted (the marker came in the
    /// same checkout): look again rather than pass ciphertext through as if it were a session.
    func cipherForEncryptedContent(_ content: [UInt8]) throws -> LineCipher? {
        guard knownPlain, !content.isEmpty, LineCipher.looksEncrypted(content) else { return nil }
        knownPlain = false
        return try currentCipher()
    }

    /// Decrypts, reloading the keyring once if a line names a key this process has not loaded yet.
    func decrypt(_ content: [UInt8], path: String, cipher: LineCipher) throws -> DecryptedLines {
        do {
            return try cipher.decrypt(content, path: path)
        } catch EncryptionError.unknownKey {
            // Written after a rotation this working copy has not checked out yet: read it with the keys of
            // every version of this machine's key file at hand; keep encrypting with the checked-out one.
            cipherState = nil
            guard let reloaded = try currentCipher(), let machine else { throw EncryptionError.malformedKeyring }
            let root = workTree.hasSuffix("/") ? String(workTree.dropLast()) : workTree
            let encryption = RepositoryEncryption(root: root, machine: machine,
                                                  identityPath: try identityPath(),
                                                  repository: repository)
            let reading = LineCipher(keyring: try encryption.keyringForReading())
            do {
                return try reloaded.decrypt(content, path: path)
            } catch EncryptionError.unknownKey {
                return try reading.decrypt(content, path: path)
            }
        }
    }
}

/// Identity of a file's current content as far as `stat` can tell.
struct FileStamp: Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let mtimeSeconds: Int
    let mtimeNanoseconds: Int

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(truncatingIfNeeded: st.st_dev)  // dev_t: UInt64 on Linux, Int32 on Darwin
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        mtimeSeconds = Int(st.modificationTime.tv_sec)
        mtimeNanoseconds = Int(st.modificationTime.tv_nsec)
    }
}
