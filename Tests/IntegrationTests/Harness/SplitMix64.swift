import Foundation

/// A small seeded pseudo-random generator (SplitMix64), so that a failing stress or crash trial can be
/// run again exactly: the tests print their seed and take it back from the environment.
/// (`SystemRandomNumberGenerator` cannot be seeded.)
struct SplitMix64: RandomNumberGenerator {
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A fraction in [0, 1).
    mutating func fraction() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    /// The seed from `variable` (decimal or 0x-hex), else one from the clock; printed either way by callers.
    static func seed(from variable: String, environment: [String: String]) -> UInt64 {
        if let text = environment[variable]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if text.lowercased().hasPrefix("0x"), let value = UInt64(text.dropFirst(2), radix: 16) { return value }
            if let value = UInt64(text) { return value }
        }
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        return UInt64(clock.tv_sec) &* 1_000_000_007 &+ UInt64(clock.tv_nsec)
    }
}
