/// A machine's absolute path for a placeholder, as raw bytes, and the spellings in which it appears in logs.
///
/// JSON writes a Windows path with escaped backslashes (`C:\\Users\\a`), tool results nest JSON so a path
/// may be escaped twice, some tools print `C:/Users/a`, and drive-letter case varies. Each spelling is a
/// `Spelling` with the modifiers that produce it from the configured path; the modifiers are stored in the
/// token (`{{HOME:1}}`) so that the exact bytes come back on smudge, on any machine.
public struct LocalPath: Hashable, Sendable {
    public let bytes: [UInt8]

    /// Validates and normalises (drops trailing separators) a configured path.
    public init(_ path: String, name: String, location: String? = nil) throws(PlaceholderError) {
        var bytes = Array(path.utf8)
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw .pathHasControlCharacters(name: name, location: location)
        }
        guard LocalPath.isAbsolute(bytes) else {
            throw .pathNotAbsolute(name: name, path: path, location: location)
        }
        while bytes.count > LocalPath.rootLength(bytes),
              let last = bytes.last, last == UInt8(ascii: "/") || last == UInt8(ascii: "\\") {
            bytes.removeLast()
        }
        guard bytes.count > LocalPath.rootLength(bytes) else {
            // A filesystem root would match the start of every path.
            throw .pathNotAbsolute(name: name, path: path + " (a filesystem root is too broad)", location: location)
        }
        self.bytes = bytes
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    var isWindows: Bool { LocalPath.hasDrive(bytes) || bytes.starts(with: [0x5C, 0x5C]) }

    static func isAbsolute(_ b: [UInt8]) -> Bool {
        if b.first == UInt8(ascii: "/") { return true }
        if hasDrive(b), b.count >= 3, b[2] == UInt8(ascii: "\\") || b[2] == UInt8(ascii: "/") { return true }
        return b.starts(with: [0x5C, 0x5C])  // \\server\share
    }

    static func hasDrive(_ b: [UInt8]) -> Bool {
        b.count >= 2 && b[0].isASCIILetter && b[1] == UInt8(ascii: ":")
    }

    static func rootLength(_ b: [UInt8]) -> Int {
        if b.first == UInt8(ascii: "/") { return 1 }
        if hasDrive(b) { return 3 }
        return 2
    }

    /// The bytes this path takes when written with `modifiers`.
    func spelled(_ modifiers: SpellingModifiers) -> [UInt8] {
        var out = bytes
        if modifiers.flipDriveCase, LocalPath.hasDrive(out) { out[0] ^= 0x20 }
        if modifiers.forwardSlashes, isWindows {
            for i in out.indices where out[i] == UInt8(ascii: "\\") { out[i] = UInt8(ascii: "/") }
        }
        for _ in 0..<modifiers.escapeLevel { out = LocalPath.jsonEscaped(out) }
        return out
    }

    /// Every distinct spelling, most specific first: identical byte strings are kept once, with the
    /// simplest modifiers, so clean's choice is deterministic.
    func spellings() -> [(SpellingModifiers, [UInt8])] {
        var seen = Set<[UInt8]>()
        var result: [(SpellingModifiers, [UInt8])] = []
        for modifiers in SpellingModifiers.all {
            let spelled = spelled(modifiers)
            if seen.insert(spelled).inserted { result.append((modifiers, spelled)) }
        }
        return result.sorted { $0.1.count > $1.1.count }
    }

    static func jsonEscaped(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + 8)
        for c in b {
            if c == UInt8(ascii: "\\") || c == UInt8(ascii: "\"") { out.append(UInt8(ascii: "\\")) }
            out.append(c)
        }
        return out
    }
}

/// How a spelling differs from the configured path. Encoded in a token after a colon, e.g. `{{HOME:1fd}}`:
/// a digit for the JSON escape level, `f` for forward slashes, `d` for the other drive-letter case.
public struct SpellingModifiers: Hashable, Sendable {
    public var escapeLevel: Int = 0
    public var forwardSlashes = false
    public var flipDriveCase = false

    public static let none = SpellingModifiers()

    static let all: [SpellingModifiers] = {
        var all: [SpellingModifiers] = []
        for level in 0...2 {
            for forward in [false, true] {
                for flip in [false, true] {
                    all.append(SpellingModifiers(escapeLevel: level, forwardSlashes: forward, flipDriveCase: flip))
                }
            }
        }
        return all
    }()

    var encoded: [UInt8] {
        var out: [UInt8] = []
        if escapeLevel > 0 { out.append(UInt8(ascii: "0") + UInt8(escapeLevel)) }
        if forwardSlashes { out.append(UInt8(ascii: "f")) }
        if flipDriveCase { out.append(UInt8(ascii: "d")) }
        return out
    }

    /// Parses the text after the colon; nil when it is not a canonical encoding (such text is then
    /// not a token at all, and passes through as ordinary bytes).
    init?(encoded: ArraySlice<UInt8>) {
        var rest = encoded[...]
        if let first = rest.first, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "2") {
            escapeLevel = Int(first - UInt8(ascii: "0"))
            rest = rest.dropFirst()
        }
        if rest.first == UInt8(ascii: "f") { forwardSlashes = true; rest = rest.dropFirst() }
        if rest.first == UInt8(ascii: "d") { flipDriveCase = true; rest = rest.dropFirst() }
        guard rest.isEmpty, self != .none else { return nil }
    }

    init(escapeLevel: Int = 0, forwardSlashes: Bool = false, flipDriveCase: Bool = false) {
        self.escapeLevel = escapeLevel
        self.forwardSlashes = forwardSlashes
        self.flipDriveCase = flipDriveCase
    }
}
