/// git's pkt-line framing: a 4-digit hex length that counts itself, then the payload; `0000` is a flush.
///
/// Reads and writes go through one large buffer each, so a 100 MB file costs a few hundred syscalls,
/// not one per 64 KB packet, and content stays bytes from end to end.
public enum PktLine {
    /// Largest payload in one packet (65520 minus the 4-byte header).
    public static let maxPayload = 65516
    static let flushPacket: [UInt8] = Array("0000".utf8)
}

public enum Packet: Equatable, Sendable {
    case flush
    case data([UInt8])

    /// The payload as text without its trailing newline, for control packets.
    var text: String? {
        guard case let .data(bytes) = self else { return nil }
        let trimmed = bytes.last == 0x0A ? bytes.dropLast() : bytes[...]
        return String(decoding: trimmed, as: UTF8.self)
    }

    var debugDescription: String {
        switch self {
        case .flush: return "0000"
        case .data: return text ?? ""
        }
    }
}

public struct PktLineReader<Source: ByteSource> {
    private var source: Source
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0

    public init(source: Source, bufferSize: Int = 1 << 20) {
        self.source = source
        buffer = [UInt8](repeating: 0, count: max(bufferSize, PktLine.maxPayload + 4))
    }

    /// Makes at least `n` bytes available; false at a clean end of input with nothing buffered.
    private mutating func fill(_ n: Int, context: String) throws(FilterProtocolError) -> Bool {
        while end - start < n {
            if start > 0 {
                let pending = end - start
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: pending)
                }
                start = 0
                end = pending
            }
            let free = buffer.count - end
            let filled = end
            var source = self.source
            let result = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(FilterProtocolError) -> Int in
                    try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled..<(filled + free)]))
                }
            }
            self.source = source
            let got = try result.get()
            if got == 0 {
                if end - start == 0 { return false }
                throw .unexpectedEOF(context)
            }
            end += got
        }
        return true
    }

    /// The next packet's payload length (nil for a flush), or `.none` at end of input.
    private mutating func readHeader(context: String) throws(FilterProtocolError) -> Int?? {
        guard try fill(4, context: context) else { return .none }
        var length = 0
        for k in 0..<4 {
            let c = buffer[start + k]
            let digit: Int
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(c - UInt8(ascii: "A") + 10)
            default:
                throw .invalidPacketLength(String(decoding: buffer[start..<(start + 4)], as: UTF8.self))
            }
            length = length * 16 + digit
        }
        let header = String(decoding: buffer[start..<(start + 4)], as: UTF8.self)
        start += 4
        if length == 0 { return .some(nil) }
        guard length > 4, length - 4 <= PktLine.maxPayload else { throw .invalidPacketLength(header) }
        return .some(length - 4)
    }

    /// The next packet, nil at a clean end of input (between packets).
    public mutating func readPacket(context: String) throws(FilterProtocolError) -> Packet? {
        guard let header = try readHeader(context: context) else { return nil }
        guard let length = header else { return .flush }
        guard try fill(length, context: context) else { throw .unexpectedEOF(context) }
        let payload = Array(buffer[start..<(start + length)])
        start += length
        return .data(payload)
    }

    /// Reads data packets up to the next flush, appending their payloads to `content`.
    public mutating func readContent(into content: inout [UInt8], context: String) throws(FilterProtocolError) {
        while true {
            guard let header = try readHeader(context: context) else { throw .unexpectedEOF(context) }
            guard let length = header else { return }
            guard try fill(length, context: context) else { throw .unexpectedEOF(context) }
            buffer.withUnsafeBufferPointer { b in
                content.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<(start + length)]))
            }
            start += length
        }
    }

    /// Text packets up to the next flush (a "list" in git's protocol documentation).
    public mutating func readList(context: String) throws(FilterProtocolError) -> [String]? {
        var lines: [String] = []
        while true {
            guard let packet = try readPacket(context: context) else {
                if lines.isEmpty { return nil }
                throw .unexpectedEOF(context)
            }
            guard let text = packet.text else { return lines }
            lines.append(text)
        }
    }
}

public struct PktLineWriter<Sink: ByteSink> {
    private var sink: Sink
    private var buffer: [UInt8] = []
    private let limit: Int

    public init(sink: Sink, bufferSize: Int = 1 << 20) {
        self.sink = sink
        limit = bufferSize
        buffer.reserveCapacity(bufferSize + PktLine.maxPayload + 4)
    }

    private static func header(_ length: Int) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        let total = length + 4
        return [digits[(total >> 12) & 15], digits[(total >> 8) & 15], digits[(total >> 4) & 15], digits[total & 15]]
    }

    public mutating func writeText(_ line: String) throws(FilterProtocolError) {
        let payload = Array((line + "\n").utf8)
        buffer += Self.header(payload.count)
        buffer += payload
        try flushIfFull()
    }

    public mutating func writeFlush() throws(FilterProtocolError) {
        buffer += PktLine.flushPacket
        try flushIfFull()
    }

    /// Content split into maximal packets (never an empty packet, which git reads as a flush).
    public mutating func writeContent(_ content: [UInt8]) throws(FilterProtocolError) {
        var offset = 0
        while offset < content.count {
            let n = min(PktLine.maxPayload, content.count - offset)
            buffer += Self.header(n)
            buffer.append(contentsOf: content[offset..<(offset + n)])
            offset += n
            try flushIfFull()
        }
    }

    private mutating func flushIfFull() throws(FilterProtocolError) {
        if buffer.count >= limit { try flush() }
    }

    /// Hands everything buffered to the sink. Call at the end of every response: git waits for it.
    public mutating func flush() throws(FilterProtocolError) {
        guard !buffer.isEmpty else { return }
        var sink = self.sink
        let result = buffer.withUnsafeBytes { raw in
            Result { () throws(FilterProtocolError) in try sink.write(raw) }
        }
        self.sink = sink
        try result.get()
        buffer.removeAll(keepingCapacity: true)
    }
}
