/// git-ccsync's version: what `--version` prints and what each machine's registration records
/// (`MachineRecord`), so other machines can tell who may not understand the repository's form.
public enum CCSyncVersion {
    public static let string = "0.2.0"

    /// The first version that reads sessions kept in parts (`SessionParts`). Builds before it call
    /// themselves 0.1.0 and write no `version` into their machine record, so a record without one was
    /// last written by an older version.
    public static let sessionParts = "0.2.0"

    /// Whether `version` comes before `other`, comparing dot-separated numbers (`0.9` < `0.10`); a part
    /// that is not a number counts as 0.
    public static func isOlder(_ version: String, than other: String) -> Bool {
        func numbers(_ text: String) -> [Int] {
            text.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        }
        var (a, b) = (numbers(version), numbers(other))
        let count = max(a.count, b.count)
        a += Array(repeating: 0, count: count - a.count)
        b += Array(repeating: 0, count: count - b.count)
        return a.lexicographicallyPrecedes(b)
    }
}
