#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The union merge of two versions of a session log: "never lose a line".
///
/// A log is a sequence of uuid-keyed records that both machines only ever append to, so a conflict is two
/// sets of appended records, and the answer is both: ours, byte for byte, then every line of theirs whose
/// `RecordIdentity` ours does not already have, in theirs' order. With a common base that is base order,
/// then ours' new records, then theirs' new records. Nothing is decoded or re-serialised; the result never
/// holds conflict markers. This is the `ccsync-jsonl` git merge driver and the both-changed case of
/// sync-in/sync-out.
public enum JSONLMerge {
    /// Merges `ours` and `theirs`; `base` is their common ancestor, nil when there is none.
    ///
    /// - If one side equals the base, the other side is the answer (a whole-file rewrite by Claude then
    ///   wins too, as in any three-way merge).
    /// - Otherwise ours keeps every byte, including lines theirs lacks and records theirs holds in other
    ///   bytes (one record per uuid: ours wins). Theirs' lines follow, each identity at most once; empty
    ///   lines carry no record and are not appended. A `\n` goes after an unterminated last line of ours
    ///   before anything is appended, so two records never fuse; the appended last line keeps theirs'
    ///   ending.
    public static func merge(base: [UInt8]?, ours: [UInt8], theirs: [UInt8]) -> [UInt8] {
        if sameBytes(ours, theirs) { return ours }
        if let base {
            if sameBytes(ours, base) { return theirs }
            if sameBytes(theirs, base) { return ours }
        }
        return ours.withUnsafeBufferPointer { o in
            theirs.withUnsafeBufferPointer { t in union(o, t) }
        } ?? ours
    }

    /// Ours followed by theirs' lines that ours lacks; nil when there are none (the answer is ours).
    private static func union(_ ours: UnsafeBufferPointer<UInt8>, _ theirs: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let t = theirs.baseAddress, !theirs.isEmpty else { return nil }
        var seen = Set<Key>(minimumCapacity: count(newline, in: ours, upTo: ours.count) + 1)
        if let o = ours.baseAddress {
            forEachLine(ours) { line, _ in seen.insert(Key(o, line)) }
        }
        var appended: [Range<Int>] = []
        var appendedBytes = 0
        forEachLine(theirs) { line, withTerminator in
            guard !line.isEmpty, seen.insert(Key(t, line)).inserted else { return }
            appended.append(withTerminator)
            appendedBytes += withTerminator.count
        }
        guard !appended.isEmpty else { return nil }

        let needsNewline = !ours.isEmpty && ours[ours.count - 1] != newline
        var out: [UInt8] = []
        out.reserveCapacity(ours.count + (needsNewline ? 1 : 0) + appendedBytes)
        out.append(contentsOf: ours)
        if needsNewline { out.append(newline) }
        for range in appended {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: theirs[range]))
        }
        return out
    }

    /// Calls `body` with each line's range without its `\n` and with it (the last line may have none). A
    /// trailing `\n` ends the last line; it does not start an empty one.
    @inline(__always)
    private static func forEachLine(_ p: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Range<Int>) -> Void) {
        var start = 0
        while start < p.count {
            if let end = firstIndex(of: newline, in: p, from: start, to: p.count) {
                body(start..<end, start..<(end + 1))
                start = end + 1
            } else {
                body(start..<p.count, start..<p.count)
                return
            }
        }
    }

    private static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                guard let x = pa.baseAddress, let y = pb.baseAddress, x != y else { return true }
                return memcmp(x, y, pa.count) == 0
            }
        }
    }

    /// A line's identity as a view into the buffer it came from: no copy per line, hashed in bulk.
    /// Valid only while both inputs are pinned, which is the whole life of the set in `union`.
    private struct Key: Hashable {
        let isUUID: Bool
        let start: UnsafePointer<UInt8>
        let count: Int

        init(_ base: UnsafePointer<UInt8>, _ line: Range<Int>) {
            let p = UnsafeBufferPointer(start: base + line.lowerBound, count: line.count)
            if let uuid = RecordIdentity.uuidRange(in: p) {
                isUUID = true
                start = base + line.lowerBound + uuid.lowerBound
                count = uuid.count
            } else {
                isUUID = false
                start = base + line.lowerBound
                count = line.count
            }
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(isUUID)
            hasher.combine(bytes: UnsafeRawBufferPointer(start: start, count: count))
        }

        static func == (a: Key, b: Key) -> Bool {
            a.isUUID == b.isUUID && a.count == b.count && memcmp(a.start, b.start, a.count) == 0
        }
    }
}

private let newline = UInt8(ascii: "\n")
