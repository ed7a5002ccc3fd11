/// A PEM, OpenSSH or PGP private key: `-----BEGIN <label>PRIVATE KEY-----`, key material, and the END
/// line when it is there.
///
/// In a session log the block is usually one JSON string (`-----BEGIN …-----\nMIIE…\n…`), sometimes
/// escaped twice (`\\n`), sometimes Read-tool output with a line number before each line (`     2→MIIE…`),
/// sometimes cut short (`head -5 id_rsa`). So lines may be separated by raw or escaped newlines, spaces
/// or tabs, each optionally followed by such a line number. Only real key material counts: full lines
/// of base64 (40 characters or more; only the last may be shorter), 48 characters at least, after at
/// most a few `Key: value` header lines (encrypted PEM, PGP). A header followed by prose, as in a
/// conversation about key formats, is not a finding.
enum PrivateKeyBlock {
    static let minimumMaterial = 48
    static let fullLine = 40

    @Sendable static func match(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>? {
        guard let headerEnd = labelEnd(p, from: body, endingInPrivateKey: true) else { return nil }
        var k = headerEnd
        var material = 0
        var lastEnd = headerEnd
        var headerLines = 0
        while true {
            let next = skipSeparators(p, from: k)
            if isEndLine(p, at: next) {
                if material >= minimumMaterial, let end = labelEnd(p, from: next + 9, endingInPrivateKey: false) {
                    return start..<end
                }
                break
            }
            if next == k, k != headerEnd { break }
            if material == 0, headerLines < 8, let end = headerLine(p, at: next) {
                headerLines += 1
                k = end
                continue
            }
            let end = ByteClass.base64.runEnd(p, from: next, limit: .max)
            let length = end - next
            guard length > 0 else { break }
            // A dash ends key material only as the start of the END line: `glpat-…` after a block is a
            // token of its own, not more of the key.
            guard end == p.count || endsChunk(p[end]) && (p[end] != UInt8(ascii: "-") || isEndLine(p, at: end)) else { break }
            material += length
            lastEnd = end
            k = end
            if length < fullLine {
                var after = skipSeparators(p, from: end)
                // PGP ends with a checksum line, `=` and four characters.
                if after < p.count, p[after] == UInt8(ascii: "="), after > end {
                    let checksum = ByteClass.base64.runEnd(p, from: after, limit: 6)
                    if checksum - after == 5 { after = skipSeparators(p, from: checksum) }
                }
                if material >= minimumMaterial, isEndLine(p, at: after),
                   let close = labelEnd(p, from: after + 9, endingInPrivateKey: false) {
                    return start..<close
                }
                break
            }
        }
        return material >= minimumMaterial ? start..<lastEnd : nil
    }

    /// After `-----BEGIN ` or `-----END `: up to 48 of [A-Z0-9 ] and `-----`; the index after it.
    static func labelEnd(_ p: UnsafeBufferPointer<UInt8>, from i: Int, endingInPrivateKey: Bool) -> Int? {
        let label = ByteClass.upperAlnum | ByteClass(plus: " ")
        let end = label.runEnd(p, from: i, limit: 49)
        guard end - i <= 48, SecretPattern.hasPrefix(p, at: end, "-----") else { return nil }
        if endingInPrivateKey {
            let ok = (end - 11 >= i && SecretPattern.hasPrefix(p, at: end - 11, "PRIVATE KEY"))
                || (end - 17 >= i && SecretPattern.hasPrefix(p, at: end - 17, "PRIVATE KEY BLOCK"))
            guard ok else { return nil }
        }
        return end + 5
    }

    @inline(__always)
    static func isEndLine(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        SecretPattern.hasPrefix(p, at: i, "-----END ")
    }

    /// Whether a run of base64 may end before `c`: at a separator, an escape, a closing quote, or END.
    @inline(__always)
    static func endsChunk(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "), UInt8(ascii: "\t"),
             UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// Skips line breaks and blanks between lines of a block: raw or JSON-escaped (at any depth) newlines,
    /// carriage returns, tabs and spaces, and a line number as the Read tool prints it (`  12→`, `12\t`,
    /// or `12\u2192` once escaped).
    static func skipSeparators(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        let n = p.count
        var k = i
        while k < n {
            let c = p[k]
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") || c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") {
                k += 1
                continue
            }
            if c == UInt8(ascii: "\\") {
                var b = k
                while b < n, p[b] == UInt8(ascii: "\\") { b += 1 }
                if b < n, p[b] == UInt8(ascii: "n") || p[b] == UInt8(ascii: "r") || p[b] == UInt8(ascii: "t") {
                    k = b + 1
                    continue
                }
                return k
            }
            if k > i, ByteClass.digits.contains(c) {
                let d = ByteClass.digits.runEnd(p, from: k, limit: 8)
                if d - k < 8 {
                    if SecretPattern.hasPrefix(p, at: d, "\u{2192}") { k = d + 3; continue }
                    if SecretPattern.hasPrefix(p, at: d, "\\u2192") { k = d + 6; continue }
                    if d < n, p[d] == UInt8(ascii: "\t") { k = d + 1; continue }
                    if SecretPattern.hasPrefix(p, at: d, "\\t") { k = d + 2; continue }
                }
            }
            return k
        }
        return k
    }

    /// A `Proc-Type: 4,ENCRYPTED` or `Version: …` line; the index of the line break after it.
    static func headerLine(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let name = ByteClass.letters | ByteClass(plus: "-")
        let colon = name.runEnd(p, from: i, limit: 32)
        guard colon - i >= 3, colon < p.count, p[colon] == UInt8(ascii: ":") else { return nil }
        var k = colon + 1
        let stop = min(p.count, k + 200)
        while k < stop {
            let c = p[k]
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\\") { break }
            if c == UInt8(ascii: "\"") { return nil }
            k += 1
        }
        guard k < p.count, skipSeparators(p, from: k) > k else { return nil }
        return k
    }
}
