/// Where a configured path may match inside arbitrary text.
///
/// `/home/a/code` matches in `/home/a/code`, `/home/a/code/x`, `"/home/a/code"`, `cd /home/a/code &&`,
/// `PATH=/usr/bin:/home/a/code/bin`, `file:///home/a/code`, after a JSON escape (`a.txt\n/home/a/code/b`),
/// and at the end of a sentence (`/home/a/code.`); but not in `/home/a/code2`, `/home/a/code-old`,
/// `/home/a/code.bak`, `/home/a/codé` or `/x/home/a/code`.
enum PathBoundary {
    /// Bytes that continue a file or directory name: ASCII letters and digits, `-`, `_`, `.`, and every
    /// byte of a multi-byte UTF-8 sequence.
    @inline(__always)
    static func continuesName(_ c: UInt8) -> Bool {
        c >= 0x80 || c.isASCIILetter || c.isASCIIDigit || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
            || c == UInt8(ascii: ".")
    }

    /// True when a match may begin at `i`: nothing name-like stands directly before it, or what stands
    /// before it is the letter of a JSON escape (`\n`, `\t`, `\r`, `\b`, `\f`) or a `\uXXXX` escape.
    @inline(__always)
    static func allowsStart(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i > 0 else { return true }
        let b = p[i - 1]
        guard continuesName(b) else { return true }
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
        let c = p[j]
        guard continuesName(c) else { return true }
        guard c == UInt8(ascii: ".") else { return false }
        var k = j
        while k < p.count, p[k] == UInt8(ascii: ".") { k += 1 }
        return k == p.count || !continuesName(p[k])
    }

    @inline(__always)
    static func isHex(_ c: UInt8) -> Bool {
        c.isASCIIDigit || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66)
    }
}
