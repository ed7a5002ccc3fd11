/// The repository-side syntax: `{{NAME}}`, `{{NAME:mods}}`, and escaped literals `{{=NAME}}`, `{{==NAME}}`...
///
/// Clean and smudge share this one recogniser, which is what makes literal placeholder text round-trip:
/// whatever smudge would read as a token, clean escapes with one more `=`, and smudge removes one.
struct PlaceholderToken {
    var equals: Int
    var name: Range<Int>
    var modifiers: SpellingModifiers
    /// One past the closing `}}`.
    var end: Int

    static let maxNameLength = 64

    /// Parses a token starting at `start`, where `p[start]` and `p[start + 1]` are `{`.
    @inline(__always)
    static func parse(_ p: UnsafeBufferPointer<UInt8>, at start: Int) -> PlaceholderToken? {
        let n = p.count
        var i = start + 2
        var equals = 0
        while i < n, p[i] == UInt8(ascii: "=") { equals += 1; i += 1 }
        guard i < n, p[i].isASCIIUpper else { return nil }
        let nameStart = i
        i += 1
        while i < n, p[i].isASCIIUpper || p[i].isASCIIDigit || p[i] == UInt8(ascii: "_") {
            i += 1
            if i - nameStart > maxNameLength { return nil }
        }
        let name = nameStart..<i
        var modifiers = SpellingModifiers.none
        if i < n, p[i] == UInt8(ascii: ":") {
            let modStart = i + 1
            i = modStart
            while i < n, i - modStart < 4, p[i] != UInt8(ascii: "}") { i += 1 }
            guard let parsed = SpellingModifiers(encoded: ArraySlice(p[modStart..<i])) else { return nil }
            modifiers = parsed
        }
        guard i + 1 < n, p[i] == UInt8(ascii: "}"), p[i + 1] == UInt8(ascii: "}") else { return nil }
        return PlaceholderToken(equals: equals, name: name, modifiers: modifiers, end: i + 2)
    }

    static func encode(name: [UInt8], modifiers: SpellingModifiers) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{"), UInt8(ascii: "{")]
        out += name
        let mods = modifiers.encoded
        if !mods.isEmpty {
            out.append(UInt8(ascii: ":"))
            out += mods
        }
        out += [UInt8(ascii: "}"), UInt8(ascii: "}")]
        return out
    }
}
