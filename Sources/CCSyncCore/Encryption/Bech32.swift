/// Bech32 (BIP 173), the encoding of age's keys: recipients are `age1...` (lower case), identities
/// `AGE-SECRET-KEY-1...` (the same encoding with the prefix `age-secret-key-`, written in upper case).
/// age does not apply BIP 173's 90-character limit, and neither does this.
enum Bech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let generator: [UInt32] = [0x3B6A_57B2, 0x2650_8E6D, 0x1EA1_19FA, 0x3D42_33DD, 0x2A14_62B3]

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        var check: UInt32 = 1
        for value in values {
            let top = check >> 25
            check = (check & 0x1FF_FFFF) << 5 ^ UInt32(value)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { check ^= generator[i] }
        }
        return check
    }

    private static func expand(_ prefix: [UInt8]) -> [UInt8] {
        prefix.map { $0 >> 5 } + [0] + prefix.map { $0 & 31 }
    }

    /// Regroups bits: 8-bit bytes into 5-bit groups (padding the last) or back (rejecting non-zero padding).
    private static func regroup(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0, bits = 0
        var out: [UInt8] = []
        let mask = (1 << to) - 1
        for value in data {
            guard Int(value) >> from == 0 else { return nil }
            accumulator = accumulator << from | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8(accumulator >> bits & mask))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8(accumulator << (to - bits) & mask)) }
        } else if bits >= from || (accumulator << (to - bits)) & mask != 0 {
            return nil
        }
        return out
    }

    /// `prefix` must be lower case; the result is lower case.
    static func encode(prefix: String, data: [UInt8]) -> String {
        let hrp = Array(prefix.utf8)
        let groups = regroup(data, from: 8, to: 5, pad: true)!
        let check = polymod(expand(hrp) + groups + [0, 0, 0, 0, 0, 0]) ^ 1
        let checksum = (0..<6).map { UInt8(check >> UInt32(5 * (5 - $0)) & 31) }
        return prefix + "1" + String(decoding: (groups + checksum).map { charset[Int($0)] }, as: UTF8.self)
    }

    /// The prefix (lower case) and data of `text`, or nil when it is not valid bech32. Mixed case is
    /// invalid; all upper case is read as lower case.
    static func decode(_ text: String) -> (prefix: String, data: [UInt8])? {
        let lower = text.lowercased()
        guard lower == text || text.uppercased() == text else { return nil }
        let bytes = Array(lower.utf8)
        guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")), separator >= 1,
              bytes.count - separator - 1 >= 6,
              bytes.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { return nil }
        let hrp = Array(bytes[..<separator])
        var values: [UInt8] = []
        for symbol in bytes[(separator + 1)...] {
            guard let value = charset.firstIndex(of: symbol) else { return nil }
            values.append(UInt8(value))
        }
        guard polymod(expand(hrp) + values) == 1,
              let data = regroup(Array(values.dropLast(6)), from: 5, to: 8, pad: false) else { return nil }
        return (String(decoding: hrp, as: UTF8.self), data)
    }
}
