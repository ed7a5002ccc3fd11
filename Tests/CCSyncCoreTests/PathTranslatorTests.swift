import CCSyncCore
import Testing

struct PathTranslatorTests {
    let linux = try! translator(home: "/home/a", ["PROJECTS": "/home/a/code"])
    let mac = try! translator(home: "/Users/a", ["PROJECTS": "/Users/a/dev"])

    @Test func cleanProducesPlaceholders() {
        #expect(linux.clean([UInt8]("{\"cwd\":\"/home/a/code/x\",\"h\":\"/home/a/.zshrc\"}")).text
                == "{\"cwd\":\"{{PROJECTS}}/x\",\"h\":\"{{HOME}}/.zshrc\"}")
    }

    @Test(arguments: [
        ("/home/a/code", "{{PROJECTS}}"),
        ("/home/a/code/x", "{{PROJECTS}}/x"),
        ("\"/home/a/code\"", "\"{{PROJECTS}}\""),
        ("a.txt\\n/home/a/code/b.txt", "a.txt\\n{{PROJECTS}}/b.txt"),
        ("M\\t/home/a/code", "M\\t{{PROJECTS}}"),
        ("\\u0022/home/a/code", "\\u0022{{PROJECTS}}"),
        ("x\\\\n/home/a/code", "x\\\\n{{PROJECTS}}"),
        ("/home/a/code2", "{{HOME}}/code2"),
        ("/home/a/code-old", "{{HOME}}/code-old"),
        ("/home/a/code.bak", "{{HOME}}/code.bak"),
        ("/home/a/code.", "{{PROJECTS}}."),
        ("/home/a/code...\"", "{{PROJECTS}}...\""),
        ("/home/a/code./x", "{{PROJECTS}}./x"),
        ("/x/home/a/code", "/x/home/a/code"),
        ("/home/ab", "/home/ab"),
        ("file:///home/a/code/x", "file://{{PROJECTS}}/x"),
        ("PATH=/home/a/code:/bin", "PATH={{PROJECTS}}:/bin"),
        ("/home/a/codé", "{{HOME}}/codé"),
        ("n/home/a/code", "n/home/a/code"),
        ("find: ‘/home/a/code/x’: No such file", "find: ‘{{PROJECTS}}/x’: No such file"),
        ("「/home/a/code」", "「{{PROJECTS}}」"),
        ("\u{00A0}/home/a/code\u{00A0}", "\u{00A0}{{PROJECTS}}\u{00A0}"),
        ("/mnt/café/home/a/code", "/mnt/café/home/a/code"),
        ("é/home/a/code", "é/home/a/code"),
        ("/home/a/code日本", "{{HOME}}/code日本"),
        ("/home/a/code\u{0301}", "{{HOME}}/code\u{0301}"),
    ])
    func boundaries(input: String, expected: String) {
        let stored = linux.clean([UInt8](input))
        #expect(stored.text == expected)
        #expect(linux.smudge(stored).text == input)
    }

    @Test func literalPlaceholdersAreEscapedOneLevel() {
        let input = "{{PROJECTS}} {{=HOME}} {{==X_1}} {{HOME:1}} {{FOO}} {{foo}} {{ HOME}} {{HOME:zz}} {{{HOME}}}"
        let stored = linux.clean([UInt8](input)).text
        #expect(stored == "{{=PROJECTS}} {{==HOME}} {{===X_1}} {{=HOME:1}} {{=FOO}} {{foo}} {{ HOME}} {{HOME:zz}} {{{=HOME}}}")
        #expect(linux.smudge([UInt8](stored)).text == input)
        #expect(mac.smudge([UInt8](stored)).text == input)
    }

    @Test func unmappedPlaceholderIsLeftAndReported() {
        let stored: [UInt8] = [UInt8]("{{WORK}}/x {{PROJECTS}}/y {{=WORK}}")
        #expect(mac.smudge(stored).text == "{{WORK}}/x /Users/a/dev/y {{WORK}}")
        #expect(mac.unmappedNames(in: stored) == ["WORK"])
    }

    @Test func longestPathWinsAndUserNamesBeatHome() throws {
        let t = try translator(home: "/home/a", ["WORK": "/home/a", "DEEP": "/home/a/code/deep", "PROJECTS": "/home/a/code"])
        #expect(t.clean([UInt8]("/home/a/code/deep/x /home/a/code/y /home/a/z")).text
                == "{{DEEP}}/x {{PROJECTS}}/y {{WORK}}/z")
    }

    @Test func windowsSpellingsRoundTripAndTranslate() throws {
        let win = try translator(home: "C:\\Users\\ana", ["PROJECTS": "C:\\Users\\ana\\code"])
        let input = #"{"cwd":"C:\\Users\\ana\\code\\shop","a":"C:/Users/ana/code/x","b":"c:\\Users\\ana\\y","c":"C:\\\\Users\\\\ana\\\\code","raw":"C:\Users\ana"}"#
        let stored = win.clean([UInt8](input))
        #expect(stored.text == #"{"cwd":"{{PROJECTS:1}}\\shop","a":"{{PROJECTS:f}}/x","b":"{{HOME:1d}}\\y","c":"{{PROJECTS:2}}","raw":"{{HOME}}"}"#)
        #expect(win.smudge(stored).text == input)
        // On Linux the same repository form reads as Linux paths.
        #expect(linux.smudge(stored).text == #"{"cwd":"/home/a/code\\shop","a":"/home/a/code/x","b":"/home/a\\y","c":"/home/a/code","raw":"/home/a"}"#)
    }

    @Test func driveLetterMustNotFollowALetter() throws {
        let win = try translator(home: nil, ["PROJECTS": "C:\\code"])
        #expect(win.clean([UInt8]("XC:\\code")).text == "XC:\\code")
        #expect(win.clean([UInt8]("\"C:\\code\"")).text == "\"{{PROJECTS}}\"")
    }

    @Test func stableFormKeepsAnotherMachinesLines() {
        // Linux wrote a Mac path as text: raw in the repository.
        let stored = linux.clean([UInt8]("{\"t\":\"on my Mac: /Users/a/dev/z\"}\n"))
        #expect(stored.text == "{\"t\":\"on my Mac: /Users/a/dev/z\"}\n")
        let onMac = mac.smudge(stored)
        // A pure clean on the Mac would rewrite the line; keeping the index's lines does not.
        #expect(mac.clean(onMac) != stored)
        #expect(mac.clean(onMac, keepingLinesOf: stored) == stored)
        // Appending changes only the appended part, which is translated.
        let appended = onMac + [UInt8]("{\"cwd\":\"/Users/a/dev/q\"}\n")
        let restored = mac.clean(appended, keepingLinesOf: stored)
        #expect(restored == stored + [UInt8]("{\"cwd\":\"{{PROJECTS}}/q\"}\n"))
        #expect(mac.smudge(restored) == appended)
    }

    @Test func stableFormWithRewrittenAndTruncatedTail() {
        let stored = [UInt8]("l1 /Users/a/dev\nl2 /Users/a/dev\nhalf")
        let onMac = mac.smudge(stored)
        #expect(mac.clean(onMac, keepingLinesOf: stored) == stored)
        // The half line grew: the complete lines keep their form, the rest is cleaned.
        let grown = onMac + [UInt8](" line /Users/a/dev\n")
        #expect(mac.clean(grown, keepingLinesOf: stored).text == "l1 /Users/a/dev\nl2 /Users/a/dev\nhalf line {{PROJECTS}}\n")
        // The second line was rewritten: only the first keeps its stored form.
        let rewritten = [UInt8]("l1 /Users/a/dev\nl2 changed /Users/a/dev\n")
        #expect(mac.clean(rewritten, keepingLinesOf: stored).text == "l1 /Users/a/dev\nl2 changed {{PROJECTS}}\n")
        // A shorter file than the stored one.
        #expect(mac.clean([UInt8]("l1 /Users/a/dev\n"), keepingLinesOf: stored).text == "l1 /Users/a/dev\n")
        #expect(mac.clean([], keepingLinesOf: stored).isEmpty)
    }

    @Test func oddBytesPassThrough() {
        let input: [UInt8] = [0x00, 0xFF, 0xC3, 0x28] + [UInt8]("/home/a/code") + [0x00, 0x0A, 0xE2, 0x82]
        let stored = linux.clean(input)
        #expect(stored == [0x00, 0xFF, 0xC3, 0x28] + [UInt8]("{{PROJECTS}}") + [0x00, 0x0A, 0xE2, 0x82])
        #expect(linux.smudge(stored) == input)
    }

    @Test func hugeSingleLine() {
        var input = [UInt8]("{\"x\":\"")
        for _ in 0..<200_000 { input += [UInt8]("/home/a/code/f.swift ") }
        input += [UInt8]("\"}")
        let stored = linux.clean(input)
        #expect(!stored.text.contains("/home/a"))
        #expect(stored.count == input.count + 0, "same length by construction")
        #expect(linux.smudge(stored) == input)
        #expect(mac.smudge(stored).count > 0)
    }
}

struct LocalPathTests {
    @Test(arguments: ["relative/path", "~/code", "", "/", "C:\\", "C:", "code"])
    func rejectsNonAbsoluteOrRoot(path: String) {
        #expect(throws: PlaceholderError.self) { try LocalPath(path, name: "P") }
    }

    @Test func normalisesTrailingSeparators() throws {
        #expect(try LocalPath("/home/a/code/", name: "P").string == "/home/a/code")
        #expect(try LocalPath("C:\\code\\", name: "P").string == "C:\\code")
    }

    @Test func rejectsControlCharacters() {
        #expect(throws: PlaceholderError.self) { try LocalPath("/home/a\ncode", name: "P") }
    }
}
