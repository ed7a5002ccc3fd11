#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The folder Claude Code keeps a project's sessions in: `~/.claude/projects/<folder>/`.
///
/// The absolute cwd in Unicode NFC, every UTF-16 code unit that is not an ASCII letter or digit replaced
/// by `-` (`/home/a/my_app` → `-home-a-my-app`, `C:\Users\x` → `C--Users-x`, an emoji → `--`). Names
/// longer than 200 keep their first 200 characters plus `-` and the base-36 absolute value of the path's
/// Java-style 32-bit string hash. The name cannot be decoded: the real cwd is the `cwd` field of the log.
public enum ProjectFolderName {
    public static let maxLength = 200

    public static func make(cwd: String) -> String {
        // NFC through the standard library (the UTF-8 it hashes and compares strings by), not Foundation.
        let path = String(decoding: cwd._nfcCodeUnits, as: UTF8.self)
        var units: [UInt8] = []
        units.reserveCapacity(path.utf16.count)
        for unit in path.utf16 {
            if unit < 0x80, UInt8(unit).isASCIILetter || UInt8(unit).isASCIIDigit {
                units.append(UInt8(unit))
            } else {
                units.append(UInt8(ascii: "-"))
            }
        }
        guard units.count > maxLength else { return String(decoding: units, as: UTF8.self) }
        let hash = Int64(javaHash(path)).magnitude
        return String(decoding: units.prefix(maxLength), as: UTF8.self) + "-" + String(hash, radix: 36)
    }

    /// `h = h * 31 + unit` over UTF-16 code units, wrapping at 32 bits (Java's `String.hashCode`).
    static func javaHash(_ s: String) -> Int32 {
        var h: Int32 = 0
        for unit in s.utf16 { h = h &* 31 &+ Int32(unit) }
        return h
    }
}
