/// One format: a literal prefix the scanner looks for, and a matcher that checks what follows it.
///
/// The scanner finds candidates by the prefix's first two bytes, compares the rest of the prefix, checks
/// the byte before it against `leading`, and only then calls `match`, so matchers run rarely and may be
/// plain code. A matcher gets the buffer, where the prefix starts and where its body starts, and answers
/// the secret's byte range or nil.
struct SecretPattern: Sendable {
    typealias Matcher = @Sendable (_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>?

    let kind: SecretKind
    let prefix: [UInt8]
    /// Bytes that may not stand right before the prefix: the token would be the tail of a longer word.
    let leading: ByteClass
    let match: Matcher

    init(_ kind: SecretKind, _ prefix: String, leading: ByteClass, match: @escaping Matcher) {
        self.kind = kind
        self.prefix = Array(prefix.utf8)
        self.leading = leading
        self.match = match
    }

    /// A prefix and one run of `body` bytes whose length is in `length`, neither preceded nor followed by
    /// a word character or a byte of `body` (`xghp_…`, `…AKIA…Z9x` and over-long runs do not match), and
    /// not a placeholder made of a few repeated characters. `accept` adds a format's own rule.
    static func token(
        _ kind: SecretKind, _ prefix: String, _ body: ByteClass, _ length: ClosedRange<Int>,
        leading: ByteClass = .word, trailing: ByteClass = .word,
        accept: (@Sendable (UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool)? = nil
    ) -> SecretPattern {
        let after = trailing | body
        let minDistinct = min(8, max(3, length.lowerBound / 4))
        return SecretPattern(kind, prefix, leading: leading | body) { p, start, bodyStart in
            let end = body.runEnd(p, from: bodyStart, limit: length.upperBound + 1)
            guard length.contains(end - bodyStart), end == p.count || !after.contains(p[end]) else { return nil }
            guard ByteClass.distinctCount(p, bodyStart..<end) >= minDistinct else { return nil }
            if let accept, !accept(p, bodyStart..<end) { return nil }
            return start..<end
        }
    }

    /// Whether a token may start at `i`: the byte before it is not in `leading`, or it is the letter of
    /// a JSON escape (`\n`, `\t`, …; tool output lists one value per line) or ends a `\uXXXX` escape.
    @inline(__always)
    static func allowsStart(_ p: UnsafeBufferPointer<UInt8>, at i: Int, leading: ByteClass) -> Bool {
        guard i > 0 else { return true }
        let b = p[i - 1]
        guard leading.contains(b) else { return true }
        switch b {
        case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "b"), UInt8(ascii: "f"):
            var k = i - 2
            while k >= 0, p[k] == UInt8(ascii: "\\") { k -= 1 }
            if (i - 2 - k) % 2 == 1 { return true }
        default:
            break
        }
        if i >= 6, p[i - 6] == UInt8(ascii: "\\"), p[i - 5] == UInt8(ascii: "u") {
            return (i - 4..<i).allSatisfy { ByteClass.hex.contains(p[$0]) }
        }
        return false
    }

    @inline(__always)
    static func hasPrefix(_ p: UnsafeBufferPointer<UInt8>, at i: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= p.count else { return false }
        let s = literal.utf8Start
        for k in 0..<n where p[i + k] != s[k] { return false }
        return true
    }
}
