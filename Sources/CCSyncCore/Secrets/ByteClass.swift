/// A set of ASCII bytes as two 64-bit masks: a membership test is a shift and a mask, with no table
/// to load. Bytes of 0x80 and above are never members.
struct ByteClass: Sendable {
    let low: UInt64
    let high: UInt64

    init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    init(_ ranges: ClosedRange<Unicode.Scalar>..., plus extra: String = "") {
        var low: UInt64 = 0
        var high: UInt64 = 0
        func add(_ b: UInt8) {
            if b < 64 { low |= 1 << UInt64(b) } else if b < 128 { high |= 1 << UInt64(b - 64) }
        }
        for range in ranges {
            for b in UInt8(ascii: range.lowerBound)...UInt8(ascii: range.upperBound) { add(b) }
        }
        for b in extra.utf8 { add(b) }
        self.init(low: low, high: high)
    }

    @inline(__always)
    func contains(_ c: UInt8) -> Bool {
        if c < 64 { return (low >> UInt64(c)) & 1 != 0 }
        if c < 128 { return (high >> UInt64(c &- 64)) & 1 != 0 }
        return false
    }

    static func | (a: ByteClass, b: ByteClass) -> ByteClass {
        ByteClass(low: a.low | b.low, high: a.high | b.high)
    }

    /// The end of the run of members starting at `i`, looking at no more than `limit` bytes.
    @inline(__always)
    func runEnd(_ p: UnsafeBufferPointer<UInt8>, from i: Int, limit: Int) -> Int {
        let stop = limit >= p.count - i ? p.count : i + limit
        var j = i
        while j < stop, contains(p[j]) { j += 1 }
        return j
    }

    /// The number of distinct members in `p[range]`: a run of one repeated character
    /// (`hf_xxxxxxxx…`, `AKIAXXXXXXXX…`) is a placeholder, not a token.
    static func distinctCount(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for k in range {
            let c = p[k]
            if c < 64 { low |= 1 << UInt64(c) } else if c < 128 { high |= 1 << UInt64(c &- 64) }
        }
        return low.nonzeroBitCount + high.nonzeroBitCount
    }

    static let none = ByteClass(low: 0, high: 0)
    static let digits = ByteClass("0"..."9")
    static let upperAlnum = ByteClass("A"..."Z", "0"..."9")
    static let letters = ByteClass("A"..."Z", "a"..."z")
    static let alnum = ByteClass("A"..."Z", "a"..."z", "0"..."9")
    static let word = ByteClass("A"..."Z", "a"..."z", "0"..."9", plus: "_")
    static let wordDash = ByteClass("A"..."Z", "a"..."z", "0"..."9", plus: "_-")
    static let alnumDash = ByteClass("A"..."Z", "a"..."z", "0"..."9", plus: "-")
    static let lowerAlnum = ByteClass("a"..."z", "0"..."9")
    static let lowerHex = ByteClass("0"..."9", "a"..."f")
    static let hex = ByteClass("0"..."9", "a"..."f", "A"..."F")
    static let base64 = ByteClass("A"..."Z", "a"..."z", "0"..."9", plus: "+/=")
    /// Bech32's 32 data characters, upper case (age writes its secret keys upper case).
    static let bech32Upper = ByteClass(plus: "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L")
    /// What may not stand right before a bare token like `AKIA…`: word characters, and the `+` and `/`
    /// of standard base64, so a blob of base64 does not yield one by chance.
    static let wordBase64 = ByteClass("A"..."Z", "a"..."z", "0"..."9", plus: "_+/")
}
