import CCSyncCore
import Foundation
import Testing

/// The translation vectors (`Tests/Fixtures/translation.json`, a copy of the spec's `vectors/translation.json`):
/// what machine `to` must see when machine `from` wrote `input`.
struct TranslationVectorTests {
    struct Case: Decodable, CustomTestStringConvertible {
        let name: String
        let from: String
        let to: String
        let input: String
        let output: String
        var testDescription: String { name }
    }

    struct Vectors: Decodable {
        let machines: [String: [String: String]]
        let cases: [Case]
    }

    static let vectors: Vectors = {
        let url = Paths.translationVectors
        guard let data = try? Data(contentsOf: url), let vectors = try? JSONDecoder().decode(Vectors.self, from: data) else {
            return Vectors(machines: [:], cases: [])
        }
        return vectors
    }()

    static func machine(_ id: String) throws -> PathTranslator {
        var map = try #require(vectors.machines[id], "machine \(id) in vectors")
        let home = map.removeValue(forKey: "HOME")
        return try translator(home: home, map)
    }

    @Test func vectorsAreLoaded() {
        #expect(Self.vectors.cases.count >= 33)
    }

    @Test(arguments: vectors.cases)
    func vector(_ c: Case) throws {
        let from = try Self.machine(c.from)
        let to = try Self.machine(c.to)
        let input = [UInt8](c.input)
        let stored = from.clean(input)
        #expect(to.smudge(stored).text == c.output, "what \(c.to) sees")
        #expect(from.smudge(stored) == input, "\(c.from)'s own checkout")
        // git status on both stays clean: each one's clean of its checkout gives the stored bytes back.
        #expect(from.clean(from.smudge(stored), keepingLinesOf: stored) == stored)
        #expect(to.clean(to.smudge(stored), keepingLinesOf: stored) == stored, "\(c.to)'s checkout is not modified")
        // The stored form holds no machine path at all when the input had only `from`'s own paths.
        if c.output != c.input, !c.input.contains("/Users/"), c.from == "linux-a" {
            #expect(!stored.text.contains("/home/ana"), "stored: \(stored.text)")
        }
    }
}
