/// Every repository key this repository has used, oldest first; the last one encrypts what is written now.
/// Rotation (after `untrust`) appends a key: older lines stay as they were written and stay readable by
/// the machines still trusted. This is the payload of each `.ccsync/keys/<machine>.age` file:
///
///     git-ccsync repository keys v1
///     <id> <base64 key>
///     ...
public struct RepositoryKeyring: Equatable {
    static let header = "git-ccsync repository keys v1"

    public private(set) var keys: [RepositoryKey]

    public init(keys: [RepositoryKey]) {
        precondition(!keys.isEmpty, "a keyring holds at least one key")
        self.keys = keys
    }

    public var current: RepositoryKey { keys[keys.count - 1] }

    public func key(id: String) -> RepositoryKey? { keys.last { $0.id == id } }

    /// Adds a fresh key that encrypts from now on.
    public mutating func rotate() { keys.append(RepositoryKey.generate()) }

    public var serialized: [UInt8] {
        Array((([RepositoryKeyring.header] + keys.map { "\($0.id) \(Base64.encode($0.bytes, alphabet: .standard))" })
            .joined(separator: "\n") + "\n").utf8)
    }

    public init(parsing bytes: [UInt8]) throws {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == RepositoryKeyring.header else { throw EncryptionError.malformedKeyring }
        var keys: [RepositoryKey] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ").map(String.init)
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
