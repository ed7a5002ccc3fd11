#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A file's encrypted repository form with each line's plaintext beside its ciphertext: what the clean
/// filter keeps unchanged lines from, and what smudge, the merge driver and textconv read.
public struct DecryptedLines {
    private let cipher: [UInt8]
    private var cipherRanges: [Range<Int>] = []
    private var plains: [Data] = []
    private var terminated: [Bool] = []

    init(cipher: [UInt8]) { self.cipher = cipher }

    mutating func append(cipherRange: Range<Int>, plain: Data, terminated isTerminated: Bool) {
        cipherRanges.append(cipherRange)
        plains.append(plain)
        terminated.append(isTerminated)
    }

    public var count: Int { plains.count }

    /// The ciphertext of line `index` (0-based), without its `\n`.
    public func cipherLine(_ index: Int) -> ArraySlice<UInt8> { cipher[cipherRanges[index]] }

    public func plainLine(_ index: Int) -> Data { plains[index] }

    func plainLineEquals(_ index: Int, _ line: UnsafeRawBufferPointer) -> Bool {
        let plain = plains[index]
        guard plain.count == line.count else { return false }
        return plain.withUnsafeBytes { $0.elementsEqual(line) }
    }

    /// The whole plaintext file, each line followed by `\n` where the ciphertext had one.
    public var plaintext: [UInt8] {
        var out: [UInt8] = []
        writePlaintext(into: &out)
        return out
    }

    public func writePlaintext(into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(cipher.count * 3 / 4)
        for i in plains.indices {
            out.append(contentsOf: plains[i])
            if terminated[i] { out.append(0x0A) }
        }
    }
}
