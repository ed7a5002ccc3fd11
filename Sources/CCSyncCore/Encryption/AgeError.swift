/// Why an age file or key could not be read.
public enum AgeError: Error, Equatable, CustomStringConvertible {
    case malformedHeader(String)
    case unsupportedVersion
    case invalidRecipient(String)
    case invalidIdentity
    /// No stanza opens with the identities given: the file was not encrypted to this machine.
    case noMatchingIdentity
    case headerMACMismatch
    case payloadAuthenticationFailed(chunk: Int)
    case truncatedPayload

    public var description: String {
        switch self {
        case let .malformedHeader(why): return "not a valid age file (\(why))"
        case .unsupportedVersion: return "not an age-encryption.org/v1 file"
        case let .invalidRecipient(text): return "'\(text)' is not an age X25519 recipient (age1...)"
        case .invalidIdentity: return "no valid AGE-SECRET-KEY-1... identity"
        case .noMatchingIdentity: return "the file is not encrypted to this identity"
        case .headerMACMismatch: return "the age header was altered (its MAC does not match)"
        case let .payloadAuthenticationFailed(chunk): return "the age payload was altered (chunk \(chunk) does not authenticate)"
        case .truncatedPayload: return "the age payload is truncated"
        }
    }
}
