import CCSyncCore
import Foundation
import Testing

/// How a session over `ccsync.maxFileSize` is cut into parts: joined they are the log byte for byte,
/// each fits the limit, closed parts stay as they are while the log only grows, and a line no part can
/// hold is refused before anything is written.
struct SessionPartsTests {
    /// Lines of lengths drawn from a fixed sequence (some empty, one long), the last one unterminated
    /// when `open`.
    static func log(lines: Int, seed: Int, open: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        for n in 0..<lines {
            let length = [40, 0, 130, 7, 90, 260, 15][(n + seed) % 7]
            bytes += Array(#"{"n":\#(n),"s":\#(seed),"t":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: length) + Array("\"}\n".utf8)
        }
        if open { bytes += Array(#"{"half":"#.utf8) }
        return bytes
    }

    @Test func partsJoinToTheLogAndFitTheLimit() {
        for seed in 0..<5 {
            let content = Self.log(lines: 200 + seed * 37, seed: seed, open: seed % 2 == 0)
            let limit: Int64 = 4_000
            let parts = SessionParts.split(content, keeping: [], limit: limit)
            #expect(Array(parts.joined()) == content)
            #expect(parts.count > 3)
            #expect(parts.allSatisfy { $0.count <= SessionParts.cutSize(limit: limit) })
            #expect(parts.dropLast().allSatisfy { $0.last == UInt8(ascii: "\n") })
        }
    }

    @Test func anAppendRewritesOnlyTheLastPartOrCutsANewOne() {
        let limit: Int64 = 4_000
        var content = Self.log(lines: 120, seed: 1)
        var parts = SessionParts.split(content, keeping: [], limit: limit).map { Array($0) }
        for round in 0..<30 {
            content += Self.log(lines: 1 + round % 9, seed: round)
            let next = SessionParts.split(content, keeping: parts, limit: limit).map { Array($0) }
            #expect(Array(next.joined()) == content)
            #expect(Array(next.prefix(parts.count - 1)) == Array(parts.dropLast()), "round \(round): a closed part changed")
            #expect(next.count >= parts.count)
            parts = next
        }
    }

    @Test func aPartGrownOverTheLimitOrNoLongerAPrefixIsCutAgain() {
        let limit: Int64 = 4_000
        let content = Self.log(lines: 150, seed: 2)
        var parts = SessionParts.split(content, keeping: [], limit: limit).map { Array($0) }
        // A merge made part 1 hold part 2 too: over the limit, so it and what follows are cut again.
        parts[1] += parts[2]
        parts.remove(at: 2)
        parts[1] += Array(repeating: UInt8(ascii: "\n"), count: 3_000)
        let grown = Array(parts.joined())
        let recut = SessionParts.split(grown, keeping: parts, limit: limit)
        #expect(Array(recut.joined()) == grown)
        #expect(Array(recut[0]) == parts[0])
        #expect(recut.allSatisfy { $0.count <= limit })
        // Claude rewrote the log: only the parts it still starts with are kept.
        var rewritten = content
        rewritten[parts[0].count + 5] = UInt8(ascii: "y")
        let again = SessionParts.split(rewritten, keeping: SessionParts.split(content, keeping: [], limit: limit).map { Array($0) }, limit: limit)
        #expect(Array(again.joined()) == rewritten)
    }

    @Test func partsAreWrittenListedAndJoinedInOrderAndALineOverTheLimitIsRefused() throws {
        var template = Array((NSTemporaryDirectory() + "/ccsync-parts-XXXXXX").utf8CString)
        let made = try #require(mkdtemp(&template))
        let folder = String(cString: made) + "/abc.parts"
        defer { try? FileManager.default.removeItem(atPath: String(cString: made)) }
        let content = Self.log(lines: 400, seed: 3)
        try SessionParts.write(content, to: folder, limit: 2_000)
        #expect(try SessionParts.join(folder) == content)
        let names = SessionParts.list(folder)
        #expect(names.first == "0000.jsonl" && names.count > 10)
        try SessionParts.write(Array(content.prefix(1_000)), to: folder, limit: 2_000)
        #expect(try SessionParts.join(folder) == Array(content.prefix(1_000)))

        let long = Array(repeating: UInt8(ascii: "z"), count: 2_500) + [0x0A]
        #expect(throws: SessionParts.LineOverLimit.self) { try SessionParts.write(content + long, to: folder, limit: 2_000) }
        #expect(try SessionParts.join(folder) == Array(content.prefix(1_000)), "a refused write changed the parts")
    }

    @Test func partsBelongToTheirSession() {
        let id = "1f2e3d4c-0000-4000-8000-000000000001"
        #expect(StoreFileKind.classify("\(id).parts/0000.jsonl") == .sessionPart)
        #expect(StoreFileKind.classify("\(id).parts/12345.jsonl") == .sessionPart)
        #expect(StoreFileKind.classify("\(id).parts/x.jsonl") == nil)
        #expect(StoreFileKind.classify("\(id).parts/0000.jsonl/more") == nil)
        #expect(StoreFileKind.sessionID(ofRepositoryPath: "projects/KEY/\(id).parts/0003.jsonl") == id)
        #expect(SessionParts.sessionFile(ofPart: "\(id).parts/0003.jsonl") == "\(id).jsonl")
        #expect(SessionParts.partName(7) == "0007.jsonl" && SessionParts.partName(12_345) == "12345.jsonl")
    }
}
