import CCSyncCore
import Foundation
import Testing

/// What only the project's shared directory outside the repository can check (`CCSYNC_SHARED_DIR`, else
/// `../shared` beside the repository): the Claude Code logs published by other people, which stay out of
/// the project, through the same checks as the generated logs plus facts about each of them; and the
/// tests' copy of the translation vectors against the specification's. `make test` needs none of it.
///
/// One test, so that without the directory the run shows exactly one line saying it was skipped and why.
struct SharedDirectoryTests {
    @Test(.enabled(if: SharedDirectory.isPresent,
                   "no shared directory (CCSYNC_SHARED_DIR, or ../shared beside the repository): the logs published by other people and the spec's translation vectors were not checked; every other test ran on the tests' own data"))
    func publishedLogsAndSpecification() throws {
        let shared = try #require(SharedDirectory.url)

        // The tests' copy of the vectors is the specification's, byte for byte.
        let specification = shared.appendingPathComponent("vectors/translation.json")
        #expect(try Data(contentsOf: specification) == Data(contentsOf: Paths.translationVectors),
                "\(Paths.translationVectors.path) differs from \(specification.path): copy the specification over")

        let logs = SharedDirectory.publishedLogs
        try #require(logs.count >= 9, "\(logs.count) published logs under \(shared.path)/fixtures/real-sessions")

        // The checks every generated log passes.
        for file in logs {
            try SessionRoundTripTests.checkRoundTrip(file)
            try SessionRendererTests.checkEveryRecordIsOneReadableLine(file)
            try SessionRendererTests.checkAppendingRecordsOnlyAppendsRenderedLines(file)
            try SessionSummaryTests.checkTitleAndSaneTimes(file)
            try JSONLMergeTests.checkScannerAgreesWithJSONParser(file)
            try JSONLMergeTests.checkSplitBetweenTwoMachines(file)
            // Checked by hand when this was written: a finding is a false positive to fix (or a leaked token).
            try SecretScannerTests.checkNoFindings(file)
        }

        // Facts about particular published logs.
        try SessionRendererTests.checkPublishedShortLines(try #require(logs.first { $0.lastPathComponent == "short.jsonl" }))
        for expected in SessionSummaryTests.publishedTitles {
            try SessionSummaryTests.checkPublishedTitle(expected)
        }
        try SessionSummaryTests.checkPublishedDetails()
    }
}
