import CCSyncCore
import Foundation
import PropertyBased
import Testing

/// The sync state's line format: whatever names and stats go in come back out, byte for byte.
struct SyncStateTests {
    static let fragments = ["a", "projects/", "-home-a-x/", ".jsonl", " ", "  ", "\n", "\r", "\t", "%", "%20", "%zz",
                            "%2", "é", "日本", "\u{7F}", "\u{1}", "file", "dirty", "cwd "]
    static let name = Gen.int(in: 0...(fragments.count - 1)).array(of: 0...12).map { $0.map { fragments[$0] }.joined() }
    static let number = Gen.int(in: -5...Int.max)

    static func directory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/ccsync-state-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: made)
    }

    static func roundTrip(_ state: SyncState) throws -> SyncState {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try state.save(to: dir + "/state")
        return SyncState.load(from: dir + "/state")
    }

    @Test func everyNameAndStatRoundTrips() async {
        await propertyCheck(count: 300, input: Self.name, Self.name, Self.name, Self.number) { path, folder, cwd, n in
            var state = SyncState()
            let stat = FileStat(kind: n % 2 == 0 ? .regular : .symlink, size: Int64(n), mtimeNanoseconds: Int64(n) &* 7,
                                inode: UInt64(truncatingIfNeeded: n))
            state.files[path] = .init(hash: "h " + folder, storeStat: stat, workStat: n % 3 == 0 ? nil : stat)
            state.files[path + "2"] = .init(hash: "", storeStat: nil, workStat: nil)
            state.folderCwds[folder] = cwd
            state.dirty = n % 5 == 0 ? nil : [folder, path]
            let back = try? Self.roundTrip(state)
            #expect(back == state)
        }
    }

    @Test func aFileThatIsNotAStateReadsAsNoState() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("{\"files\":{}}".utf8).write(to: URL(fileURLWithPath: dir + "/state"))
        #expect(SyncState.load(from: dir + "/state") == SyncState())
    }

    @Test func theJSONStateOfEarlierVersionsIsCarriedOver() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = #"{"files":{"projects/k/a.jsonl":{"hash":"abc","storeStat":{"kind":"regular","size":3,"mtimeNanoseconds":5,"inode":7}}},"folderCwds":{"-x":"/x"},"dirty":["projects/k"]}"#
        try Data(json.utf8).write(to: URL(fileURLWithPath: dir + "/state.json"))
        let state = SyncState.load(from: dir + "/state")
        #expect(state.files["projects/k/a.jsonl"]?.hash == "abc")
        #expect(state.files["projects/k/a.jsonl"]?.storeStat == FileStat(kind: .regular, size: 3, mtimeNanoseconds: 5, inode: 7))
        #expect(state.folderCwds == ["-x": "/x"])
        #expect(state.dirty == ["projects/k"])
        try state.save(to: dir + "/state")
        #expect(!FileManager.default.fileExists(atPath: dir + "/state.json"))
        #expect(SyncState.load(from: dir + "/state") == state)
    }
}
