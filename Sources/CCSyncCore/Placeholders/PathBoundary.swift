/// Where a configured path may match inside arbitrary text.
///
/// `/home/a/code` matches in `/home/a/code`, `/home/a/code/x`, `"/home/a/code"`, `cd /home/a/code &&`,
/// `PATH=/usr/bin:/home/a/code/bin`, `file:///home/a/code`, after a JSON escape (`a.txt\n/home/a/code/b`),
/// at the end of a sentence (`/home/a/code.`) and inside typographic quotes (`‘/home/a/code’`, as `find`
/// prints); but not in `/home/a/code2`, `/home/a/code-old`, `/home/a/code.bak`, `/home/a/codé` or
/// `/x/home/a/code`.
enum PathBoundary {
    /// ASCII bytes that continue a file or directory name: letters, digits, `-`, `_`, `.`.
    @inline(__always)
    static func continuesNameASCII(_ c: UInt8) -> Bool {
        c.isASCIILetter || c.isASCIIDigit || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
    }

    /// Whether the character ending just before `i` continues a name. A non-ASCII character does when
    /// it is a letter, digit or mark (`café`); punctuation and spaces (`‘`, `」`, a no-break space) do not.
    /// Bytes that are not valid UTF-8 count as name characters, so they never start a match.
    @inline(__always)
    static func continuesName(before i: Int, in p: UnsafeBufferPointer<UInt8>) -> Bool {
        let b = p[i - 1]
        if b < 0x80 { return continuesNameASCII(b) }
        var start = i - 1
        while start > 0, i - start < 4, p[start] & 0xC0 == 0x80 { start -= 1 }
        guard let scalar = decodeScalar(p, from: start, to: i) else { return true }
        return isNameScalar(scalar)
    }

    /// Whether the character starting at `j` continues a name.
    @inline(__always)
    static func continuesName(at j: Int, in p: UnsafeBufferPointer<UInt8>) -> Bool {
        let c = p[j]
        if c < 0x80 { return continuesNameASCII(c) }
        let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1
        guard j + length <= p.count, let scalar = decodeScalar(p, from: j, to: j + length) else { return true }
        return isNameScalar(scalar)
    }

    static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// The one scalar that exactly fills `p[from..<to]`, nil when those bytes are not exactly one.
    static func decodeScalar(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Unicode.Scalar? {
        var decoder = UTF8()
        var iterator = UnsafeBufferPointer(rebasing: p[from..<to]).makeIterator()
        guard case let .scalarValue(scalar) = decoder.decode(&iterator), iterator.next() == nil else { return nil }
        return scalar
    }

    /// True when a match may begin at `i`: nothing name-like stands directly before it, or what stands
    /// before it is the letter of a JSON escape (`\n`, `\t`, `\r`, `\b`, `\f`) or a `\uXXXX` escape.
    @inline(__always)
    static func allowsStart(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i > 0 else { return true }
        guard continuesName(before: i, in: p) else { return true }
        let b = p[i - 1]
        if i >= 2, p[i - 2] == UInt8(ascii: "\\") {
            switch b {
            case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "b"), UInt8(ascii: "f"):
                return true
            default: break
            }
        }
        if i >= 6, p[i - 6] == UInt8(ascii: "\\"), p[i - 5] == UInt8(ascii: "u") {
            return (i - 4..<i).allSatisfy { isHex(p[$0]) }
        }
        return false
    }

    /// True when a match may end at `j`: the name does not go on. A run of dots ends the path when what
    /// follows it cannot continue a name (`code.` at the end of a sentence) but not in `code.bak`.
    @inline(__always)
    static func allowsEnd(_ p: UnsafeBufferPointer<UInt8>, at j: Int) -> Bool {
        guard j < p.count else { return true }
        guard continuesName(at: j, in: p) else { return true }
        guard p[j] == UInt8(ascii: ".") else { return false }
        var k = j
        while k < p.count, p[k] == UInt8(ascii: ".") { k += 1 }
        return k == p.count || !continuesName(at: k, in: p)
    }

    @inline(__always)
    static func isHex(_ c: UInt8) -> Bool {
        c.isASCIIDigit || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66)
    }
}
