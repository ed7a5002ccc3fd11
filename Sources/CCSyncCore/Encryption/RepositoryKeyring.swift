/// Every repository key this repository has used, oldest first; the last one encrypts what is written now.
/// Rotation (after `untrust`) appends a key: older lines stay as they were written and stay readable by
/// the machines still trusted. With the keys travels the list of trusted machines and their age
/// recipients: it is what `trust` and `untrust` re-encrypt the key files to, and it is kept inside the
/// encrypted payload so that whoever can write to the remote cannot slip their own recipient into it.
/// This is the payload of each `.ccsync/keys/<machine>.age` file:
///
///     git-ccsync repository keys v1
///     <id> <base64 key>
///     trust <machine> <age1...>
///     ...
public struct RepositoryKeyring: Equatable {
    static let header = "git-ccsync repository keys v1"

    public private(set) var keys: [RepositoryKey]
    /// Trusted machines and their recipients, sorted by machine.
    public var trusted: [String: AgeRecipient] = [:]

    public init(keys: [RepositoryKey], trusted: [String: AgeRecipient] = [:]) {
        precondition(!keys.isEmpty, "a keyring holds at least one key")
        self.keys = keys
        self.trusted = trusted
    }

    public var current: RepositoryKey { keys[keys.count - 1] }

    public func key(id: String) -> RepositoryKey? { keys.last { $0.id == id } }

    /// This keyring with every key of `others` it lacks, placed before its own so its current key stays
    /// current: for reading lines written under a keyring this working copy has not checked out yet.
    public func adding(keysOf others: [RepositoryKeyring]) -> RepositoryKeyring {
        var extra: [RepositoryKey] = []
        for other in others {
            for key in other.keys where self.key(id: key.id) == nil && !extra.contains(where: { $0.id == key.id }) {
                extra.append(key)
            }
        }
        return RepositoryKeyring(keys: extra + keys, trusted: trusted)
    }

    /// Adds a fresh key that encrypts from now on.
    public mutating func rotate() { keys.append(RepositoryKey.generate()) }

    public var serialized: [UInt8] {
        Array((([RepositoryKeyring.header] + keys.map { "\($0.id) \(Base64.encode($0.bytes, alphabet: .standard))" }
                 + trusted.sorted { $0.key < $1.key }.map { "trust \($0.key) \($0.value)" })
            .joined(separator: "\n") + "\n").utf8)
    }

    public init(parsing bytes: [UInt8]) throws {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == RepositoryKeyring.header else { throw EncryptionError.malformedKeyring }
        var keys: [RepositoryKey] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ").map(String.init)
            if fields.count == 3, fields[0] == "trust" {
                guard let recipient = try? AgeRecipient(parsing: fields[2]) else { throw EncryptionError.malformedKeyring }
                trusted[fields[1]] = recipient
                continue
            }
            guard fields.count == 2, let bytes = Base64.decode(fields[1], alphabet: .standard), bytes.count == 32 else {
                throw EncryptionError.malformedKeyring
            }
            let key = RepositoryKey(bytes: bytes)
            guard key.id == fields[0] else { throw EncryptionError.malformedKeyring }
            keys.append(key)
        }
        guard !keys.isEmpty else { throw EncryptionError.malformedKeyring }
        self.keys = keys
    }
}
