/// Text from a log made fit for one line of a terminal: titles in `list`, excerpts in `textconv`.
///
/// Conversations hold newlines, tabs, terminal colour codes from tool output and the odd control byte;
/// printed raw they would break a table row or a `git log -p` line, or recolour the user's terminal.
enum ReadableText {
    /// `text` on one line: whitespace runs become one space, ANSI escape sequences are dropped, other
    /// control characters become U+FFFD; at most `limit` characters, the last one `…` when text was cut
    /// here or `more` says the source went on.
    static func oneLine(_ text: String, limit: Int, more: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        var kept = 0
        var pendingSpace = false
        var cut = false
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "\u{1B}" {
                skipEscapeSequence(&scalars)
                continue
            }
            if isWhitespace(scalar) {
                pendingSpace = kept > 0
                continue
            }
            // A character is at least one scalar: past a few times the limit in scalars, the rest can only
            // be cut off (combining marks aside, which then end a little early).
            if kept >= 4 * limit {
                cut = true
                break
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(isControl(scalar) ? "\u{FFFD}" : scalar)
            kept += 1
        }
        return truncated(String(out), limit: limit, more: more || cut)
    }

    /// At most `limit` characters, ending in `…` if anything was cut or `more` is set.
    static func truncated(_ text: String, limit: Int, more: Bool = false) -> String {
        guard limit > 1 else { return String(text.prefix(limit)) }
        let count = text.count
        if count > limit || (more && count == limit) {
            // "details and…", not "details and …".
            var kept = text.prefix(limit - 1)
            while kept.last == " " { kept.removeLast() }
            return kept + "…"
        }
        return more && !text.isEmpty ? text + "…" : text
    }

    /// The first line of `text` that holds more than whitespace (tool output often starts blank), and
    /// whether anything but whitespace follows it.
    static func firstLine(_ text: String) -> (line: Substring, more: Bool) {
        var rest = text[...]
        while !rest.isEmpty {
            let end = rest.unicodeScalars.firstIndex(where: isNewline) ?? rest.endIndex
            let line = rest[..<end]
            rest = end < rest.endIndex ? rest[rest.unicodeScalars.index(after: end)...] : rest[rest.endIndex...]
            if line.unicodeScalars.contains(where: { !isWhitespace($0) }) {
                return (line, rest.unicodeScalars.contains { !isWhitespace($0) })
            }
        }
        return ("", false)
    }

    /// Raw bytes shown safely, for lines that are not JSON: UTF-8 where it is valid (U+FFFD elsewhere),
    /// NUL as `\0`, other control bytes as `\xNN`, so padding and garbage are visible but harmless.
    static func bytes(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        for scalar in String(decoding: Array(bytes), as: UTF8.self).unicodeScalars {
            if scalar == "\0" {
                out += "\\0"
            } else if isControl(scalar) || scalar == "\n" || scalar == "\t" || scalar == "\r" {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    @inline(__always)
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (0x09...0x0D).contains(v) }
        return scalar.properties.isWhitespace
    }

    /// C0 and C1 controls and DEL, whitespace aside.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }

    /// Consumes the rest of an escape sequence after ESC: CSI (`ESC [ ... final`) such as colours, OSC
    /// (`ESC ] ... BEL or ESC \`) such as titles and links, or a single following character.
    private static func skipEscapeSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
        guard let introducer = scalars.next() else { return }
        switch introducer {
        case "[":
            while let s = scalars.next() {
                if (0x40...0x7E).contains(s.value) { return }
            }
        case "]":
            var previous: Unicode.Scalar = " "
            while let s = scalars.next() {
                if s == "\u{07}" || (previous == "\u{1B}" && s == "\\") { return }
                previous = s
            }
        default:
            return
        }
    }
}
