/// A reader for git's config-file syntax that keeps the line of every entry.
///
/// `.ccsync/config` comes from the shared repository, so it is untrusted input: every problem is an error
/// naming the file and line, and `include` sections are refused instead of followed (they would read
/// files outside the repository).
public struct GitConfigFile: Sendable {
    public struct Entry: Sendable, Equatable {
        /// Lower-cased, as git compares it.
        public let section: String
        /// Case-sensitive, nil for `[section]`.
        public let subsection: String?
        /// Lower-cased, as git compares it.
        public let key: String
        /// The key as written, for messages.
        public let spelledKey: String
        /// nil for a bare `key` line (git reads it as true).
        public let value: String?
        public let line: Int
    }

    public let file: String
    public let entries: [Entry]

    public init(parsing text: [UInt8], file: String) throws(PlaceholderError) {
        self.file = file
        var parser = Parser(bytes: text, file: file)
        entries = try parser.parse()
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var i = 0
        var line = 1
        var section: String?
        var subsection: String?

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        func fail(_ reason: String) -> PlaceholderError {
            .malformedConfig(file: file, line: line, reason: reason)
        }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipBlanks() {
            while let c = peek, c == 0x20 || c == 0x09 || c == 0x0D { i += 1 }
        }

        mutating func skipToEndOfLine() {
            while let c = peek, c != 0x0A { i += 1 }
        }

        mutating func parse() throws(PlaceholderError) -> [Entry] {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
            var entries: [Entry] = []
            while i < bytes.count {
                skipBlanks()
                guard let c = peek else { break }
                switch c {
                case 0x0A:
                    i += 1; line += 1
                case UInt8(ascii: "#"), UInt8(ascii: ";"):
                    skipToEndOfLine()
                case UInt8(ascii: "["):
                    try parseSectionHeader()
                default:
                    guard c.isASCIILetter else { throw fail("unexpected character '\(Character(Unicode.Scalar(c)))'") }
                    guard let section else { throw fail("a setting before any [section] header") }
                    let startLine = line
                    let (spelled, value) = try parseVariable()
                    entries.append(Entry(section: section, subsection: subsection, key: spelled.lowercased(),
                                         spelledKey: spelled, value: value, line: startLine))
                }
            }
            return entries
        }

        mutating func parseSectionHeader() throws(PlaceholderError) {
            i += 1
            var name: [UInt8] = []
            while let c = peek, c.isASCIILetter || c.isASCIIDigit || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") {
                name.append(c); i += 1
            }
            guard !name.isEmpty else { throw fail("invalid section header") }
            var sub: String?
            skipBlanks()
            if peek == UInt8(ascii: "\"") {
                i += 1
                var s: [UInt8] = []
                while true {
                    guard let c = peek, c != 0x0A else { throw fail("unterminated subsection name") }
                    i += 1
                    if c == UInt8(ascii: "\"") { break }
                    if c == UInt8(ascii: "\\") {
                        guard let e = peek, e != 0x0A else { throw fail("unterminated subsection name") }
                        s.append(e); i += 1
                    } else {
                        s.append(c)
                    }
                }
                sub = String(decoding: s, as: UTF8.self)
                skipBlanks()
            }
            guard peek == UInt8(ascii: "]") else { throw fail("invalid section header") }
            i += 1
            var sectionName = String(decoding: name, as: UTF8.self).lowercased()
            if sub == nil, let dot = sectionName.firstIndex(of: ".") {
                sub = String(sectionName[sectionName.index(after: dot)...])
                sectionName = String(sectionName[..<dot])
            }
            if sectionName == "include" || sectionName == "includeif" {
                throw fail("[\(sectionName)] is not allowed in a shared config (it would read files outside the repository)")
            }
            section = sectionName
            subsection = sub
            // A setting may follow the header on the same line.
            skipBlanks()
            if let c = peek, c != 0x0A, c != UInt8(ascii: "#"), c != UInt8(ascii: ";"), !c.isASCIILetter {
                throw fail("unexpected text after section header")
            }
        }

        mutating func parseVariable() throws(PlaceholderError) -> (String, String?) {
            var name: [UInt8] = []
            while let c = peek, c.isASCIILetter || c.isASCIIDigit || c == UInt8(ascii: "-") {
                name.append(c); i += 1
            }
            let spelled = String(decoding: name, as: UTF8.self)
            skipBlanks()
            guard let c = peek, c != 0x0A, c != UInt8(ascii: "#"), c != UInt8(ascii: ";") else {
                return (spelled, nil)
            }
            guard c == UInt8(ascii: "=") else { throw fail("expected '=' after '\(spelled)'") }
            i += 1
            return (spelled, try parseValue())
        }

        mutating func parseValue() throws(PlaceholderError) -> String {
            var value: [UInt8] = []
            var pendingSpace: [UInt8] = []
            var quoted = false
            skipBlanks()
            loop: while let c = peek {
                switch c {
                case 0x0A:
                    if quoted { throw fail("unterminated quoted value") }
                    break loop
                case UInt8(ascii: "#"), UInt8(ascii: ";"):
                    if quoted { value += pendingSpace; pendingSpace = []; value.append(c); i += 1; continue }
                    skipToEndOfLine()
                    break loop
                case UInt8(ascii: "\""):
                    value += pendingSpace; pendingSpace = []
                    quoted.toggle(); i += 1
                case UInt8(ascii: "\\"):
                    i += 1
                    guard let e = peek else { throw fail("a backslash at the end of the file") }
                    i += 1
                    value += pendingSpace; pendingSpace = []
                    switch e {
                    case 0x0A: line += 1
                    case UInt8(ascii: "n"): value.append(0x0A)
                    case UInt8(ascii: "t"): value.append(0x09)
                    case UInt8(ascii: "b"): value.append(0x08)
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""): value.append(e)
                    default: throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in value")
                    }
                case 0x20, 0x09, 0x0D:
                    if quoted { value.append(c) } else if !value.isEmpty { pendingSpace.append(c) }
                    i += 1
                default:
                    value += pendingSpace; pendingSpace = []
                    value.append(c); i += 1
                }
            }
            return String(decoding: value, as: UTF8.self)
        }
    }
}
