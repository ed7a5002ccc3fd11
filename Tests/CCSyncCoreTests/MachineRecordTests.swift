import CCSyncCore
import Testing

struct MachineRecordTests {
    @Test func versionsCompareByNumberNotText() {
        #expect(CCSyncVersion.isOlder("0.9", than: "0.10"))
        #expect(CCSyncVersion.isOlder("0.1", than: "0.1.1"))
        #expect(!CCSyncVersion.isOlder("0.1.0", than: "0.1"))
        #expect(!CCSyncVersion.isOlder("1.0.0", than: "0.99.99"))
        #expect(CCSyncVersion.isOlder("0.0.9-beta", than: "0.1.0"))
        #expect(!CCSyncVersion.isOlder(CCSyncVersion.string, than: CCSyncVersion.sessionParts))
    }

    @Test func anOlderVersionsRecordMayMissPartsAndSettingTheVersionKeepsEveryOtherLine() {
        let old = "os = linux\nhome = /home/ana\nregistered = 2025-01-01T00:00:00Z\nfuture = kept as written\n"
        var record = MachineRecord(machine: "laptop", parsing: Array(old.utf8))
        #expect(record.version == nil)
        #expect(record.mayMissSessionParts)
        #expect(record.value("home") == "/home/ana")
        record.set("version", CCSyncVersion.string)
        #expect(String(decoding: record.bytes, as: UTF8.self) == old + "version = \(CCSyncVersion.string)\n")
        #expect(!record.mayMissSessionParts)
        record.set("version", "0.0.1")
        #expect(record.mayMissSessionParts)
        #expect(record.lines.count == 5)
    }

    @Test func initWritesTheVersion() {
        let text = RepoLayout.machineFile(os: "linux", home: "/home/ana", registered: "now")
        let record = MachineRecord(machine: "a", parsing: Array(text.utf8))
        #expect(record.version == CCSyncVersion.string)
        #expect(record.value("os") == "linux")
    }
}
