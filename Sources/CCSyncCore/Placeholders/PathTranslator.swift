#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The translation engine: pure functions over bytes between a machine's working form (its real paths)
/// and the portable repository form (`{{NAME}}` placeholders).
///
/// Guarantees, for the map it was built with:
/// - `smudge(clean(y)) == y` for every byte string `y`;
/// - `clean(smudge(x)) == x` for every `x` that `clean` produced; `clean` is deterministic and idempotent;
/// - literal placeholder text survives on every machine (`{{PROJECTS}}` is stored as `{{=PROJECTS}}`);
/// - newline bytes map one to one, so a line of one form is a line of the other.
///
/// Nothing here decodes UTF-8 or JSON: invalid UTF-8, NULs, and lines of any length pass through.
public struct PathTranslator: Sendable {
    public let map: PlaceholderMap

    private struct Candidate: Sendable {
        let spelling: [UInt8]
        let token: [UInt8]
    }

    /// Candidates for clean, indexed by first byte, in match order.
    private let candidates: [[Candidate]]
    /// Bytes at which clean has to look closer: `{` and every spelling's first byte.
    private let interesting: [Bool]
    /// For smudge: each name's bytes and its path.
    private let names: [([UInt8], LocalPath)]

    public init(map: PlaceholderMap) {
        self.map = map
        var candidates = [[Candidate]](repeating: [], count: 256)
        var interesting = [Bool](repeating: false, count: 256)
        interesting[Int(UInt8(ascii: "{"))] = true
        for entry in map.entries {
            for (modifiers, spelling) in entry.path.spellings() {
                let token = PlaceholderToken.encode(name: Array(entry.name.utf8), modifiers: modifiers)
                candidates[Int(spelling[0])].append(Candidate(spelling: spelling, token: token))
                interesting[Int(spelling[0])] = true
            }
        }
        self.candidates = candidates
        self.interesting = interesting
        self.names = map.entries.map { (Array($0.name.utf8), $0.path) }
    }

    // MARK: clean

    /// Working form to repository form.
    public func clean(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBufferPointer { clean($0) }
    }

    public func clean(_ p: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(p.count + p.count / 64)
        cleanAppending(p, from: 0, to: &out)
        return out
    }

    /// Working form to repository form, keeping the stored form of every leading line that is unchanged.
    ///
    /// Another machine's map can disagree with ours about a string (a Mac path pasted into a Linux
    /// conversation is raw on Linux, but a `{{PROJECTS}}` path for the Mac). A pure clean on the Mac would
    /// rewrite such lines and `git status` would show a checkout as modified. So the lines at the start of
    /// the working file that are exactly what `previous` (the index's blob) smudges to keep `previous`'s
    /// bytes; only what follows is translated. `smudge` of the result is still `input`.
    public func clean(_ input: [UInt8], keepingLinesOf previous: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        var scratch: [UInt8] = []
        clean(input, keepingLinesOf: previous, into: &out, scratch: &scratch)
        return out
    }

    /// The same into caller-owned buffers (emptied first, capacity kept): a filter process that
    /// translates thousands of files reuses its memory instead of faulting in fresh pages for each.
    public func clean(_ input: [UInt8], keepingLinesOf previous: [UInt8]?, into out: inout [UInt8],
                      scratch smudged: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        input.withUnsafeBufferPointer { w in
            out.reserveCapacity(w.count + w.count / 64)
            guard let previous, !previous.isEmpty else {
                cleanAppending(w, from: 0, to: &out)
                return
            }
            previous.withUnsafeBufferPointer { prev in smudge(prev, into: &smudged) }
            smudged.withUnsafeBufferPointer { s in
                previous.withUnsafeBufferPointer { prev in
                    let common = commonPrefixLength(w, s)
                    if common == s.count && common == w.count {
                        out.append(contentsOf: prev)
                        return
                    }
                    // Keep whole lines only: a token or a path never spans a newline, and newline bytes map
                    // one to one, so the k-th newline of `smudged` is the k-th newline of `previous`.
                    guard let lastNewline = lastIndex(of: 0x0A, in: s, before: common) else {
                        cleanAppending(w, from: 0, to: &out)
                        return
                    }
                    let lines = count(0x0A, in: s, upTo: lastNewline + 1)
                    let keep = indexAfterNewline(number: lines, in: prev)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: prev[0..<keep]))
                    cleanAppending(w, from: lastNewline + 1, to: &out)
                }
            }
        }
    }

    private func cleanAppending(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to out: inout [UInt8]) {
        let n = p.count
        var i = start
        var runStart = start
        interesting.withUnsafeBufferPointer { interesting in
            while i < n {
                let c = p[i]
                if !interesting[Int(c)] { i += 1; continue }
                if c == UInt8(ascii: "{") {
                    if i + 1 < n, p[i + 1] == UInt8(ascii: "{"), let token = PlaceholderToken.parse(p, at: i) {
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i]))
                        out.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "{"), UInt8(ascii: "=")])
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[(i + 2)..<token.end]))
                        i = token.end
                        runStart = i
                        continue
                    }
                    if candidates[Int(c)].isEmpty { i += 1; continue }
                }
                if PathBoundary.allowsStart(p, at: i), let match = matchCandidate(p, at: i) {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i]))
                    out.append(contentsOf: match.token)
                    i += match.spelling.count
                    runStart = i
                    continue
                }
                i += 1
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<n]))
    }

    @inline(__always)
    private func matchCandidate(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Candidate? {
        for candidate in candidates[Int(p[i])] {
            let len = candidate.spelling.count
            guard i + len <= p.count else { continue }
            let equal = candidate.spelling.withUnsafeBufferPointer { s in
                memcmp(s.baseAddress!, p.baseAddress! + i, len) == 0
            }
            if equal, PathBoundary.allowsEnd(p, at: i + len) { return candidate }
        }
        return nil
    }

    // MARK: smudge

    /// Repository form to working form. A token whose name this machine has no path for is left as it
    /// is (the caller reports unmapped names); escaped literals lose one `=`.
    public func smudge(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBufferPointer { smudge($0) }
    }

    public func smudge(_ p: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        smudge(p, into: &out)
        return out
    }

    /// Smudge into a caller-owned buffer (emptied first, capacity kept).
    public func smudge(_ p: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let n = p.count
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(n + n / 32)
        var i = 0
        var runStart = 0
        while i + 1 < n {
            guard let found = firstIndex(of: UInt8(ascii: "{"), in: p, from: i, to: n - 1) else { break }
            i = found
            guard p[i + 1] == UInt8(ascii: "{"), let token = PlaceholderToken.parse(p, at: i) else {
                i += 1
                continue
            }
            if token.equals > 0 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<(i + 2)]))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[(i + 3)..<token.end]))
            } else if let path = path(named: p, token.name) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i]))
                out.append(contentsOf: path.spelled(token.modifiers))
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<token.end]))
            }
            i = token.end
            runStart = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<n]))
    }

    @inline(__always)
    private func path(named p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> LocalPath? {
        for (name, path) in names where name.count == range.count {
            let equal = name.withUnsafeBufferPointer { memcmp($0.baseAddress!, p.baseAddress! + range.lowerBound, range.count) == 0 }
            if equal { return path }
        }
        return nil
    }

    /// Names used by tokens in `input` that this machine has no path for.
    public func unmappedNames(in input: [UInt8]) -> Set<String> {
        input.withUnsafeBufferPointer { p in
            var result = Set<String>()
            var i = 0
            while i + 1 < p.count, let found = firstIndex(of: UInt8(ascii: "{"), in: p, from: i, to: p.count - 1) {
                i = found
                if p[i + 1] == UInt8(ascii: "{"), let token = PlaceholderToken.parse(p, at: i) {
                    if token.equals == 0, path(named: p, token.name) == nil {
                        result.insert(String(decoding: UnsafeBufferPointer(rebasing: p[token.name]), as: UTF8.self))
                    }
                    i = token.end
                } else {
                    i += 1
                }
            }
            return result
        }
    }
}
