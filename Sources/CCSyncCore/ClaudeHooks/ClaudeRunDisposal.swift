/// Takes back what a refused or stale Claude run wrote to its session, so that it never reaches the
/// remote (a resumed Claude writes rows even when every prompt is refused: the refusal itself, cost and
/// mode rows at exit, and under `-p` the prompt's text).
///
/// The transcript gets back the bytes it had when the run was decided, plus any line the working copy
/// has that the snapshot lacks (a pull may have brought lines while the refused Claude still ran; they
/// are the remote's, never the refused run's). Nothing else of the file is kept.
public enum ClaudeRunDisposal {
    /// The transcript's new bytes, or nil when it already has exactly what it should.
    /// - Parameters:
    ///   - current: the transcript now;
    ///   - snapshot: the transcript when the run was decided;
    ///   - known: the session as the working copy has it (lines that may stay).
    public static func restored(current: [UInt8], snapshot: [UInt8], known: [UInt8]) -> [UInt8]? {
        let keep = Set(lines(known))
        var result = snapshot
        if !result.isEmpty, result.last != 0x0A { result.append(0x0A) }
        let snapshotLines = Set(lines(snapshot))
        let rest = current.starts(with: snapshot) ? Array(current[snapshot.count...]) : current
        for line in lines(rest) where keep.contains(line) && !snapshotLines.contains(line) {
            result += line
        }
        if snapshot.last != 0x0A, result.count == snapshot.count + 1 { result.removeLast() }
        return result == current ? nil : result
    }

    /// The lines of `bytes`, each with its `\n` (a last line without one gets one, so that it compares
    /// equal to the same line written completely).
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            result.append(Array(bytes[start...index]))
            start = index + 1
        }
        if start < bytes.count { result.append(Array(bytes[start...]) + [0x0A]) }
        return result
    }
}
