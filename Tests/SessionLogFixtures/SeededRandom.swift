/// SplitMix64: a small seeded generator, so the generated logs are the same bytes on every run and machine.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func hex(_ count: Int) -> String {
        String((0..<count).map { _ in Self.hexDigits[below(16)] })
    }

    mutating func base62(_ count: Int) -> String {
        String((0..<count).map { _ in Self.base62Digits[below(62)] })
    }

    /// A version 4 UUID in lower case, as Claude Code writes them.
    mutating func uuid() -> String {
        let variant = Self.hexDigits[8 + below(4)]
        return "\(hex(8))-\(hex(4))-4\(hex(3))-\(variant)\(hex(3))-\(hex(12))"
    }

    private static let hexDigits = Array("0123456789abcdef")
    private static let base62Digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
}
