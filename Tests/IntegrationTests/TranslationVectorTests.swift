import Foundation
import Testing

/// Every case of the translation vectors (`Tests/Fixtures/translation.json`, the spec's copy) through real
/// git: `from` commits `input`, `to` pulls and must see `output`; `from`'s own re-checkout gives `input`
/// back; both checkouts stay clean.
@Suite struct TranslationVectorTests {
    struct Case {
        let number: Int
        let name: String
        let from: String
        let to: String
        let input: [UInt8]
        let output: [UInt8]
        var path: String { String(format: "projects/vectors/%02d.jsonl", number) }
    }

    struct Vectors {
        let machines: [String: (home: String, projects: String)]
        let cases: [Case]
    }

    static func load() throws -> Vectors {
        let url = Tools.translationVectors()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let machineObjects = try #require(json["machines"] as? [String: [String: String]])
        var machines: [String: (home: String, projects: String)] = [:]
        for (id, paths) in machineObjects {
            machines[id] = (try #require(paths["HOME"]), try #require(paths["PROJECTS"]))
        }
        let caseObjects = try #require(json["cases"] as? [[String: String]])
        let cases = try caseObjects.enumerated().map { number, object in
            Case(number: number + 1, name: try #require(object["name"]),
                 from: try #require(object["from"]), to: try #require(object["to"]),
                 input: Array(try #require(object["input"]).utf8), output: Array(try #require(object["output"]).utf8))
        }
        return Vectors(machines: machines, cases: cases)
    }

    @Test func everyVectorSurvivesARoundTripThroughGit() throws {
        let vectors = try Self.load()
        try #require(vectors.cases.count >= 33, "translation.json has only \(vectors.cases.count) cases")
        try Sandbox.with { sandbox in
            // The vectors' own literal paths: HOME need not exist, git only needs its global config file.
            func spec(_ id: String) throws -> Machine.Spec {
                let paths = try #require(vectors.machines[id], "translation.json has no machine \(id)")
                return Machine.Spec(id: id, home: paths.home, projects: paths.projects, clone: sandbox.path("clones/\(id)"))
            }
            let world = try TwoMachines(sandbox: sandbox, a: try spec("linux-a"), b: try spec("mac-b"))
            let machines = [world.a.id: world.a, world.b.id: world.b]
            try #require(Set(vectors.cases.flatMap { [$0.from, $0.to] }).isSubset(of: Set(machines.keys)))

            // A's cases go first, then B pulls them and commits its own, then A pulls B's.
            for writer in [world.a, world.b] {
                let mine = vectors.cases.filter { $0.from == writer.id }
                for vector in mine { try writer.write(vector.path, vector.input) }
                if writer === world.b { try writer.git("pull", "--quiet") }
                try world.commitAndPush(writer, mine.map(\.path), message: "vectors written on \(writer.id)")
            }
            try world.a.git("pull", "--quiet")

            for vector in vectors.cases {
                let to = try #require(machines[vector.to])
                sandbox.expectSameBytes(try to.read(vector.path), vector.output,
                                        "case \(vector.number) '\(vector.name)' as \(vector.to) checks it out")
            }
            try world.a.expectPristine("after checking out every vector")
            try world.b.expectPristine("after checking out every vector")

            for vector in vectors.cases {
                let from = try #require(machines[vector.from])
                try from.remove(vector.path)
            }
            for machine in [world.a, world.b] {
                try machine.git("checkout", "--", "projects/vectors")
            }
            for vector in vectors.cases {
                let from = try #require(machines[vector.from])
                sandbox.expectSameBytes(try from.read(vector.path), vector.input,
                                        "case \(vector.number) '\(vector.name)': \(vector.from)'s re-checkout of its own file")
            }
            try world.a.expectPristine("after re-checking out its own vectors")
            try world.b.expectPristine("after re-checking out its own vectors")
        }
    }
}
