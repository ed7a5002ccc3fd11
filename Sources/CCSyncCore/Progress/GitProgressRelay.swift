/// Passes git's own progress (`git push --progress`, `fetch`, `clone`) to a `ProgressReporter`, read from
/// git's stderr as it arrives: git rewrites a progress line with `\r` and ends it with `\n`.
///
/// Only progress lines are relayed (`Writing objects:  45% (90/200), 10.00 MiB | 5.00 MiB/s`,
/// `Enumerating objects: 1234, done.`, the server's `remote: Resolving deltas: …`); everything else git
/// says (refs, hints, errors) stays in the captured stderr, where the sync code reads it as before.
public final class GitProgressRelay: @unchecked Sendable {
    private let reporter: ProgressReporter
    private var pending: [UInt8] = []

    public init(reporter: ProgressReporter) {
        self.reporter = reporter
    }

    /// A chunk of git's stderr, in the order read.
    public func feed(_ chunk: [UInt8]) {
        for byte in chunk {
            if byte == 0x0D || byte == 0x0A {
                let line = String(decoding: pending, as: UTF8.self)
                pending.removeAll(keepingCapacity: true)
                if Self.isProgress(line) { reporter.relay(line.trimmedTrailingSpaces, final: byte == 0x0A) }
            } else {
                pending.append(byte)
            }
        }
    }

    /// `[remote: ]Title words: <number>…`: a title of letters and spaces, a colon, then a figure.
    static func isProgress(_ line: String) -> Bool {
        var text = Substring(line)
        if text.hasPrefix("remote: ") { text = text.dropFirst("remote: ".count) }
        guard let colon = text.firstIndex(of: ":"), let first = text.first, first.isUppercase else { return false }
        let title = text[..<colon]
        guard title.count >= 3, title.allSatisfy({ $0.isLetter || $0 == " " }) else { return false }
        let rest = text[text.index(after: colon)...].drop { $0 == " " }
        return rest.first?.isNumber == true
    }
}

extension String {
    /// Without trailing spaces (git pads a line it rewrites so that a shorter one covers a longer).
    var trimmedTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
