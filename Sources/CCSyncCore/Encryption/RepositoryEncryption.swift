#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An encrypted sync repository as one machine sees it: where its files are, and this machine's way in.
///
/// In git: `.ccsync/encryption` (plaintext) says the repository is encrypted, so every machine's filter
/// encrypts, whatever its local settings; `.ccsync/keys/<machine>.age` holds the keyring encrypted to
/// that machine's age recipient (readable by `age -d -i <identity>`). On this machine, outside the
/// repository: its age identity, at the path `git config ccsync.identity` names.
public struct RepositoryEncryption {
    public static let markerPath = ".ccsync/encryption"
    public static let keysDirectory = ".ccsync/keys"
    /// The `.gitattributes` lines that put the shared settings and machine records (which hold every
    /// machine's real paths) through the filter; the key files and the marker stay readable.
    public static let attributes = """
        # Encrypted repository: the shared settings and machine records are encrypted too.
        .ccsync/config filter=ccsync
        .ccsync/machines/** filter=ccsync

        """
    public static let markerText = """
        # git-ccsync: this repository is encrypted (every line of every synced file, the shared settings and
        # the machine records). .ccsync/keys/<machine>.age holds the repository keys for each trusted machine,
        # an age file to that machine's recipient. Format: line cipher v1 (AES-256-GCM-SIV per line).
        line-cipher v1

        """

    public static func keyFilePath(machine: String) -> String { "\(keysDirectory)/\(machine).age" }

    /// Whether `path` (repository-relative) is filtered without placeholder translation: encrypted only.
    public static func isSettingsPath(_ path: String) -> Bool { path.hasPrefix(".ccsync/") }

    /// Whether `attributes` put `path` through the filter in an encrypted repository (the shared
    /// settings and machine records; never the key files or the marker, which must stay readable).
    public static func isEncryptedSettingsFile(_ path: String) -> Bool {
        path == ".ccsync/config" || path.hasPrefix(".ccsync/machines/")
    }

    public let root: String
    public let machine: MachineID
    public let identityPath: String?
    /// For the index's copies while the work tree does not have them yet (a first checkout).
    public let repository: GitRepository?

    public init(root: String, machine: MachineID, identityPath: String?, repository: GitRepository?) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.machine = machine
        self.identityPath = identityPath
        self.repository = repository
    }

    /// A repository-relative file from the work tree, else from the index.
    func read(_ path: String) throws -> [UInt8]? {
        if FileSystem.exists(root + "/" + path) { return try readFile(root + "/" + path) }
        return try repository?.indexBlob(path: path)
    }

    public var isEnabled: Bool { ((try? read(Self.markerPath)) ?? nil) != nil }

    public func identity() throws -> AgeIdentity {
        guard let identityPath else { throw EncryptionError.noIdentity("(git config ccsync.identity is not set)") }
        guard FileSystem.exists(identityPath) else { throw EncryptionError.noIdentity(identityPath) }
        do {
            return try AgeIdentity(parsingFile: String(decoding: try readFile(identityPath), as: UTF8.self))
        } catch {
            throw EncryptionError.keyFileUnreadable(path: identityPath, reason: "\(error)")
        }
    }

    /// This machine's keyring, from its key file.
    public func keyring() throws -> RepositoryKeyring {
        let identity = try identity()
        let path = Self.keyFilePath(machine: machine.rawValue)
        guard let file = try read(path) else { throw EncryptionError.notTrusted(machine: machine.rawValue) }
        let payload: [UInt8]
        do {
            payload = try AgeFile.decrypt(file, identity: identity)
        } catch AgeError.noMatchingIdentity {
            throw EncryptionError.keyFileUnreadable(path: path, reason: "it is encrypted to another identity")
        } catch {
            throw EncryptionError.keyFileUnreadable(path: path, reason: "\(error)")
        }
        return try RepositoryKeyring(parsing: payload)
    }

    public func cipher() throws -> LineCipher { LineCipher(keyring: try keyring()) }

    /// This machine's keyring with the keys of every other version of its key file git has at hand (the
    /// index, HEAD, the commit a merge or pull brings): a pull that brings a rotated keyring together
    /// with lines encrypted under it decrypts them before the new key file is checked out. Versions that
    /// do not open with this identity are ignored; what encrypts stays the checked-out keyring's key.
    public func keyringForReading() throws -> RepositoryKeyring {
        let primary = try keyring()
        guard let repository, let identity = try? identity() else { return primary }
        let path = Self.keyFilePath(machine: machine.rawValue)
        var versions: [[UInt8]] = []
        if let staged = try? repository.indexBlob(path: path) { versions.append(staged) }
        for revision in ["HEAD", "MERGE_HEAD", "ORIG_HEAD", "FETCH_HEAD", "refs/remotes/origin/main"] {
            guard let files = (try? repository.treeFiles(revision: revision, prefix: Self.keysDirectory + "/")) ?? nil,
                  let file = files.first(where: { $0.path == path }), let bytes = try? repository.blob(id: file.blobID)
            else { continue }
            versions.append(bytes)
        }
        let others = versions.compactMap { bytes in
            (try? AgeFile.decrypt(bytes, identity: identity)).flatMap { try? RepositoryKeyring(parsing: $0) }
        }
        return primary.adding(keysOf: others)
    }

    /// The same for `git`'s repository open in process; nil without one.
    public static func cipher(for git: Git) throws -> LineCipher? {
        try git.repository.flatMap { try cipher(for: $0) }
    }

    /// This machine's line cipher for the working copy `repository` belongs to; nil when the repository
    /// is not encrypted (or has no work tree or machine id).
    public static func cipher(for repository: GitRepository) throws -> LineCipher? {
        guard let workTree = repository.workTree, let id = try repository.configString(Settings.Key.machine.rawValue),
              let machine = try? MachineID(id) else { return nil }
        let encryption = RepositoryEncryption(root: workTree, machine: machine,
                                              identityPath: try repository.configString(Settings.Key.identity.rawValue),
                                              repository: repository)
        return encryption.isEnabled ? try encryption.cipher() : nil
    }

    /// Writes one key file per trusted machine (each encrypted to that machine alone) into the work tree
    /// and removes the key files of machines no longer trusted. Returns the repository paths touched.
    @discardableResult
    public func writeKeyFiles(_ keyring: RepositoryKeyring) throws -> [String] {
        let directory = root + "/" + Self.keysDirectory
        try FileSystem.makeDirectories(directory)
        var touched: [String] = []
        for (name, recipient) in keyring.trusted {
            let path = Self.keyFilePath(machine: name)
            try FileSystem.writeAtomically(root + "/" + path, try AgeFile.encrypt(keyring.serialized, to: [recipient]))
            touched.append(path)
        }
        for name in (try? FileSystem.list(directory)) ?? [] where name.hasSuffix(".age") {
            let machineName = String(name.dropLast(4))
            if keyring.trusted[machineName] == nil {
                try FileSystem.remove(directory + "/" + name)
                touched.append(Self.keysDirectory + "/" + name)
            }
        }
        return touched.sorted()
    }

    /// Loads this machine's identity, creating it (mode 0600, in a 0700 directory) when it does not exist.
    public static func ensureIdentity(at path: String, created: String) throws -> (identity: AgeIdentity, isNew: Bool) {
        if FileSystem.exists(path) {
            return (try AgeIdentity(parsingFile: String(decoding: try readFile(path), as: UTF8.self)), false)
        }
        let identity = AgeIdentity.generate()
        let directory = FileSystem.dirname(of: path)
        try FileSystem.makeDirectories(directory)
        _ = chmod(directory, 0o700)
        try FileSystem.writeAtomically(path, Array(identity.fileText(created: created).utf8), mode: 0o600)
        return (identity, true)
    }
}
