import CCSyncCore
import Foundation
import Testing

/// The hook scripts exist twice: as files in `hooks/` (what a reader of the repository sees) and embedded
/// in the binary (an installed git-ccsync needs no data files). This keeps the two one text.
@Suite struct HookScriptsTests {
    static let folder = Paths.repoRoot.appendingPathComponent("hooks")

    @Test(arguments: HookScripts.names)
    func embeddedScriptEqualsTheFileInHooks(_ name: String) throws {
        let file = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
        let embedded = try #require(HookScripts.script(name), "no embedded script for \(name)")
        #expect(embedded + "\n" == file, "hooks/\(name) and HookScripts.script(\"\(name)\") differ")
        #expect(FileManager.default.isExecutableFile(atPath: Self.folder.appendingPathComponent(name).path), "hooks/\(name) is not executable")
    }

    @Test func hooksHoldsNothingElse() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(files == HookScripts.names.sorted())
        #expect(HookScripts.script("no-such-hook") == nil)
    }
}
