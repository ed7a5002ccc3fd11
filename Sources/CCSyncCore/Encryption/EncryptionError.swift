/// Why the encrypted repository form could not be read or written. Every case names what to do.
public enum EncryptionError: Error, Equatable, CustomStringConvertible {
    /// A line failed authentication: altered, cut short, moved from another file, or not ciphertext.
    case tamperedLine(path: String, line: Int)
    /// A line was encrypted with a key this machine's keyring lacks (written after a rotation it missed).
    case unknownKey(path: String, line: Int, keyID: String)
    case malformedKeyring
    /// This machine has no identity file (`git config ccsync.identity`).
    case noIdentity(String)
    /// This machine's key file is missing: it was never trusted, or was untrusted.
    case notTrusted(machine: String)
    /// The key file exists but does not open with this machine's identity.
    case keyFileUnreadable(path: String, reason: String)
    /// A new machine joined an encrypted repository: a trusted machine must admit it first.
    case awaitingTrust(machine: String, recipient: String)
    /// `trust`/`untrust` of a machine id that is not valid, or untrusting this machine itself.
    case invalidTrust(String)

    public var description: String {
        switch self {
        case let .tamperedLine(path, line):
            return "\(path) line \(line) does not decrypt: it was altered, truncated or is not ciphertext "
                + "(restore it from a trusted copy; 'git log -- \(path)' shows who changed it)"
        case let .unknownKey(path, line, keyID):
            return "\(path) line \(line) is encrypted with key \(keyID), which this machine does not have "
                + "(ask a trusted machine to run 'git ccsync trust <this machine>' and push, then pull)"
        case .malformedKeyring:
            return "the repository key file does not hold a git-ccsync keyring (restore .ccsync/keys/ from git history)"
        case let .noIdentity(path):
            return "this machine's age identity \(path) is missing (run 'git ccsync init' again to create one, "
                + "then have a trusted machine run 'git ccsync trust <this machine>')"
        case let .notTrusted(machine):
            return "this machine (\(machine)) is not trusted to read this encrypted repository "
                + "(on a trusted machine run 'git ccsync trust \(machine)' and push, then pull here)"
        case let .awaitingTrust(machine, recipient):
            return "this repository is encrypted and this machine (\(machine)) is not trusted yet; nothing was "
                + "checked out (on a trusted machine run: git ccsync trust \(machine) \(recipient) ; then run "
                + "'git ccsync init' here again)"
        case let .invalidTrust(why):
            return why
        case let .keyFileUnreadable(path, reason):
            return "\(path) does not open with this machine's identity: \(reason) "
                + "(on a trusted machine run 'git ccsync trust <this machine>' again and push)"
        }
    }
}
