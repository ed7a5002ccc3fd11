import CCSyncCore
import Testing

struct SharedConfigTests {
    @Test func parsesPlaceholders() throws {
        let text = """
            # shared settings
            [placeholder "PROJECTS"]
            \tubuntu-work = /home/ana/code
            \tmacbook = "/Users/ana/my dev" ; a comment
            [placeholder "WORK"]
            \tMacBook = /Users/ana/work
            [sync]
            \tdirectory = {{PROJECTS}}
            """
        let config = try SharedConfig(parsing: [UInt8](text))
        #expect(config.placeholders.map(\.name) == ["PROJECTS", "WORK"])
        let macbook = try MachineID("macbook")
        let map = try PlaceholderMap(config: config, machine: macbook, home: "/Users/ana")
        #expect(map.path(for: "PROJECTS")?.string == "/Users/ana/my dev")
        #expect(map.path(for: "WORK")?.string == "/Users/ana/work", "machine ids compare case-insensitively")
        #expect(map.path(for: "HOME")?.string == "/Users/ana")
        #expect(config.names(unmappedFor: try MachineID("ubuntu-work")) == ["WORK"])
    }

    @Test(arguments: [
        ("[placeholder \"PROJECTS\"]\n  linux-a = relative/path\n", "line 2"),
        ("[placeholder \"PROJECTS\"]\n\n  linux-a = /ok\n  linux-a = /again\n", ":4"),
        ("[placeholder \"projects\"]\n  linux-a = /x\n", ":2"),
        ("[placeholder \"PROJECTS\"]\n  9linux = /x\n", ":2"),
        ("[placeholder \"PROJECTS\"\n  linux-a = /x\n", ":1"),
        ("linux-a = /x\n", ":1"),
        ("[placeholder]\n  linux-a = /x\n", ":2"),
        ("[include]\n  path = /etc/passwd\n", ":1"),
        ("[placeholder \"HOME\"]\n  linux-a = /x\n", ":2"),
        ("[placeholder \"PROJECTS\"]\n  linux-a = \"/x\n", ":2"),
        ("[placeholder \"PROJECTS\"]\n  linux-a\n", ":2"),
    ])
    func malformedConfigNamesFileAndLine(text: String, location: String) {
        do {
            _ = try SharedConfig(parsing: [UInt8](text))
            Issue.record("accepted: \(text)")
        } catch {
            let message = "\(error)"
            #expect(message.contains(".ccsync/config"), "\(message)")
            #expect(message.contains(location.replacingOccurrences(of: "line ", with: ":")), "\(message)")
        }
    }

    @Test func valueSyntax() throws {
        let text = "[placeholder \"P\"]\n  a = /x\\\\y   # trailing\n  b = \"/with \\\"quote\\\"\"\n  c = /con\\\n  tinued\n"
        let config = try SharedConfig(parsing: [UInt8](text))
        let paths = config.placeholders[0].paths.map { $0.path.string }
        #expect(paths == ["/x\\y", "/with \"quote\"", "/con  tinued"])
    }

    @Test(arguments: ["macbook", "ubuntu-work", "A1"])
    func validMachineIDs(id: String) { #expect(MachineID.isValid(id)) }

    @Test(arguments: ["", "1abc", "mac book", "mac_book", "mac.book", "é"])
    func invalidMachineIDs(id: String) {
        #expect(!MachineID.isValid(id))
        #expect(throws: PlaceholderError.self) { try MachineID(id) }
    }
}
