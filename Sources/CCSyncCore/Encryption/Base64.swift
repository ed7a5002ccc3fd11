/// Unpadded base64 over bytes, in the two alphabets the encrypted form uses: the standard one (age
/// headers, RFC 4648 section 4) and the URL-safe one (encrypted lines, section 5, so a line never holds
/// `/` or `+`). Decoding is strict: no padding, no whitespace, and the unused low bits of a final partial
/// group must be zero, so every byte string has exactly one encoding (age requires canonical base64, and
/// the encrypted form must be a function of its content for git's stable form).
enum Base64 {
    enum Alphabet {
        case standard
        case url

        fileprivate var table: [UInt8] {
            switch self {
            case .standard: return Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            case .url: return Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
            }
        }

        fileprivate var reverse: [UInt8] {
            var reverse = [UInt8](repeating: 0xFF, count: 256)
            for (value, symbol) in table.enumerated() { reverse[Int(symbol)] = UInt8(value) }
            return reverse
        }
    }

    private static let standardTable = Alphabet.standard.table
    private static let urlTable = Alphabet.url.table
    private static let standardReverse = Alphabet.standard.reverse
    private static let urlReverse = Alphabet.url.reverse

    static func encodedCount(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    static func encode(_ bytes: UnsafeRawBufferPointer, alphabet: Alphabet, into out: inout [UInt8]) {
        let table = alphabet == .standard ? standardTable : urlTable
        table.withUnsafeBufferPointer { symbols in
            var i = 0
            let n = bytes.count
            while i + 3 <= n {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out.append(symbols[Int(v >> 18)])
                out.append(symbols[Int(v >> 12 & 63)])
                out.append(symbols[Int(v >> 6 & 63)])
                out.append(symbols[Int(v & 63)])
                i += 3
            }
            if n - i == 1 {
                let v = UInt32(bytes[i]) << 16
                out.append(symbols[Int(v >> 18)])
                out.append(symbols[Int(v >> 12 & 63)])
            } else if n - i == 2 {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                out.append(symbols[Int(v >> 18)])
                out.append(symbols[Int(v >> 12 & 63)])
                out.append(symbols[Int(v >> 6 & 63)])
            }
        }
    }

    static func encode(_ bytes: [UInt8], alphabet: Alphabet) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(encodedCount(bytes.count))
        bytes.withUnsafeBytes { encode($0, alphabet: alphabet, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil when it is not canonical unpadded base64 in `alphabet`.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, alphabet: Alphabet, into out: inout [UInt8]) -> Bool {
        let reverse = alphabet == .standard ? standardReverse : urlReverse
        return reverse.withUnsafeBufferPointer { r in
            let n = text.count
            if n % 4 == 1 { return false }
            var i = 0
            while i + 4 <= n {
                let a = r[Int(text[i])], b = r[Int(text[i + 1])], c = r[Int(text[i + 2])], d = r[Int(text[i + 3])]
                if (a | b | c | d) & 0xC0 != 0 { return false }
                let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                out.append(UInt8(v >> 16))
                out.append(UInt8(v >> 8 & 0xFF))
                out.append(UInt8(v & 0xFF))
                i += 4
            }
            let rest = n - i
            if rest == 2 {
                let a = r[Int(text[i])], b = r[Int(text[i + 1])]
                if (a | b) & 0xC0 != 0 || b & 0x0F != 0 { return false }
                out.append(a << 2 | b >> 4)
            } else if rest == 3 {
                let a = r[Int(text[i])], b = r[Int(text[i + 1])], c = r[Int(text[i + 2])]
                if (a | b | c) & 0xC0 != 0 || c & 0x03 != 0 { return false }
                out.append(a << 2 | b >> 4)
                out.append(b << 4 | c >> 2)
            }
            return true
        }
    }

    static func decode(_ text: String, alphabet: Alphabet) -> [UInt8]? {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        let ok = bytes.withUnsafeBufferPointer { decode($0, alphabet: alphabet, into: &out) }
        return ok ? out : nil
    }
}
