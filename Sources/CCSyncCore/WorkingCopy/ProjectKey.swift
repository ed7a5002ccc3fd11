/// The folder name of a project in the repository: `projects/<key>/`.
///
/// Derived from the *portable* form of the project's cwd (`{{PROJECTS}}/shop`), never from one
/// machine's path, so every machine computes the same key: a readable part (`PROJECTS-shop`) and a
/// hash of the whole portable form, which keeps `my_app` and `my-app` apart. A cwd outside every
/// placeholder (`/srv/x`) gives a key starting with `_`: it is shared only by machines with that path.
public enum ProjectKey {
    public static func make(portableCwd: String) -> String {
        var bytes = Array(portableCwd.utf8)[...]
        var readable: [UInt8] = []
        if bytes.starts(with: Array("{{".utf8)), let close = bytes.firstRange(of: Array("}}".utf8)) {
            readable += bytes[(bytes.startIndex + 2)..<close.lowerBound]
            bytes = bytes[close.upperBound...]
        } else {
            readable.append(UInt8(ascii: "_"))
        }
        for c in bytes {
            let mapped: UInt8 = c.isASCIILetter || c.isASCIIDigit || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") ? c : UInt8(ascii: "-")
            if mapped == UInt8(ascii: "-"), readable.last == UInt8(ascii: "-") { continue }
            readable.append(mapped)
        }
        while readable.last == UInt8(ascii: "-") { readable.removeLast() }
        if readable.count > 80 { readable = Array(readable.prefix(80)) }
        return String(decoding: readable, as: UTF8.self) + "-" + fnv1a(portableCwd)
    }

    /// A key read back from the repository is used as a directory name: it must be one plain component.
    public static func isValid(_ key: String) -> Bool {
        guard !key.isEmpty, key.utf8.count <= 128, !key.hasPrefix(".") else { return false }
        return key.utf8.allSatisfy {
            $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    static func fnv1a(_ s: String) -> String {
        var h: UInt32 = 2_166_136_261
        for c in s.utf8 { h = (h ^ UInt32(c)) &* 16_777_619 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
