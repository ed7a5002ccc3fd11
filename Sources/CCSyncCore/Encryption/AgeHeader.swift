import Crypto

/// An age header: the version line, the recipient stanzas, and `--- <MAC>`, an HMAC-SHA-256 (key:
/// HKDF-SHA-256 of the file key, info "header") over everything up to and including the `---`.
struct AgeHeader {
    static let versionLine = "age-encryption.org/v1"

    var stanzas: [AgeStanza]
    var mac: [UInt8]

    /// The header's bytes up to and including `---`, the MAC's input.
    var macInput: [UInt8] {
        Array((AgeHeader.versionLine + "\n" + stanzas.map(\.text).joined() + "---").utf8)
    }

    var encoded: [UInt8] { macInput + Array((" " + Base64.encode(mac, alphabet: .standard) + "\n").utf8) }

    static func mac(fileKey: SymmetricKey, over input: [UInt8]) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: fileKey, salt: [UInt8](),
                                         info: Array("header".utf8), outputByteCount: 32)
        return Array(HMAC<SHA256>.authenticationCode(for: input, using: key))
    }

    /// Parses a header from the start of `file`; also returns the bytes the MAC covers, as they are in
    /// the file, and the offset where the payload starts.
    static func parse(_ file: [UInt8]) throws -> (header: AgeHeader, macInput: [UInt8], payloadStart: Int) {
        var position = 0
        func nextLine() throws -> String {
            guard let end = file[position...].firstIndex(of: 0x0A) else { throw AgeError.malformedHeader("header ends early") }
            let line = file[position..<end]
            position = end + 1
            guard line.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else { throw AgeError.malformedHeader("non-ASCII header line") }
            return String(decoding: line, as: UTF8.self)
        }
        guard try nextLine() == versionLine else { throw AgeError.unsupportedVersion }
        var stanzas: [AgeStanza] = []
        while true {
            let line = try nextLine()
            let lineStart = position - line.utf8.count - 1
            if line.hasPrefix("--- ") {
                guard let mac = Base64.decode(String(line.dropFirst(4)), alphabet: .standard), mac.count == 32 else {
                    throw AgeError.malformedHeader("invalid header MAC")
                }
                return (AgeHeader(stanzas: stanzas, mac: mac), Array(file[..<(lineStart + 3)]), position)
            }
            guard line.hasPrefix("-> ") else { throw AgeError.malformedHeader("expected a stanza or the MAC line") }
            let fields = line.dropFirst(3).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard let type = fields.first, fields.allSatisfy({ !$0.isEmpty }) else {
                throw AgeError.malformedHeader("empty stanza argument")
            }
            var body: [UInt8] = []
            while true {
                let bodyLine = try nextLine()
                guard bodyLine.utf8.count <= 64,
                      bodyLine.utf8.withContiguousStorageIfAvailable({ Base64.decode($0, alphabet: .standard, into: &body) }) ?? false
                else { throw AgeError.malformedHeader("invalid stanza body") }
                if bodyLine.utf8.count < 64 { break }
            }
            stanzas.append(AgeStanza(type: type, arguments: Array(fields.dropFirst()), body: body))
        }
    }
}
