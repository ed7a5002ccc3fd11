import CCSyncCore
import Foundation
import Testing

/// The hook scripts exist twice: as files in `hooks/` (the source, what a reader of the repository sees)
/// and embedded in the binary (an installed git-ccsync needs no data files): `HookScripts.swift` is
/// generated from `hooks/` by `scripts/embed-hooks.sh`. This fails when it was not run after an edit.
@Suite struct HookScriptsTests {
    static let folder = Paths.repoRoot.appendingPathComponent("hooks")

    @Test(arguments: HookScripts.names)
    func embeddedScriptEqualsTheFileInHooks(_ name: String) throws {
        let file = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
        let embedded = try #require(HookScripts.script(name), "no embedded script for \(name)")
        #expect(embedded + "\n" == file, "hooks/\(name) and HookScripts.script(\"\(name)\") differ (run scripts/embed-hooks.sh)")
        #expect(FileManager.default.isExecutableFile(atPath: Self.folder.appendingPathComponent(name).path), "hooks/\(name) is not executable")
    }

    @Test func hooksHoldsNothingElse() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(files == HookScripts.names.sorted(), "add a new hook to the names in scripts/embed-hooks.sh and run it")
        #expect(HookScripts.script("no-such-hook") == nil)
    }
}
