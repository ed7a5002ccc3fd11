import CCSyncCore
import Foundation
import PropertyBased
import Testing

/// The encrypted repository form: line-wise, deterministic, bound to the path, tamper-evident.
struct LineCipherTests {
    static let path = "projects/PROJECTS-shop/0b8e6c2a.jsonl"

    static func encrypt(_ cipher: LineCipher, _ text: [UInt8], path: String = path,
                        keeping previous: DecryptedLines? = nil) throws -> [UInt8] {
        var out: [UInt8] = []
        try cipher.encrypt(text, path: path, keeping: previous, into: &out)
        return out
    }

    static let sample = Array(#"{"uuid":"1","text":"the quarterly numbers for Zanzibar Freight"}"# .utf8) + [0x0A]
        + Array(#"{"uuid":"2","cwd":"{{PROJECTS}}/shop"}"#.utf8) + [0x0A] + [0x0A]
        + Array("last line without newline, bytes \u{0}\u{7f}".utf8) + [0xFF, 0xFE]

    @Test func roundTripKeepsEveryByteAndLineStructure() throws {
        let cipher = LineCipher(keyring: RepositoryKeyring(keys: [.generate()]))
        let encrypted = try Self.encrypt(cipher, Self.sample)
        #expect(try cipher.decrypt(encrypted, path: Self.path).plaintext == Self.sample)
        // One encrypted line per line, same terminators: 4 lines, the last unterminated.
        #expect(encrypted.filter { $0 == 0x0A }.count == Self.sample.filter { $0 == 0x0A }.count)
        #expect(encrypted.last != 0x0A)
        #expect(!String(decoding: encrypted, as: UTF8.self).contains("Zanzibar"))
        #expect(encrypted.split(separator: 0x0A).allSatisfy { LineCipher.looksEncrypted(Array($0)) })
        #expect(try Self.encrypt(cipher, []).isEmpty)
    }

    @Test func deterministicSoAnAppendOnlyAddsLines() throws {
        let cipher = LineCipher(keyring: RepositoryKeyring(keys: [.generate()]))
        let first = try Self.encrypt(cipher, Array("a\nb\n".utf8))
        let again = try Self.encrypt(cipher, Array("a\nb\n".utf8))
        let appended = try Self.encrypt(cipher, Array("a\nb\nc\n".utf8))
        #expect(first == again)
        #expect(Array(appended.prefix(first.count)) == first)
        // Equal lines give equal ciphertext within a path (the intended leak), not across paths.
        let lines = try Self.encrypt(cipher, Array("same\nsame\n".utf8)).split(separator: 0x0A)
        #expect(lines[0] == lines[1])
        let elsewhere = try Self.encrypt(cipher, Array("same\n".utf8), path: "projects/other/x.jsonl")
        #expect(Array(elsewhere.dropLast()) != Array(lines[0]))
    }

    @Test func tamperingNamesFileAndLine() throws {
        let cipher = LineCipher(keyring: RepositoryKeyring(keys: [.generate()]))
        let encrypted = try Self.encrypt(cipher, Array("one\ntwo\nthree\n".utf8))
        var lines = encrypted.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        // Flip one character of line 2's base64.
        var flipped = lines
        let position = flipped[1].count - 3
        flipped[1][position] = flipped[1][position] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: EncryptionError.tamperedLine(path: Self.path, line: 2)) {
            try cipher.decrypt(Array(flipped.joined(separator: [0x0A])), path: Self.path)
        }
        // Truncated mid-line.
        #expect(throws: EncryptionError.tamperedLine(path: Self.path, line: 3)) {
            try cipher.decrypt(Array(encrypted.dropLast(10)), path: Self.path)
        }
        // A line moved in from another file does not authenticate here.
        lines[0] = Array(try Self.encrypt(cipher, Array("one".utf8), path: "projects/other/y.jsonl"))
        #expect(throws: EncryptionError.tamperedLine(path: Self.path, line: 1)) {
            try cipher.decrypt(Array(lines.joined(separator: [0x0A])), path: Self.path)
        }
        // Plaintext where ciphertext belongs.
        #expect(throws: EncryptionError.tamperedLine(path: Self.path, line: 1)) {
            try cipher.decrypt(Array(#"{"uuid":"1"}"#.utf8), path: Self.path)
        }
        // Another repository's key.
        let stranger = LineCipher(keyring: RepositoryKeyring(keys: [.generate()]))
        #expect(throws: (any Error).self) { try stranger.decrypt(encrypted, path: Self.path) }
    }

    @Test func rotationKeepsOldLinesAndEncryptsNewOnesWithTheNewKey() throws {
        var keyring = RepositoryKeyring(keys: [.generate()])
        let before = LineCipher(keyring: keyring)
        let old = try Self.encrypt(before, Array("a\nb\n".utf8))
        keyring.rotate()
        let after = LineCipher(keyring: keyring)
        let previous = try after.decrypt(old, path: Self.path)
        let grown = try Self.encrypt(after, Array("a\nb\nc\n".utf8), keeping: previous)
        #expect(Array(grown.prefix(old.count)) == old, "old lines keep their ciphertext")
        let newLine = String(decoding: grown.dropFirst(old.count), as: UTF8.self)
        #expect(newLine.hasPrefix("ccs1.\(keyring.current.id)."))
        #expect(try after.decrypt(grown, path: Self.path).plaintext == Array("a\nb\nc\n".utf8))
        // The old keyring cannot read what the new key wrote, and says which key it lacks.
        #expect(throws: EncryptionError.unknownKey(path: Self.path, line: 3, keyID: keyring.current.id)) {
            try before.decrypt(grown, path: Self.path)
        }
        // A changed line in the middle is re-encrypted from there on.
        let edited = try Self.encrypt(after, Array("a\nB\nc\n".utf8), keeping: previous)
        #expect(try after.decrypt(edited, path: Self.path).plaintext == Array("a\nB\nc\n".utf8))
    }

    @Test func keyringSerialisesAndRejectsGarbage() throws {
        var keyring = RepositoryKeyring(keys: [.generate()])
        keyring.rotate()
        #expect(try RepositoryKeyring(parsing: keyring.serialized) == keyring)
        #expect(throws: EncryptionError.malformedKeyring) { try RepositoryKeyring(parsing: Array("nope\n".utf8)) }
    }

    @Test func propertyRoundTripOnArbitraryBytes() async {
        let cipher = LineCipher(keyring: RepositoryKeyring(keys: [.generate()]))
        // Values above 255 become newlines, so inputs have many lines, empty ones and unterminated ends.
        await propertyCheck(count: 300, input: Gen.int(in: 0...300).array(of: 0...200)) { values in
            let bytes = values.map { $0 > 255 ? UInt8(0x0A) : UInt8($0) }
            let encrypted = try Self.encrypt(cipher, bytes)
            #expect(try cipher.decrypt(encrypted, path: Self.path).plaintext == bytes)
            #expect(try Self.encrypt(cipher, bytes) == encrypted)
        }
    }
}
