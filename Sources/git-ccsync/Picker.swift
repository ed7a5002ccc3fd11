import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The interactive session picker: arrow keys move, typing filters, Enter picks, Esc (or Ctrl-C) quits.
/// Drawn on the terminal (`/dev/tty`) in raw mode; the terminal is restored however it ends.
struct Picker {
    struct Item {
        let id: String
        let line: String
        /// Lower-cased text the filter matches against.
        let haystack: String
    }

    let items: [Item]
    let title: String

    /// The chosen id, or nil when the user quit.
    func run() -> String? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let rawMode = Terminal.RawMode(fd: fd) else { return nil }
        defer {
            rawMode.restore()
            Self.write(fd, "\u{1B}[?25h")
        }
        var filter = ""
        var selected = 0
        var rows = 20
        let size = Terminal.size(fd)
        if let size, size.rows > 6 { rows = size.rows - 4 }
        let columns = size?.columns ?? 0
        let width = columns >= 40 ? columns : 80
        var drawnLines = 0
        while true {
            let visible = filter.isEmpty ? items : items.filter { item in
                filter.lowercased().split(separator: " ").allSatisfy { item.haystack.contains($0) }
            }
            selected = min(selected, max(visible.count - 1, 0))
            let top = max(0, selected - rows + 1)
            var screen = drawnLines > 0 ? "\u{1B}[\(drawnLines)A\r" : ""
            screen += "\u{1B}[?25l\u{1B}[J"
            screen += "\(title)  (↑/↓ move, type to filter, Enter resume, Esc quit)\r\n"
            screen += "> \(filter)\r\n"
            var lines = 2
            for (index, item) in visible.enumerated().dropFirst(top).prefix(rows) {
                let text = String(item.line.prefix(width - 3))
                screen += (index == selected ? "\u{1B}[7m> \(text)\u{1B}[0m" : "  \(text)") + "\r\n"
                lines += 1
            }
            if visible.isEmpty { screen += "  (no session matches)\r\n"; lines += 1 }
            Self.write(fd, screen)
            drawnLines = lines
            guard let key = Self.readKey(fd) else { return nil }
            switch key {
            case .up: selected = max(selected - 1, 0)
            case .down: selected = min(selected + 1, max(visible.count - 1, 0))
            case .pageUp: selected = max(selected - rows, 0)
            case .pageDown: selected = min(selected + rows, max(visible.count - 1, 0))
            case .enter:
                guard !visible.isEmpty else { continue }
                Self.write(fd, "\u{1B}[\(drawnLines)A\r\u{1B}[J")
                return visible[selected].id
            case .escape:
                Self.write(fd, "\u{1B}[\(drawnLines)A\r\u{1B}[J")
                return nil
            case .backspace:
                if !filter.isEmpty { filter.removeLast() }
                selected = 0
            case .text(let c):
                filter.append(c)
                selected = 0
            }
        }
    }

    enum Key { case up, down, pageUp, pageDown, enter, escape, backspace, text(Character) }

    static func readKey(_ fd: Int32) -> Key? {
        guard let byte = readByte(fd) else { return nil }
        switch byte {
        case 0x0D, 0x0A: return .enter
        case 0x03, 0x04: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x1B:
            // A lone Esc, or an escape sequence for the arrow keys (ESC [ A / ESC O A ...).
            var fds = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&fds, 1, 50) > 0, let next = readByte(fd), next == UInt8(ascii: "[") || next == UInt8(ascii: "O"),
                  let code = readByte(fd) else { return .escape }
            switch code {
            case UInt8(ascii: "A"): return .up
            case UInt8(ascii: "B"): return .down
            case UInt8(ascii: "5"): _ = readByte(fd); return .pageUp
            case UInt8(ascii: "6"): _ = readByte(fd); return .pageDown
            default: return readKey(fd)
            }
        default:
            if byte < 0x20 { return readKey(fd) }
            var bytes = [byte]
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            while bytes.count < length, let more = readByte(fd) { bytes.append(more) }
            return String(decoding: bytes, as: UTF8.self).first.map(Key.text) ?? readKey(fd)
        }
    }

    static func readByte(_ fd: Int32) -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n == 1 { return byte }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    static func write(_ fd: Int32, _ text: String) {
        Platform.write(fd, Array(text.utf8))
    }
}
