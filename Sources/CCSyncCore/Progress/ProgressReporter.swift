/// Progress of long work (sessions collected, files staged, bytes packed and sent), as git shows its
/// own: one line per stage, rewritten in place while it moves (`Collecting sessions:  45% (90/200)`) and
/// ended with `, done.`.
///
/// The core only decides *what* to show and *when*: every line goes to a sink the command line provides,
/// which writes it to the terminal (or nowhere: `silent` when stderr is not a terminal or `--quiet`).
/// Updates are throttled (at most one per `interval`, and only when the figure shown changes), and a
/// stage is shown only once it has taken `delay`: a push that finds little to do shows no counter at all,
/// like git's delayed progress.
///
/// Used from one thread at a time (the sync steps run one after the other).
public final class ProgressReporter: @unchecked Sendable {
    public enum Event: Equatable, Sendable {
        /// A stage's line as it is now: replaces whatever line `update` showed last.
        case update(String)
        /// The line, final: it stays on the screen and the next event starts a new line.
        case done(String)
        /// A step message on a line of its own (`fetching origin`).
        case step(String)
    }

    public enum Unit: Sendable { case count, bytes }

    public typealias Sink = (Event) -> Void

    /// Shows nothing.
    public static var silent: ProgressReporter { ProgressReporter(sink: nil) }

    private let sink: Sink?
    private let clock: () -> Double
    private let interval: Double
    private let delay: Double

    private var title = ""
    private var unit = Unit.count
    private var total: Int64?
    private var done: Int64 = 0
    private var startedAt = 0.0
    private var lastShownAt: Double?
    private var lastText: String?
    /// A line shown with `update` that no `done` has ended yet.
    private var lineOpen = false
    private var active = false

    /// - Parameters:
    ///   - sink: where lines go; nil shows nothing.
    ///   - clock: seconds from any fixed point (tests pass their own).
    ///   - interval: the least time between two updates of a line.
    ///   - delay: how long a stage runs before its line first appears.
    public init(sink: Sink?, clock: (() -> Double)? = nil, interval: Double = 0.1, delay: Double = 0.5) {
        self.sink = sink
        self.clock = clock ?? Self.monotonicSeconds
        self.interval = interval
        self.delay = delay
    }

    /// False when nothing is shown (callers skip work done only for progress, such as `git --progress`).
    public var isEnabled: Bool { sink != nil }

    private static let origin = ContinuousClock.now

    static func monotonicSeconds() -> Double {
        let elapsed = origin.duration(to: ContinuousClock.now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// A step message on its own line (ends any line in progress first).
    public func step(_ message: String) {
        guard let sink else { return }
        closeLine()
        sink(.step(message))
    }

    /// Starts a stage of `total` units (nil when unknown).
    public func begin(_ title: String, total: Int64?, unit: Unit = .count) {
        guard sink != nil else { return }
        if active { finish() }
        closeLine()
        self.title = title
        self.total = total
        self.unit = unit
        done = 0
        startedAt = clock()
        lastShownAt = nil
        lastText = nil
        active = true
    }

    /// `n` more units of the current stage are done.
    public func advance(by n: Int64 = 1) {
        guard sink != nil, active else { return }
        done += n
        show(final: false)
    }

    /// The current stage has `done` units done.
    public func set(_ done: Int64) {
        guard sink != nil, active else { return }
        self.done = done
        show(final: false)
    }

    /// Ends the current stage: its line, if it was shown, gets its final figures and `, done.`.
    public func finish() {
        guard sink != nil, active else { return }
        if lastShownAt != nil { show(final: true) }
        active = false
    }

    /// A progress line of git's own (`Writing objects:  45% (90/200), 10.00 MiB | 5.00 MiB/s`), shown in
    /// place as git would have shown it; `final` when git ended the line.
    public func relay(_ line: String, final: Bool) {
        guard let sink else { return }
        if active { finish() }
        lastText = line
        if final {
            sink(.done(line))
            lineOpen = false
        } else {
            sink(.update(line))
            lineOpen = true
        }
    }

    private func closeLine() {
        guard lineOpen, let sink else { return }
        // The line stays as it was last shown; the sink only needs to move to the next line.
        sink(.done(lastText ?? ""))
        lineOpen = false
    }

    private func show(final: Bool) {
        guard let sink else { return }
        let now = clock()
        if !final {
            if now - startedAt < delay { return }
            if let lastShownAt, now - lastShownAt < interval { return }
        }
        let text = Self.line(title: title, done: done, total: total, unit: unit) + (final ? ", done." : "")
        if !final, text == lastText { return }
        lastShownAt = now
        lastText = text
        if final {
            sink(.done(text))
            lineOpen = false
        } else {
            sink(.update(text))
            lineOpen = true
        }
    }

    /// `Title:  45% (90/200)`, `Title:  45% (9.0 MiB/20.0 MiB)`, or `Title: 90` / `Title: 9.0 MiB`
    /// without a total.
    public static func line(title: String, done: Int64, total: Int64?, unit: Unit) -> String {
        let figure = { (n: Int64) in unit == .bytes ? ByteSize.human(n) : String(n) }
        guard let total, total > 0 else { return "\(title): \(figure(done))" }
        let percent = min(100, done * 100 / total)
        let padded = String(repeating: " ", count: 3 - String(percent).count) + String(percent)
        return "\(title): \(padded)% (\(figure(done))/\(figure(total)))"
    }
}

/// Sizes as git's progress writes them: `512 bytes`, `1.50 KiB`, `20.00 MiB`, `1.50 GiB`.
public enum ByteSize {
    public static func human(_ bytes: Int64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) bytes" }
        var value = Double(bytes) / 1024
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) \(units[index])"
    }
}
