#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Adds and removes git-ccsync's hooks in Claude Code's `settings.json` by editing its text in place:
/// only our matcher groups (those whose commands carry `ClaudeHookEntries.marker`) are inserted, replaced
/// or cut out, and every other byte of the user's file (their hooks, permissions, formatting, key order)
/// stays as it was. Parsing the whole file and writing it back would reorder and reformat it.
///
/// The file must be valid JSON with an object at the top (checked with a full parse before anything is
/// edited); Claude Code silently ignores a settings file it cannot parse, disabling every hook in it.
public struct ClaudeSettingsEditor {
    public private(set) var bytes: [UInt8]

    public init(bytes: [UInt8]) throws(ClaudeHookError) {
        let text = bytes.isEmpty ? Array("{}\n".utf8) : bytes
        do {
            _ = try JSONDecoder().decode([String: JSONValue].self, from: Data(text))
        } catch {
            throw .settings("it is not a JSON object: \(Self.describe(error))")
        }
        self.bytes = text
        // The decoder forgives what Claude's parser does not (a trailing comma): walk the text too.
        guard let top = topObject, isStrict(top),
              self.bytes.withUnsafeBufferPointer({ RawJSON.skipWhitespace($0, from: top.upperBound, to: $0.count) }) == text.count else {
            throw .settings("it is not a JSON object: a trailing comma or other text Claude Code cannot read")
        }
    }

    /// Whether a container (and every container in it) is well formed: no trailing commas, no gaps.
    func isStrict(_ value: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            switch p[value.lowerBound] {
            case UInt8(ascii: "{"):
                var children: [Range<Int>] = []
                guard RawJSON.forEachMember(p, object: value.lowerBound, to: value.upperBound, { children.append($1) }) == value.upperBound else { return false }
                return children.allSatisfy(isStrict)
            case UInt8(ascii: "["):
                var i = RawJSON.skipWhitespace(p, from: value.lowerBound + 1, to: value.upperBound)
                if i == value.upperBound - 1 { return true }
                while i < value.upperBound {
                    guard let end = RawJSON.valueEnd(p, from: i, to: value.upperBound), isStrict(i..<end) else { return false }
                    i = RawJSON.skipWhitespace(p, from: end, to: value.upperBound)
                    if i == value.upperBound - 1 { return p[i] == UInt8(ascii: "]") }
                    guard p[i] == UInt8(ascii: ",") else { return false }
                    i = RawJSON.skipWhitespace(p, from: i + 1, to: value.upperBound)
                    guard i < value.upperBound - 1 else { return false }
                }
                return false
            default:
                return true
            }
        }
    }

    /// One matcher group of ours to add under `event`, as JSON text.
    public struct Group: Sendable, Equatable {
        public let event: String
        public let json: String

        public init(event: String, json: String) {
            self.event = event
            self.json = json
        }
    }

    /// Our groups now in the file, by event, as written.
    public var ours: [String: [String]] {
        var found: [String: [String]] = [:]
        forEachGroup { event, group, _ in
            if isOurs(group) { found[event, default: []].append(String(decoding: bytes[group], as: UTF8.self)) }
        }
        return found
    }

    /// Whether `"disableAllHooks": true` is set at the top level.
    public var hooksDisabled: Bool {
        bytes.withUnsafeBufferPointer { p in
            guard let top = topObject else { return false }
            return RawJSON.isTrue(p, RawJSON.member(p, "disableAllHooks", of: top))
        }
    }

    /// Replaces our groups with `groups` (in that order, appended to each event's list).
    public mutating func install(_ groups: [Group]) {
        // Already there, exactly: nothing moves (a reinstall must not reorder the user's file).
        var wanted: [String: [String]] = [:]
        for group in groups { wanted[group.event, default: []].append(group.json) }
        if ours == wanted { return }
        uninstall()
        for group in groups { append(group) }
    }

    /// Removes every group of ours; an event list (and the `hooks` object) left empty by that goes too.
    public mutating func uninstall() {
        while let (event, group, array) = firstOurGroup() {
            let elements = elements(of: array)
            if elements.count == 1 {
                removeMember(named: event, ofHooks: true)
            } else {
                remove(group, among: elements)
            }
            _ = event
        }
        if let hooks = hooksObject, members(of: hooks).isEmpty { removeMember(named: "hooks", ofHooks: false) }
    }

    // MARK: reading

    var topObject: Range<Int>? {
        bytes.withUnsafeBufferPointer { p in
            let start = RawJSON.skipWhitespace(p, from: 0, to: p.count)
            guard start < p.count, let end = RawJSON.valueEnd(p, from: start, to: p.count), RawJSON.isObject(p, start..<end) else { return nil }
            return start..<end
        }
    }

    var hooksObject: Range<Int>? {
        bytes.withUnsafeBufferPointer { p in
            guard let top = topObject, let hooks = RawJSON.member(p, "hooks", of: top), RawJSON.isObject(p, hooks) else { return nil }
            return hooks
        }
    }

    /// Members of an object: (key text without quotes, whole key range, value range).
    func members(of object: Range<Int>) -> [(name: String, key: Range<Int>, value: Range<Int>)] {
        bytes.withUnsafeBufferPointer { p in
            var result: [(String, Range<Int>, Range<Int>)] = []
            RawJSON.forEachMember(p, object: object.lowerBound, to: object.upperBound) { key, value in
                result.append((String(decoding: p[(key.lowerBound + 1)..<(key.upperBound - 1)], as: UTF8.self), key, value))
            }
            return result
        }
    }

    func elements(of array: Range<Int>) -> [Range<Int>] {
        bytes.withUnsafeBufferPointer { p in
            var result: [Range<Int>] = []
            RawJSON.forEachElement(p, array: array) { result.append($0); return true }
            return result
        }
    }

    func forEachGroup(_ body: (_ event: String, _ group: Range<Int>, _ array: Range<Int>) -> Void) {
        guard let hooks = hooksObject else { return }
        for member in members(of: hooks) {
            guard bytes[member.value.lowerBound] == UInt8(ascii: "[") else { continue }
            for element in elements(of: member.value) { body(member.name, element, member.value) }
        }
    }

    func firstOurGroup() -> (String, Range<Int>, Range<Int>)? {
        var found: (String, Range<Int>, Range<Int>)?
        forEachGroup { event, group, array in
            if found == nil, isOurs(group) { found = (event, group, array) }
        }
        return found
    }

    func isOurs(_ group: Range<Int>) -> Bool {
        String(decoding: bytes[group], as: UTF8.self).contains(ClaudeHookEntries.marker)
    }

    // MARK: editing

    /// Removes an element of a list with its separator, leaving the neighbours' spacing as it was.
    mutating func remove(_ element: Range<Int>, among elements: [Range<Int>]) {
        guard let index = elements.firstIndex(of: element) else { return }
        if index + 1 < elements.count {
            bytes.removeSubrange(element.lowerBound..<elements[index + 1].lowerBound)
        } else if index > 0 {
            bytes.removeSubrange(elements[index - 1].upperBound..<element.upperBound)
        }
    }

    mutating func removeMember(named name: String, ofHooks: Bool) {
        guard let object = ofHooks ? hooksObject : topObject else { return }
        let all = members(of: object)
        guard let index = all.firstIndex(where: { $0.name == name }) else { return }
        let member = all[index]
        if all.count == 1 {
            // The object's only member: the object becomes `{}`.
            bytes.removeSubrange((object.lowerBound + 1)..<(object.upperBound - 1))
        } else if index + 1 < all.count {
            bytes.removeSubrange(member.key.lowerBound..<all[index + 1].key.lowerBound)
        } else {
            bytes.removeSubrange(all[index - 1].value.upperBound..<member.value.upperBound)
        }
    }

    mutating func append(_ group: Group) {
        guard let top = topObject else { return }
        let multiline = bytes[top].contains(0x0A) || members(of: top).isEmpty
        let unit = indentUnit
        /// `[group]`, spread over lines like the file's own lists when the file is.
        func list(_ indent: String) -> String {
            multiline ? "[\n" + indent + unit + group.json + "\n" + indent + "]" : "[" + group.json + "]"
        }
        func memberIndent(_ object: Range<Int>) -> String {
            if let last = members(of: object).last { return lineIndent(at: last.key.lowerBound) }
            return lineIndent(at: object.lowerBound) + unit
        }
        if let hooks = hooksObject {
            if let member = members(of: hooks).first(where: { $0.name == group.event }),
               bytes[member.value.lowerBound] == UInt8(ascii: "[") {
                insert(group.json, intoContainer: member.value, last: elements(of: member.value).last, multiline: multiline)
            } else {
                let indent = memberIndent(hooks)
                insert(Self.quoted(group.event) + ": " + list(indent), intoContainer: hooks,
                       last: members(of: hooks).last?.value, multiline: multiline)
            }
        } else {
            let indent = memberIndent(top)
            let inner = indent + unit
            let object = multiline
                ? "{\n" + inner + Self.quoted(group.event) + ": " + list(inner) + "\n" + indent + "}"
                : "{" + Self.quoted(group.event) + ": " + list("") + "}"
            insert(Self.quoted("hooks") + ": " + object, intoContainer: top, last: members(of: top).last?.value,
                   multiline: multiline)
        }
    }

    /// Inserts `text` as the last child of the container, spaced like its existing children (a new
    /// line with their indentation), or one indentation step inside an empty one.
    mutating func insert(_ text: String, intoContainer container: Range<Int>, last: Range<Int>?, multiline: Bool) {
        let close = container.upperBound - 1
        if let last {
            let spacing = childSpacing(of: container)
            bytes.replaceSubrange(last.upperBound..<last.upperBound, with: Array(("," + spacing + text).utf8))
        } else {
            let outer = lineIndent(at: container.lowerBound)
            let inner = multiline ? "\n" + outer + indentUnit : ""
            let closing = multiline ? "\n" + outer : ""
            bytes.replaceSubrange((container.lowerBound + 1)..<close, with: Array((inner + text + closing).utf8))
        }
    }

    /// What separates two children of the container: the spacing before its last child.
    func childSpacing(of container: Range<Int>) -> String {
        let children = bytes[container.lowerBound] == UInt8(ascii: "{")
            ? members(of: container).map(\.key) : elements(of: container)
        guard let last = children.last else { return " " }
        var i = last.lowerBound
        while i > container.lowerBound, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[i - 1]) { i -= 1 }
        let spacing = String(decoding: bytes[i..<last.lowerBound], as: UTF8.self)
        return spacing.isEmpty ? (children.count > 1 ? "" : " ") : spacing
    }

    /// The indentation of the line that holds `index`.
    func lineIndent(at index: Int) -> String {
        var start = index
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The file's indentation step: that of its first indented line, else two spaces.
    var indentUnit: String {
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                var j = i + 1
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j > i + 1 { return String(decoding: bytes[(i + 1)..<j], as: UTF8.self) }
            }
            i += 1
        }
        return "  "
    }

    // MARK: text

    /// A JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func describe(_ error: Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            let underlying = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            return underlying
        }
        if case DecodingError.typeMismatch = error { return "the top level is not an object" }
        return "\(error)"
    }
}

/// Any JSON value, decoded only to check that a settings file is valid JSON.
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}
