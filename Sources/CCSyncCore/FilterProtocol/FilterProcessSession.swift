/// git's long-running filter protocol, version 2, as one object: `handshake`, `nextRequest`, `respond`.
///
/// ```
/// git> git-filter-client / version=2 / 0000        filter> git-filter-server / version=2 / 0000
/// git> capability=clean / capability=smudge / capability=delay / 0000
///                                                  filter> capability=clean / capability=smudge / 0000
/// git> command=smudge / pathname=a.jsonl / 0000 / <content> / 0000
///                                                  filter> status=success / 0000 / <content> / 0000 / 0000
/// ```
/// `delay` is offered by git but never accepted here: every answer is given at once.
public struct FilterProcessSession<Source: ByteSource, Sink: ByteSink> {
    private var reader: PktLineReader<Source>
    private var writer: PktLineWriter<Sink>
    public private(set) var capabilities: Set<String> = []
    /// Reused for every request's content, so thousands of files cost no fresh allocations.
    private var content: [UInt8] = []

    public init(source: Source, sink: Sink) {
        reader = PktLineReader(source: source)
        writer = PktLineWriter(sink: sink)
    }

    public mutating func handshake() throws(FilterProtocolError) {
        let context = "reading filter handshake"
        guard let welcome = try reader.readList(context: context) else { throw .unexpectedEOF(context) }
        guard welcome.first == "git-filter-client" else {
            throw .unexpectedPacket(context: context, got: welcome.first ?? "0000")
        }
        let versions = welcome.dropFirst().filter { $0.hasPrefix("version=") }
        guard versions.contains("version=2") else {
            throw .unsupportedVersion(versions.isEmpty ? "no version" : versions.joined(separator: ", "))
        }
        try writer.writeText("git-filter-server")
        try writer.writeText("version=2")
        try writer.writeFlush()
        // git reads our version before it sends its capabilities; a buffered reply here would deadlock.
        try writer.flush()

        let capsContext = "reading filter capabilities"
        guard let offered = try reader.readList(context: capsContext) else { throw .unexpectedEOF(capsContext) }
        var offeredCaps = Set<String>()
        for line in offered {
            guard line.hasPrefix("capability=") else { throw .unexpectedPacket(context: capsContext, got: line) }
            offeredCaps.insert(String(line.dropFirst("capability=".count)))
        }
        let accepted = ["clean", "smudge"].filter { offeredCaps.contains($0) }
        guard !accepted.isEmpty else { throw .missingCapability("clean or smudge") }
        for cap in accepted { try writer.writeText("capability=\(cap)") }
        try writer.writeFlush()
        try writer.flush()
        capabilities = Set(accepted)
    }

    /// The next file, nil when git closed the pipe (the normal end of a session).
    public mutating func nextRequest() throws(FilterProtocolError) -> FilterRequest? {
        let context = "reading filter request"
        guard let header = try reader.readList(context: context) else { return nil }
        var command: FilterRequest.Command?
        var pathname: String?
        var metadata: [String: String] = [:]
        for line in header {
            guard let eq = line.firstIndex(of: "=") else { throw .unexpectedPacket(context: context, got: line) }
            let key = String(line[..<eq])
            let value = String(line[line.index(after: eq)...])
            switch key {
            case "command":
                guard let c = FilterRequest.Command(rawValue: value), capabilities.contains(value) else {
                    throw .unexpectedPacket(context: context, got: line)
                }
                command = c
            case "pathname": pathname = value
            default: metadata[key] = value
            }
        }
        guard let command else { throw .unexpectedPacket(context: context, got: header.first ?? "0000") }
        guard let pathname else { throw .unexpectedPacket(context: context, got: "request without pathname") }
        content.removeAll(keepingCapacity: true)
        try reader.readContent(into: &content, context: "reading content of \(pathname)")
        return FilterRequest(command: command, pathname: pathname, metadata: metadata, content: content)
    }

    /// Answers the current request with translated content.
    public mutating func respond(content: [UInt8]) throws(FilterProtocolError) {
        try writer.writeText("status=success")
        try writer.writeFlush()
        try writer.writeContent(content)
        try writer.writeFlush()
        // An empty list: the status stays "success".
        try writer.writeFlush()
        try writer.flush()
    }

    /// Refuses the current request without content.
    public mutating func respond(status: FilterStatus) throws(FilterProtocolError) {
        try writer.writeText("status=\(status.rawValue)")
        try writer.writeFlush()
        try writer.flush()
    }
}
