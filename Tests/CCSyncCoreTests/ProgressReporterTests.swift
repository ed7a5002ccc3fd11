@testable import CCSyncCore
import Testing

/// Progress as a terminal shows it: what the reporter sends its sink, and when, under a clock the test
/// moves by hand.
struct ProgressReporterTests {
    final class Recorder {
        var events: [ProgressReporter.Event] = []
        var now = 0.0
        func reporter(interval: Double = 0.1, delay: Double = 0.5) -> ProgressReporter {
            ProgressReporter(sink: { self.events.append($0) }, clock: { self.now }, interval: interval, delay: delay)
        }
    }

    @Test func aStageMovesInPlaceThrottledAndEndsWithDone() {
        let recorder = Recorder()
        let reporter = recorder.reporter()
        reporter.begin("Collecting sessions", total: 200)
        for i in 1...200 {
            recorder.now = Double(i) * 0.01  // 10 ms per file: 2 s in all
            reporter.advance()
        }
        reporter.finish()
        let updates = recorder.events.compactMap { event -> String? in
            if case .update(let text) = event { return text } else { return nil }
        }
        // Nothing in the first 0.5 s, then at most one update per 0.1 s: 15 or 16 of them, not 200.
        #expect(updates.count >= 14 && updates.count <= 16, "\(updates.count) updates")
        #expect(updates.first == "Collecting sessions:  25% (50/200)")
        #expect(recorder.events.last == .done("Collecting sessions: 100% (200/200), done."))
        // The percentage only grows.
        let percents = updates.compactMap { Int($0.split(separator: ":")[1].split(separator: "%")[0].trimmed) }
        #expect(percents == percents.sorted() && percents.count == updates.count)
    }

    @Test func aQuickStageShowsNothing() {
        let recorder = Recorder()
        let reporter = recorder.reporter()
        reporter.begin("Staging sessions", total: 3)
        recorder.now = 0.2
        reporter.advance(by: 3)
        reporter.finish()
        #expect(recorder.events.isEmpty)
    }

    @Test func anUnchangedFigureIsNotSentAgain() {
        let recorder = Recorder()
        let reporter = recorder.reporter(delay: 0)
        reporter.begin("Writing sessions", total: 1000)
        for i in 1...9 {
            recorder.now = Double(i)
            reporter.set(Int64(i))  // still 0%, but the count moves
        }
        recorder.now = 20
        reporter.set(9)
        #expect(recorder.events.count == 9)
        #expect(recorder.events.last == .update("Writing sessions:   0% (9/1000)"))
    }

    @Test func aStepEndsAnOpenLineFirst() {
        let recorder = Recorder()
        let reporter = recorder.reporter(delay: 0)
        reporter.relay("Writing objects:  50% (1/2)", final: false)
        reporter.step("merging changes from other machines")
        #expect(recorder.events == [.update("Writing objects:  50% (1/2)"), .done("Writing objects:  50% (1/2)"),
                                    .step("merging changes from other machines")])
    }

    @Test func silentSendsNothingAndSaysSo() {
        let reporter = ProgressReporter.silent
        #expect(!reporter.isEnabled)
        reporter.begin("x", total: 1)
        reporter.advance()
        reporter.finish()
        reporter.step("y")
    }

    @Test func linesAndSizesAreWrittenAsGitWritesThem() {
        #expect(ProgressReporter.line(title: "T", done: 5, total: 10, unit: .count) == "T:  50% (5/10)")
        #expect(ProgressReporter.line(title: "T", done: 7, total: nil, unit: .count) == "T: 7")
        #expect(ProgressReporter.line(title: "T", done: 3 << 20, total: 12 << 20, unit: .bytes) == "T:  25% (3.00 MiB/12.00 MiB)")
        #expect(ByteSize.human(512) == "512 bytes")
        #expect(ByteSize.human(1536) == "1.50 KiB")
        #expect(ByteSize.human(3 << 30) == "3.00 GiB")
    }

    @Test func gitsProgressIsRelayedAndTheRestIsNot() {
        let recorder = Recorder()
        let relay = GitProgressRelay(reporter: recorder.reporter(delay: 0))
        let stderr = "Enumerating objects: 5, done.\nCounting objects:  20% (1/5)\rCounting objects: 100% (5/5), done.\n"
            + "Writing objects:  40% (2/5), 1.00 MiB | 2.00 MiB/s   \rWriting ob"
        relay.feed(Array(stderr.utf8))
        relay.feed(Array("jects: 100% (5/5), 2.50 MiB | 2.00 MiB/s, done.\nTo /srv/x.git\n ! [rejected] main -> main\n".utf8))
        relay.feed(Array("remote: Resolving deltas: 100% (1/1), done.\nerror: failed to push some refs\nhint: Updates were rejected\n".utf8))
        #expect(recorder.events == [
            .done("Enumerating objects: 5, done."),
            .update("Counting objects:  20% (1/5)"),
            .done("Counting objects: 100% (5/5), done."),
            .update("Writing objects:  40% (2/5), 1.00 MiB | 2.00 MiB/s"),
            .done("Writing objects: 100% (5/5), 2.50 MiB | 2.00 MiB/s, done."),
            .done("remote: Resolving deltas: 100% (1/1), done."),
        ])
    }
}

/// How a change too big for one push is cut.
struct PushBatchesTests {
    @Test func groupsStayWithinTheLimitInOrder() {
        let sizes: [Int64] = [5, 5, 5, 12, 3, 3, 30, 1]
        let groups = PushBatches.split(sizes: sizes, limit: 12)
        #expect(groups == [0..<2, 2..<3, 3..<4, 4..<6, 6..<7, 7..<8])
        #expect(groups.flatMap { Array($0) } == Array(0..<sizes.count))
        #expect(PushBatches.split(sizes: [1, 2, 3], limit: 100) == [0..<3])
        #expect(PushBatches.split(sizes: [], limit: 10).isEmpty)
    }
}
