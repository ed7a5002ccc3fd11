import CCSyncCore
import Testing

/// git's filter protocol with in-memory pkt-lines, asserting exact bytes.
struct FilterProtocolTests {
    static func pkt(_ text: String) -> [UInt8] { pkt(Array(text.utf8)) }
    static func pkt(_ payload: [UInt8]) -> [UInt8] {
        Array(String(format: "%04x", payload.count + 4).utf8) + payload
    }
    static let flush = Array("0000".utf8)

    static let handshake = pkt("git-filter-client\n") + pkt("version=2\n") + flush
        + pkt("capability=clean\n") + pkt("capability=smudge\n") + pkt("capability=delay\n") + flush
    static let handshakeReply = pkt("git-filter-server\n") + pkt("version=2\n") + flush
        + pkt("capability=clean\n") + pkt("capability=smudge\n") + flush

    static func request(_ command: String, _ path: String, _ content: [UInt8], extra: [String] = []) -> [UInt8] {
        var out = pkt("command=\(command)\n") + pkt("pathname=\(path)\n")
        for line in extra { out += pkt(line + "\n") }
        out += flush
        var offset = 0
        while offset < content.count {
            let n = min(65516, content.count - offset)
            out += pkt(Array(content[offset..<(offset + n)]))
            offset += n
        }
        return out + flush
    }

    static func success(_ content: [UInt8]) -> [UInt8] {
        var out = pkt("status=success\n") + flush
        var offset = 0
        while offset < content.count {
            let n = min(65516, content.count - offset)
            out += pkt(Array(content[offset..<(offset + n)]))
            offset += n
        }
        return out + flush + flush
    }

    func serve(_ input: [UInt8], chunk: Int = .max, handler: (FilterRequest) throws -> [UInt8]) throws -> [UInt8] {
        let sink = MemorySink()
        var session = FilterProcessSession(source: MemorySource(input, chunk: chunk), sink: sink.writer)
        try FilterProcessServer.serve(session: &session, handler: handler, onError: { _, _ in })
        return sink.bytes
    }

    @Test func handshakeAndRequestsExactBytes() throws {
        let t = try translator(home: "/home/a", ["PROJECTS": "/home/a/code"])
        let input = Self.handshake
            + Self.request("clean", "projects/x.jsonl", [UInt8]("{\"cwd\":\"/home/a/code\"}\n"))
            + Self.request("smudge", "projects/x.jsonl", [UInt8]("{\"cwd\":\"{{PROJECTS}}\"}\n"),
                           extra: ["ref=refs/heads/main", "treeish=0123", "blob=4567", "can-delay=1"])
        var seen: [FilterRequest] = []
        let output = try serve(input) { request in
            seen.append(request)
            return request.command == .clean ? t.clean(request.content) : t.smudge(request.content)
        }
        #expect(output == Self.handshakeReply
                + Self.success([UInt8]("{\"cwd\":\"{{PROJECTS}}\"}\n"))
                + Self.success([UInt8]("{\"cwd\":\"/home/a/code\"}\n")))
        #expect(seen.map(\.pathname) == ["projects/x.jsonl", "projects/x.jsonl"])
        #expect(seen.last?.metadata["ref"] == "refs/heads/main")
        #expect(seen.last?.metadata["can-delay"] == "1")
    }

    @Test func largeContentSpansPacketsAndReads() throws {
        var content: [UInt8] = []
        for i in 0..<300_000 { content.append(UInt8(truncatingIfNeeded: i &* 31)) }
        let input = Self.handshake + Self.request("clean", "big", content) + Self.request("clean", "empty", [])
        let output = try serve(input, chunk: 1000) { $0.content }
        #expect(output == Self.handshakeReply + Self.success(content) + Self.success([]))
    }

    @Test func perFileErrorKeepsServing() throws {
        struct Boom: Error {}
        let input = Self.handshake + Self.request("clean", "bad", [1]) + Self.request("clean", "good", [2])
        var errors: [String] = []
        let sink = MemorySink()
        var session = FilterProcessSession(source: MemorySource(input), sink: sink.writer)
        try FilterProcessServer.serve(session: &session, handler: { request in
            if request.pathname == "bad" { throw Boom() }
            return request.content
        }, onError: { request, _ in errors.append(request.pathname) })
        #expect(sink.bytes == Self.handshakeReply + Self.pkt("status=error\n") + Self.flush + Self.success([2]))
        #expect(errors == ["bad"])
    }

    @Test func onlyCleanOffered() throws {
        let input = Self.pkt("git-filter-client\n") + Self.pkt("version=2\n") + Self.flush
            + Self.pkt("capability=clean\n") + Self.flush
        let output = try serve(input) { $0.content }
        #expect(output == Self.pkt("git-filter-server\n") + Self.pkt("version=2\n") + Self.flush
                + Self.pkt("capability=clean\n") + Self.flush)
    }

    @Test func protocolErrorsEndTheSession() {
        let cases: [([UInt8], FilterProtocolError)] = [
            (Self.pkt("git-filter-client\n") + Self.pkt("version=3\n") + Self.flush, .unsupportedVersion("version=3")),
            (Self.pkt("hello\n") + Self.flush, .unexpectedPacket(context: "reading filter handshake", got: "hello")),
            (Array("00zz".utf8), .invalidPacketLength("00zz")),
            (Array("0003".utf8), .invalidPacketLength("0003")),
            (Self.pkt("git-filter-client\n") + Array("0010abc".utf8), .unexpectedEOF("reading filter handshake")),
            (Self.handshake + Self.pkt("command=clean\n") + Self.pkt("pathname=x\n") + Self.flush + Self.pkt([1]),
             .unexpectedEOF("reading content of x")),
            (Self.handshake + Self.pkt("command=list_available_blobs\n") + Self.flush,
             .unexpectedPacket(context: "reading filter request", got: "command=list_available_blobs")),
        ]
        for (input, expected) in cases {
            #expect(throws: expected) { try serve(input) { $0.content } }
        }
    }

    @Test func cleanEndOfInputBetweenRequests() throws {
        #expect(try serve(Self.handshake) { $0.content } == Self.handshakeReply)
    }
}
