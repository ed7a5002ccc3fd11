/// A violation of git's long-running filter protocol. These end the filter process: once the packet
/// stream is out of step, no later answer could be trusted.
public enum FilterProtocolError: Error, Equatable, Sendable {
    case unexpectedEOF(String)
    case invalidPacketLength(String)
    case unexpectedPacket(context: String, got: String)
    case unsupportedVersion(String)
    case missingCapability(String)
    case io(String)
}

extension FilterProtocolError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .unexpectedEOF(context): return "\(context): unexpected end of input"
        case let .invalidPacketLength(header): return "reading packet: invalid length header '\(header)'"
        case let .unexpectedPacket(context, got): return "\(context): unexpected packet '\(got)'"
        case let .unsupportedVersion(offered): return "reading filter handshake: git offers \(offered), only version=2 is supported"
        case let .missingCapability(cap): return "reading filter capabilities: git does not offer \(cap)"
        case let .io(message): return message
        }
    }
}
