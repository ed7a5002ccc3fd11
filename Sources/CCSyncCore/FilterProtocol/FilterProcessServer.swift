/// The request loop: one process answers every file of a git command.
///
/// A handler error fails that file only (`status=error`, reported through `onError`) and the loop goes
/// on; a protocol error ends the loop by throwing.
public enum FilterProcessServer {
    public static func serve<Source: ByteSource, Sink: ByteSink>(
        session: inout FilterProcessSession<Source, Sink>,
        handler: (FilterRequest) throws -> [UInt8],
        onError: (FilterRequest, any Error) -> Void
    ) throws(FilterProtocolError) {
        try session.handshake()
        while let request = try session.nextRequest() {
            let output: [UInt8]
            do {
                output = try handler(request)
            } catch {
                onError(request, error)
                try session.respond(status: .error)
                continue
            }
            try session.respond(content: output)
        }
    }
}
