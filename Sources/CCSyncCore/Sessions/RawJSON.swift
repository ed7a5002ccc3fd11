#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Navigation of JSON text as bytes: where a value ends, which members an object has, what a string says.
///
/// Reading a session for a human needs a handful of fields out of lines that can be 12 MB long, and a
/// `list` of a thousand sessions must not parse every line of every log. So nothing here builds a JSON
/// tree: strings are skipped with `memchr` for the closing quote, containers by counting their brackets,
/// and only the few strings that end up on screen are decoded, each up to a limit. Invalid UTF-8 and NUL
/// bytes inside strings are no obstacle; a value that never ends (a half-written line) yields nil.
/// Numbers and literals are only delimited, not validated: a reader that shows text has no use for that.
///
/// All functions take a buffer and bounds; ranges they return index into that buffer.
enum RawJSON {
    /// Past spaces, tabs, carriage returns and newlines (JSON's whitespace).
    @inline(__always)
    static func skipWhitespace(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end {
            switch p[i] {
            case 0x20, 0x09, 0x0D, 0x0A: i += 1
            default: return i
            }
        }
        return i
    }

    /// Past whitespace and NUL bytes: what a crash leaves around a record (NUL padding) is not content.
    @inline(__always)
    static func skipBlank(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end {
            switch p[i] {
            case 0x20, 0x09, 0x0D, 0x0A, 0x00: i += 1
            default: return i
            }
        }
        return i
    }

    /// The index of the quote that closes a string whose first content byte is at `start`.
    static func stringEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var i = start
        while let q = firstIndex(of: JSONByte.quote, in: p, from: i, to: end) {
            // Escaped only if an odd number of backslashes stands right before it.
            var backslashes = 0
            var j = q - 1
            while j >= start, p[j] == JSONByte.backslash {
                backslashes += 1
                j -= 1
            }
            if backslashes & 1 == 0 { return q }
            i = q + 1
        }
        return nil
    }

    /// The index just after the value that starts at `start`; nil if it does not end before `end` or its
    /// brackets do not match.
    ///
    /// Iterative, not recursive, so a line of ten thousand `[` cannot exhaust the stack; bracket kinds are
    /// checked for the first 64 levels.
    static func valueEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard start < end else { return nil }
        switch p[start] {
        case JSONByte.quote:
            return stringEnd(p, from: start + 1, to: end).map { $0 + 1 }
        case JSONByte.openBrace, JSONByte.openBracket:
            var depth = 0
            var objects: UInt64 = 0  // bit d set: level d is an object
            var i = start
            while i < end {
                let c = p[i]
                switch c {
                case JSONByte.quote:
                    guard let close = stringEnd(p, from: i + 1, to: end) else { return nil }
                    i = close + 1
                    continue
                case JSONByte.openBrace, JSONByte.openBracket:
                    if depth < 64 {
                        if c == JSONByte.openBrace { objects |= 1 << UInt64(depth) } else { objects &= ~(1 << UInt64(depth)) }
                    }
                    depth += 1
                case JSONByte.closeBrace, JSONByte.closeBracket:
                    depth -= 1
                    if depth < 64, ((objects >> UInt64(depth)) & 1 == 1) != (c == JSONByte.closeBrace) { return nil }
                    if depth == 0 { return i + 1 }
                default:
                    break
                }
                i += 1
            }
            return nil
        default:
            var i = start
            scalar: while i < end {
                switch p[i] {
                case JSONByte.comma, JSONByte.closeBrace, JSONByte.closeBracket, JSONByte.colon, JSONByte.quote,
                     JSONByte.openBrace, JSONByte.openBracket, 0x20, 0x09, 0x0D, 0x0A, 0x00:
                    break scalar
                default:
                    i += 1
                }
            }
            return i > start ? i : nil
        }
    }

    /// Calls `body` with each member of the object at `start` (key range including its quotes, value
    /// range) and returns the index just after the closing brace; nil if this is not a complete object.
    /// Members seen before the defect have already been reported.
    @discardableResult
    static func forEachMember(
        _ p: UnsafeBufferPointer<UInt8>, object start: Int, to end: Int,
        _ body: (_ key: Range<Int>, _ value: Range<Int>) -> Void
    ) -> Int? {
        guard start < end, p[start] == JSONByte.openBrace else { return nil }
        var i = skipWhitespace(p, from: start + 1, to: end)
        if i < end, p[i] == JSONByte.closeBrace { return i + 1 }
        while i < end {
            guard p[i] == JSONByte.quote, let keyClose = stringEnd(p, from: i + 1, to: end) else { return nil }
            let key = i..<(keyClose + 1)
            i = skipWhitespace(p, from: keyClose + 1, to: end)
            guard i < end, p[i] == JSONByte.colon else { return nil }
            i = skipWhitespace(p, from: i + 1, to: end)
            guard let valueEnd = valueEnd(p, from: i, to: end) else { return nil }
            body(key, i..<valueEnd)
            i = skipWhitespace(p, from: valueEnd, to: end)
            guard i < end else { return nil }
            if p[i] == JSONByte.closeBrace { return i + 1 }
            guard p[i] == JSONByte.comma else { return nil }
            i = skipWhitespace(p, from: i + 1, to: end)
        }
        return nil
    }

    /// Calls `body` with each element of the array `value` until it returns false.
    static func forEachElement(
        _ p: UnsafeBufferPointer<UInt8>, array value: Range<Int>, _ body: (_ element: Range<Int>) -> Bool
    ) {
        let end = value.upperBound
        guard isArray(p, value) else { return }
        var i = skipWhitespace(p, from: value.lowerBound + 1, to: end)
        while i < end, p[i] != JSONByte.closeBracket {
            guard let elementEnd = valueEnd(p, from: i, to: end) else { return }
            guard body(i..<elementEnd) else { return }
            i = skipWhitespace(p, from: elementEnd, to: end)
            guard i < end, p[i] == JSONByte.comma else { return }
            i = skipWhitespace(p, from: i + 1, to: end)
        }
    }

    /// The value of member `name` of the object `value`; nil if absent or `value` is no object.
    static func member(_ p: UnsafeBufferPointer<UInt8>, _ name: StaticString, of value: Range<Int>?) -> Range<Int>? {
        guard let value, isObject(p, value) else { return nil }
        var found: Range<Int>?
        forEachMember(p, object: value.lowerBound, to: value.upperBound) { key, member in
            if keyEquals(p, key, name) { found = member }
        }
        return found
    }

    /// Whether a key range (including its quotes) spells `name`. Keys with escapes never match.
    @inline(__always)
    static func keyEquals(_ p: UnsafeBufferPointer<UInt8>, _ key: Range<Int>, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        guard key.count == length + 2, let base = p.baseAddress else { return false }
        return memcmp(base + key.lowerBound + 1, name.utf8Start, length) == 0
    }

    /// Whether the value is exactly the string `text` as written (no escapes decoded).
    static func stringEquals(_ p: UnsafeBufferPointer<UInt8>, _ value: Range<Int>?, _ text: StaticString) -> Bool {
        guard let value, isString(p, value) else { return false }
        return keyEquals(p, value, text)
    }

    static func isString(_ p: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> Bool {
        value.count >= 2 && p[value.lowerBound] == JSONByte.quote
    }

    static func isObject(_ p: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> Bool {
        value.count >= 2 && p[value.lowerBound] == JSONByte.openBrace
    }

    static func isArray(_ p: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> Bool {
        value.count >= 2 && p[value.lowerBound] == JSONByte.openBracket
    }

    static func isTrue(_ p: UnsafeBufferPointer<UInt8>, _ value: Range<Int>?) -> Bool {
        guard let value, value.count == 4, let base = p.baseAddress else { return false }
        return memcmp(base + value.lowerBound, "true", 4) == 0
    }

    /// The decoded text of a string value, at most about `limit` UTF-8 bytes of it; `complete` is false
    /// when the string goes on. Escapes are decoded (`\uD83D\uDE00` pairs included, lone surrogates become
    /// U+FFFD); invalid UTF-8 becomes U+FFFD. Nil if `value` is not a string.
    static func string(
        _ p: UnsafeBufferPointer<UInt8>, _ value: Range<Int>?, limit: Int
    ) -> (text: String, complete: Bool)? {
        guard let value, isString(p, value) else { return nil }
        let end = value.upperBound - 1
        var out: [UInt8] = []
        out.reserveCapacity(min(end - value.lowerBound, limit + 4))
        var i = value.lowerBound + 1
        while i < end {
            let c = p[i]
            // Stop only between UTF-8 sequences, so the cut never makes a replacement character.
            if out.count >= limit, c & 0xC0 != 0x80 {
                return (String(decoding: out, as: UTF8.self), false)
            }
            guard c == JSONByte.backslash else {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < end else { break }
            let escaped = p[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard let unit = hex4(p, at: i, end: end) else {
                    appendScalar(replacement, to: &out)
                    continue
                }
                i += 4
                var scalar = Unicode.Scalar(unit)
                if (0xD800..<0xDC00).contains(unit), i + 6 <= end, p[i] == JSONByte.backslash, p[i + 1] == UInt8(ascii: "u"),
                   let low = hex4(p, at: i + 2, end: end), (0xDC00..<0xE000).contains(low) {
                    scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    i += 6
                }
                appendScalar(scalar ?? replacement, to: &out)
            default:
                out.append(escaped)  // \" \\ \/ and anything a sloppy writer escaped
            }
        }
        return (String(decoding: out, as: UTF8.self), true)
    }

    private static func hex4(_ p: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> UInt32? {
        guard start + 4 <= end else { return nil }
        var value: UInt32 = 0
        for i in start..<(start + 4) {
            let c = p[i]
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c - 0x30
            case 0x41...0x46: digit = c - 0x41 + 10
            case 0x61...0x66: digit = c - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private static func appendScalar(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(scalar) { out.append($0) }
    }
}

private let replacement: Unicode.Scalar = "\u{FFFD}"
