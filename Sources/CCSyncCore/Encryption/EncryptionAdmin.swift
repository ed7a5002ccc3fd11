#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The key workflows of an encrypted repository, each ending in one local commit (the caller pushes):
/// turning encryption on, admitting a machine, removing one (with a key rotation), and the key health
/// `status` and `doctor` report.
public struct EncryptionAdmin {
    public let copy: WorkingCopy

    public init(copy: WorkingCopy) { self.copy = copy }

    var git: Git { copy.git.internal }

    public var encryption: RepositoryEncryption { copy.encryption }

    /// Writes the marker, the `.gitattributes` lines for `.ccsync/` and a new keyring trusting only this
    /// machine into the work tree at `root` (a new repository, or `encrypt` on an existing one).
    static func setUp(root: String, machine: MachineID, identity: AgeIdentity) throws {
        let attributesPath = root + "/.gitattributes"
        let attributes = FileSystem.exists(attributesPath) ? String(decoding: try readFile(attributesPath), as: UTF8.self) : ""
        if !attributes.contains(".ccsync/config filter=ccsync") {
            try FileSystem.writeAtomically(attributesPath, Array((attributes + RepositoryEncryption.attributes).utf8))
        }
        try FileSystem.makeDirectories(root + "/.ccsync")
        try FileSystem.writeAtomically(root + "/" + RepositoryEncryption.markerPath, Array(RepositoryEncryption.markerText.utf8))
        let keyring = RepositoryKeyring(keys: [.generate()], trusted: [machine.rawValue: identity.recipient])
        try RepositoryEncryption(root: root, machine: machine, identityPath: nil, repository: nil).writeKeyFiles(keyring)
    }

    /// Git settings of a working copy of an encrypted repository. Ciphertext does not compress beyond
    /// undoing its base64, and zlib spends most of `git add`'s time failing to (measured: 2.2 s of CPU for
    /// 63 MB at any level, against 0.3 s stored): loose objects are stored uncompressed; packs (gc, push)
    /// still compress, and a push of an append sends a small delta.
    static let gitSettings = [("core.looseCompression", "0")]

    static func configureWorkingCopy(_ git: Git) throws {
        for (key, value) in gitSettings { try git.setConfig(key, value) }
    }

    private func commit(_ subject: String) throws {
        try git.commit([subject, "CCSync-Machine: \(copy.machine)"])
    }

    /// `git ccsync encrypt`: an existing repository becomes encrypted from its next commit on. Returns
    /// what the user must know: the history already pushed stays readable on the host.
    public func enable(identityPath: String) throws -> [String] {
        guard !encryption.isEnabled else {
            throw EncryptionError.invalidTrust("this repository is already encrypted (see 'git ccsync status')")
        }
        try git.setConfig(Settings.Key.identity.rawValue, identityPath)
        try EncryptionAdmin.configureWorkingCopy(git)
        let (identity, _) = try RepositoryEncryption.ensureIdentity(at: identityPath, created: Date().formatted(.iso8601))
        try EncryptionAdmin.setUp(root: copy.root, machine: copy.machine, identity: identity)
        try git.add([".gitattributes", ".ccsync"], all: true)
        // Every tracked file goes through the filter again, now encrypting.
        try git.renormalize()
        try commit("ccsync: encrypt the repository")
        return [
            "every file is encrypted from this commit on; the history already pushed stays readable on the host",
            "for a host that never saw a readable line: create a new empty remote, run 'git ccsync config set-remote URL' "
                + "and 'git ccsync push', then delete the old remote yourself",
        ]
    }

    /// `git ccsync trust <machine> <recipient>`: the keyring (every key, so the machine reads all history)
    /// encrypted to `recipient` as `.ccsync/keys/<machine>.age`.
    public func trust(machine: String, recipient: String) throws {
        let id = try MachineID(machine, location: "the machine to trust")
        let recipient = try AgeRecipient(parsing: recipient)
        var keyring = try encryption.keyring()
        keyring.trusted[id.rawValue] = recipient
        try encryption.writeKeyFiles(keyring)
        try git.add([RepositoryEncryption.keysDirectory], all: true)
        try commit("ccsync: trust \(id)")
    }

    /// `git ccsync untrust <machine>`: its key file goes and the keyring gets a new key that encrypts
    /// everything written from now on; every other trusted machine gets the new keyring. Returns what
    /// the rotation cannot undo.
    public func untrust(machine: String) throws -> [String] {
        let id = try MachineID(machine, location: "the machine to untrust")
        guard id != copy.machine else {
            throw EncryptionError.invalidTrust("a machine cannot untrust itself (run 'git ccsync untrust \(id)' on another trusted machine)")
        }
        var keyring = try encryption.keyring()
        guard keyring.trusted.removeValue(forKey: id.rawValue) != nil else {
            throw EncryptionError.invalidTrust("\(id) is not trusted (trusted: \(keyring.trusted.keys.sorted().joined(separator: ", ")))")
        }
        keyring.rotate()
        try encryption.writeKeyFiles(keyring)
        try git.add([RepositoryEncryption.keysDirectory], all: true)
        try commit("ccsync: untrust \(id), rotate the repository key")
        return [
            "\(id) can no longer read what is written from now on (new key \(keyring.current.id))",
            "what rotation cannot undo: \(id) keeps every earlier key, so everything pushed before now (all history, "
                + "and whatever it already copied) stays readable to it; lines that do not change keep their old "
                + "encryption. Also revoke its access to the remote, and if that history matters, move to a new remote "
                + "with fresh keys",
        ]
    }

    /// Key health for `status` and `doctor`: nil when the repository is not encrypted, else problems
    /// (empty when the identity is present, this machine is trusted and the keyring opens).
    public func problems() -> [String]? {
        let encryption = self.encryption
        guard encryption.isEnabled else { return nil }
        do {
            _ = try encryption.keyring()
            return []
        } catch {
            return ["\(error)"]
        }
    }

    /// One line for `status`: keys, trusted machines.
    public func summary() -> String? {
        guard encryption.isEnabled else { return nil }
        guard let keyring = try? encryption.keyring() else { return "on, but this machine cannot open the keys" }
        return "on (key \(keyring.current.id), \(keyring.keys.count) key(s); trusted: "
            + keyring.trusted.keys.sorted().joined(separator: ", ") + ")"
    }
}
