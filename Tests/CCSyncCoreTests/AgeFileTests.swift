import CCSyncCore
import Foundation
import Testing

/// The age file format (age-encryption.org/v1, X25519 recipients), checked against itself and, both
/// ways, against Debian's `age` and `age-keygen` when they are installed.
struct AgeFileTests {
    @Test func roundTripToSeveralRecipients() throws {
        let a = AgeIdentity.generate(), b = AgeIdentity.generate(), c = AgeIdentity.generate()
        for size in [0, 1, 100, 64 * 1024, 64 * 1024 + 1, 3 * 64 * 1024] {
            let plain = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let file = try AgeFile.encrypt(plain, to: [a.recipient, b.recipient])
            #expect(try AgeFile.decrypt(file, identity: a) == plain)
            #expect(try AgeFile.decrypt(file, identity: b) == plain)
            #expect(throws: AgeError.noMatchingIdentity) { try AgeFile.decrypt(file, identity: c) }
        }
    }

    @Test func keysRoundTripThroughTheirText() throws {
        let identity = AgeIdentity.generate()
        #expect(identity.secretKeyText.hasPrefix("AGE-SECRET-KEY-1"))
        #expect(identity.recipient.description.hasPrefix("age1"))
        let again = try AgeIdentity(parsingFile: identity.fileText(created: "now"))
        #expect(again.recipient == identity.recipient)
        #expect(try AgeRecipient(parsing: identity.recipient.description) == identity.recipient)
        var broken = Array(identity.recipient.description.utf8)
        broken[10] = broken[10] == UInt8(ascii: "q") ? UInt8(ascii: "p") : UInt8(ascii: "q")
        #expect(throws: (any Error).self) { try AgeRecipient(parsing: String(decoding: broken, as: UTF8.self)) }
        #expect(throws: AgeError.invalidIdentity) { try AgeIdentity(parsingFile: "# nothing here\n") }
    }

    @Test func alteredHeaderOrPayloadIsRejected() throws {
        let identity = AgeIdentity.generate()
        let file = try AgeFile.encrypt(Array("repository key".utf8), to: [identity.recipient])
        var payload = file
        payload[payload.count - 20] ^= 1
        #expect(throws: AgeError.payloadAuthenticationFailed(chunk: 0)) { try AgeFile.decrypt(payload, identity: identity) }
        #expect(throws: (any Error).self) { try AgeFile.decrypt(Array(file.dropLast(1)), identity: identity) }
        // A second stanza added by someone without the file key breaks the header MAC.
        let text = String(decoding: file, as: UTF8.self)
        let forged = text.replacingOccurrences(of: "\n---", with: "\n-> X25519 AAAA\nAAAA\n---")
        #expect(throws: (any Error).self) { try AgeFile.decrypt(Array(forged.utf8), identity: identity) }
    }

    // MARK: interop with age(1)

    static func tool(_ name: String) -> String? {
        for directory in ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
            where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        return nil
    }

    static func run(_ program: String, _ arguments: [String], input: [UInt8]? = nil) throws -> (status: Int32, out: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe(), inputPipe = Pipe()
        process.standardOutput = output
        process.standardInput = inputPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(Data(input)) }
        try inputPipe.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(data))
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "ccsync-age-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func interopWithAgeBothWays() throws {
        guard let age = Self.tool("age"), let keygen = Self.tool("age-keygen") else {
            print("skipped: age/age-keygen not installed (apt-get install -y age)")
            return
        }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plain = (0..<(70 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 131) }

        // Ours -> age: a file we encrypt opens with `age -d -i` and our identity file.
        let ours = AgeIdentity.generate()
        let identityFile = directory + "/ours.txt"
        try ours.fileText(created: "test").write(toFile: identityFile, atomically: true, encoding: .utf8)
        let encrypted = try AgeFile.encrypt(plain, to: [ours.recipient, AgeIdentity.generate().recipient])
        let decrypted = try Self.run(age, ["-d", "-i", identityFile], input: encrypted)
        #expect(decrypted.status == 0)
        #expect(decrypted.out == plain)

        // age-keygen -> ours: we read its identity file and derive the recipient it printed.
        let theirsFile = directory + "/theirs.txt"
        #expect(try Self.run(keygen, ["-o", theirsFile]).status == 0)
        let theirs = try AgeIdentity(parsingFile: String(contentsOfFile: theirsFile, encoding: .utf8))
        let recipientText = String(decoding: try Self.run(keygen, ["-y", theirsFile]).out, as: UTF8.self)
        #expect(theirs.recipient.description == recipientText.trimmingCharacters(in: .whitespacesAndNewlines))

        // age -> ours: a file age encrypts (to two recipients) opens with our decryptor.
        let byAge = try Self.run(age, ["-r", recipientText.trimmingCharacters(in: .whitespacesAndNewlines),
                                       "-r", ours.recipient.description], input: plain)
        #expect(byAge.status == 0)
        #expect(try AgeFile.decrypt(byAge.out, identity: theirs) == plain)
        #expect(try AgeFile.decrypt(byAge.out, identity: ours) == plain)
        let empty = try Self.run(age, ["-r", ours.recipient.description], input: [])
        #expect(try AgeFile.decrypt(empty.out, identity: ours) == [])
    }
}
