/// The on-disk form of `SyncState`: one record per line, fields separated by spaces, paths
/// percent-escaped (so a name with a space, a newline or any byte round-trips), numbers in decimal.
///
///     ccsync-state 1
///     dirty <folder>                  (or "dirty-all" when unknown)
///     cwd <folder> <cwd>
///     file <hash> <store stat> <work stat> <path>     (a stat is "-" or <kind><size>.<mtime ns>.<inode>)
///
/// Unknown line kinds are skipped, so a newer version's extra lines do not lose the rest; a file whose
/// first line is not the header is not ours and reads as no state at all.
enum SyncStateFile {
    static let header = "ccsync-state 1"

    static func encode(_ state: SyncState) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(128 + state.files.count * 160)
        func line(_ fields: [String]) {
            out.append(contentsOf: fields.joined(separator: " ").utf8)
            out.append(0x0A)
        }
        line([header])
        if let dirty = state.dirty {
            for folder in dirty.sorted() { line(["dirty", escape(folder)]) }
        } else {
            line(["dirty-all"])
        }
        for (folder, cwd) in state.folderCwds.sorted(by: { $0.key < $1.key }) {
            line(["cwd", escape(folder), escape(cwd)])
        }
        for (path, record) in state.files.sorted(by: { $0.key < $1.key }) {
            line(["file", escape(record.hash), stat(record.storeStat), stat(record.workStat), escape(path)])
        }
        return out
    }

    /// nil when `bytes` is not a state file.
    static func decode(_ bytes: [UInt8]) -> SyncState? {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: true)[...]
        guard let first = lines.popFirst(), String(decoding: first, as: UTF8.self) == header else { return nil }
        var state = SyncState()
        var dirty: Set<String>? = []
        for line in lines {
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
            switch String(decoding: fields[0], as: UTF8.self) {
            case "dirty-all":
                dirty = nil
            case "dirty" where fields.count == 2:
                dirty?.insert(unescape(fields[1]))
            case "cwd" where fields.count == 3:
                state.folderCwds[unescape(fields[1])] = unescape(fields[2])
            case "file" where fields.count == 5:
                state.files[unescape(fields[4])] = .init(hash: unescape(fields[1]), storeStat: stat(fields[2]),
                                                         workStat: stat(fields[3]))
            default:
                continue
            }
        }
        state.dirty = dirty
        return state
    }

    // MARK: fields

    static let kinds: [(FileStat.Kind, UInt8)] = [(.regular, 0x72), (.directory, 0x64), (.symlink, 0x6C), (.other, 0x6F)]

    static func stat(_ value: FileStat?) -> String {
        guard let value, let letter = kinds.first(where: { $0.0 == value.kind })?.1 else { return "-" }
        return String(UnicodeScalar(letter)) + "\(value.size).\(value.mtimeNanoseconds).\(value.inode)"
    }

    static func stat(_ field: ArraySlice<UInt8>) -> FileStat? {
        guard let letter = field.first, let kind = kinds.first(where: { $0.1 == letter })?.0 else { return nil }
        let numbers = field.dropFirst().split(separator: 0x2E, omittingEmptySubsequences: false)
        guard numbers.count == 3, let size = Int64(String(decoding: numbers[0], as: UTF8.self)),
              let mtime = Int64(String(decoding: numbers[1], as: UTF8.self)),
              let inode = UInt64(String(decoding: numbers[2], as: UTF8.self)) else { return nil }
        return FileStat(kind: kind, size: size, mtimeNanoseconds: mtime, inode: inode)
    }

    /// Percent-escapes the separators (space, newline), every other control byte and `%` itself.
    static func escape(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(where: needsEscape) else { return text }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 8)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if needsEscape(byte) {
                out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func needsEscape(_ byte: UInt8) -> Bool { byte <= 0x20 || byte == 0x25 || byte == 0x7F }

    static func unescape(_ field: ArraySlice<UInt8>) -> String {
        guard field.contains(0x25) else { return String(decoding: field, as: UTF8.self) }
        var out = [UInt8]()
        var i = field.startIndex
        while i < field.endIndex {
            if field[i] == 0x25, field.endIndex - i >= 3, let high = hexValue(field[i + 1]), let low = hexValue(field[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(field[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
