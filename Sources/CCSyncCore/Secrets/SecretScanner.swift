/// Finds high-confidence secrets (private keys, cloud and API tokens; see `SecretKind`) in raw bytes,
/// and replaces them with a marker.
///
/// Built for session logs: one pass over the bytes, no decoding of UTF-8 or JSON, no `String` per line
/// and no regular expressions. Candidates are found by a table indexed by two bytes (the first two of
/// every known prefix), so ordinary text costs one table load per byte; a format's own rules run only
/// where its prefix stands. Tokens inside JSON strings, after JSON escapes (`\n`) and several to a
/// line are found; a finding never holds or prints the secret.
///
/// Redaction replaces each secret by `[REDACTED:<kind id>]` (ASCII letters, `-`, `:` and brackets: no
/// format can match it, and it is not a `{{NAME}}` placeholder) and keeps every other byte, including
/// the raw newlines inside a multi-line key block, so line numbers after it do not move.
public enum SecretScanner {
    /// Every secret in `bytes`, in order, not overlapping.
    public static func scan(_ bytes: [UInt8]) -> [SecretFinding] {
        bytes.withUnsafeBufferPointer { scan($0) }
    }

    public static func scan(_ p: UnsafeBufferPointer<UInt8>) -> [SecretFinding] {
        var findings: [SecretFinding] = []
        let n = p.count
        guard n >= 2 else { return findings }
        let index = CandidateIndex.shared
        var line = 1
        var counted = 0
        var lastEnd = 0
        index.table.withUnsafeBufferPointer { table in
            var i = 0
            var pair = Int(p[0])
            while i < n - 1 {
                pair = (pair << 8 | Int(p[i + 1])) & 0xFFFF
                let slot = table[pair]
                if slot == 0 {
                    i += 1
                    continue
                }
                guard let (kind, found) = match(p, at: i, index.groups[Int(slot) - 1]) else {
                    i += 1
                    continue
                }
                let range = max(found.lowerBound, lastEnd)..<found.upperBound
                line += newlines(p, from: counted, to: range.lowerBound)
                counted = range.lowerBound
                findings.append(SecretFinding(kind: kind, line: line, range: range))
                lastEnd = range.upperBound
                i = range.upperBound
                if i < n { pair = Int(p[i]) }
            }
        }
        return findings
    }

    /// `bytes` with every secret replaced by its marker; the same bytes when there is none.
    ///
    /// Idempotent, and `scan` finds nothing in the result. Taking a secret out can let a neighbour
    /// that its first byte kept from matching (`glpat-` + 20 characters run straight into
    /// `-----BEGIN …`) stand alone, so redaction repeats until a scan is empty. That ends: markers hold
    /// no prefix and no format's characters reach into one, so each round shrinks the unmarked bytes.
    public static func redact(_ bytes: [UInt8]) -> [UInt8] {
        var current = bytes
        var findings = scan(current)
        while !findings.isEmpty {
            current = replacing(findings, in: current)
            findings = scan(current)
        }
        return current
    }

    /// The bytes that stand in for a secret of `kind`.
    public static func marker(for kind: SecretKind) -> [UInt8] {
        Array("[REDACTED:\(kind.id)]".utf8)
    }

    static func replacing(_ findings: [SecretFinding], in bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0
        for finding in findings {
            out.append(contentsOf: bytes[copied..<finding.range.lowerBound])
            out.append(contentsOf: marker(for: finding.kind))
            for byte in bytes[finding.range] where byte == 0x0A { out.append(byte) }
            copied = finding.range.upperBound
        }
        out.append(contentsOf: bytes[copied...])
        return out
    }

    @inline(__always)
    private static func match(
        _ p: UnsafeBufferPointer<UInt8>, at i: Int, _ candidates: [SecretPattern]
    ) -> (SecretKind, Range<Int>)? {
        for pattern in candidates {
            let prefix = pattern.prefix
            guard i + prefix.count <= p.count else { continue }
            var same = true
            for k in 2..<prefix.count where p[i + k] != prefix[k] {
                same = false
                break
            }
            guard same, SecretPattern.allowsStart(p, at: i, leading: pattern.leading),
                  let range = pattern.match(p, i, i + prefix.count) else { continue }
            return (pattern.kind, range)
        }
        return nil
    }

    private static func newlines(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var count = 0
        var i = start
        while let hit = firstIndex(of: 0x0A, in: p, from: i, to: end) {
            count += 1
            i = hit + 1
        }
        return count
    }
}

/// The catalog's patterns grouped by the first two bytes of their prefix, longest prefix first within a
/// group (so `sk-ant-api03-` is tried before `sk-`); `table[b0 << 8 | b1]` is a group's number plus one.
private struct CandidateIndex: Sendable {
    let table: [UInt8]
    let groups: [[SecretPattern]]

    static let shared = CandidateIndex(SecretPattern.catalog)

    init(_ patterns: [SecretPattern]) {
        var table = [UInt8](repeating: 0, count: 1 << 16)
        var groups: [[SecretPattern]] = []
        for pattern in patterns.sorted(by: { $0.prefix.count > $1.prefix.count }) {
            precondition(pattern.prefix.count >= 2, "a secret prefix has two bytes at least")
            let key = Int(pattern.prefix[0]) << 8 | Int(pattern.prefix[1])
            if table[key] == 0 {
                groups.append([])
                table[key] = UInt8(groups.count)
            }
            groups[Int(table[key]) - 1].append(pattern)
        }
        self.table = table
        self.groups = groups
    }
}
