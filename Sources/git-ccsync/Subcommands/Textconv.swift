import ArgumentParser
import CCSyncCore

extension GitCCSync {
    /// `diff.ccsync.textconv`: git shows a session's diff through this rendering.
    struct Textconv: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "textconv",
            abstract: "Print a session log as one readable line per record (diff.ccsync.textconv).",
            discussion: """
                Each record becomes '<HH:MM:SS>  <type>  <role>  <excerpt>': the message text, \
                'tool_use: <tool> <file or command>' or 'tool_result: <first line>', on one line of at most \
                120 characters. Lines that are not JSON show as '! malformed: <first bytes>'. Adding records \
                to a log only adds lines to its rendering, so 'git log -p' on a session reads as the \
                conversation. Git runs this with the path of a temporary file; run it yourself to read a log.
                """
        )

        @Argument(help: "The session log (.jsonl) to render.")
        var file: String

        func run() throws {
            var bytes = try readFile(file)
            // An encrypted repository's blob: show what it says (a working copy's own file is plaintext).
            if LineCipher.looksEncrypted(bytes), !bytes.isEmpty {
                let filter = try FilterSetup.make()
                if let cipher = try filter.currentCipher() {
                    let repository = try GitRepository(discoveringFrom: ".")
                    bytes = try EncryptedTextconv.plaintext(bytes, file: CLIContext.absolute(file),
                                                            root: repository.workTree.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "",
                                                            repository: repository, cipher: cipher)
                }
            }
            try writeAll(fd: 1, Array(SessionRenderer.render(bytes).utf8), path: "stdout")
        }
    }
}
