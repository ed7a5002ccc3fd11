import Foundation
import Testing

/// Every difference between operating systems lives in `Sources/CCSyncCore/Platform/`. These tests read
/// the sources and fail when something system-specific appears anywhere else, so a Mac build cannot
/// break silently through code written and tested only on Linux.
@Suite struct PlatformLayerTests {
    static let sources = Paths.repoRoot.appendingPathComponent("Sources")
    static let platformFolder = "CCSyncCore/Platform/"

    /// Names that exist on one system only, or whose meaning differs: stat fields (glibc `st_mtim`,
    /// Darwin `st_mtimespec`), `/proc`, calls qualified with one system's module, spawn flags and
    /// extensions (`POSIX_SPAWN_SETSID` is 0x80 in glibc and 0x400 on Darwin), pipe2 (glibc only),
    /// the terminal's ioctl and modes, glibc's mallopt, Darwin's libproc, and OS conditionals.
    static let forbidden = [
        "st_mtim", "st_ctim", "st_atim", "st_birthtim", "/proc", "Glibc.", "Darwin.", "environ",
        "pipe2", "_np(", "_np\"", "posix_spawn", "POSIX_SPAWN", "TIOCGWINSZ", "tcsetattr", "tcgetattr",
        "mallopt", "proc_pid", "proc_list", "_NSGet", "os(Linux)", "os(macOS)", "__GLIBC__", "__APPLE__",
    ]

    static func sourceFiles() throws -> [(relative: String, text: String)] {
        let root = sources.path + "/"
        let enumerator = FileManager.default.enumerator(atPath: sources.path)
        var files: [(String, String)] = []
        while let relative = enumerator?.nextObject() as? String {
            guard [".swift", ".c", ".h"].contains(where: relative.hasSuffix) else { continue }
            files.append((relative, try String(contentsOfFile: root + relative, encoding: .utf8)))
        }
        #expect(files.count > 50, "found only \(files.count) source files under \(root)")
        return files
    }

    @Test func nothingSystemSpecificOutsideThePlatformLayer() throws {
        var found: [String] = []
        for (relative, text) in try Self.sourceFiles() where !relative.hasPrefix(Self.platformFolder) {
            found += Self.violations(in: text, file: "Sources/" + relative)
        }
        #expect(found.isEmpty, "system-specific names outside Sources/\(Self.platformFolder) (move them into the platform layer):\n\(found.joined(separator: "\n"))")
    }

    static func violations(in text: String, file: String) -> [String] {
        var found: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for name in forbidden where line.contains(name) {
                // `environ` as a word only: `environment` is everywhere and portable.
                if name == "environ", !containsWord(String(line), name) { continue }
                found.append("\(file):\(number + 1): \(name)")
            }
        }
        return found
    }

    @Test func everyGlibcImportHasADarwinOne() throws {
        let missing = try Self.sourceFiles().filter { $0.text.contains("import Glibc") && !$0.text.contains("import Darwin") }.map(\.relative)
        #expect(missing.isEmpty, "files importing Glibc without the Darwin branch")
    }

    /// Each `#if os(Linux)` in the platform layer has an `#elseif os(macOS)` at the same level before its
    /// `#endif`: no fact is written for Linux alone.
    @Test func everyLinuxBranchHasADarwinBranch() throws {
        var unmatched: [String] = []
        var linuxBlocks = 0
        for (relative, text) in try Self.sourceFiles() where relative.hasPrefix(Self.platformFolder) {
            // A stack of open conditionals: whether each is an os(Linux) one still waiting for its macOS branch.
            var stack: [(line: Int, waiting: Bool)] = []
            for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("#if ") {
                    let isLinux = line.hasPrefix("#if os(Linux)")
                    if isLinux { linuxBlocks += 1 }
                    stack.append((number + 1, isLinux))
                } else if line.hasPrefix("#elseif os(macOS)"), !stack.isEmpty {
                    stack[stack.count - 1].waiting = false
                } else if line.hasPrefix("#endif"), let open = stack.popLast(), open.waiting {
                    unmatched.append("Sources/\(relative):\(open.line)")
                }
            }
        }
        #expect(linuxBlocks >= 8, "expected the platform layer's Linux branches, found \(linuxBlocks)")
        #expect(unmatched.isEmpty, "#if os(Linux) without an #elseif os(macOS) branch: \(unmatched)")
    }

    /// The scan itself finds what it is meant to find (a test that cannot fail is no test).
    @Test func theScanRecognisesEachForbiddenName() {
        for name in Self.forbidden {
            let text = "import CCSyncCore\nlet x = 1\n    let y = value\(name == "environ" ? " = environ" : "." + name + "x")\n"
            #expect(Self.violations(in: text, file: "F.swift") == ["F.swift:3: \(name)"], "not recognised: \(name)")
        }
        let portable = "let runner = ProcessRunner(environment: env)\nlet t = st.modificationTime.tv_sec\n"
        #expect(Self.violations(in: portable, file: "F.swift").isEmpty)
    }

    static func containsWord(_ line: String, _ word: String) -> Bool {
        var search = line[...]
        while let range = search.range(of: word) {
            let before = range.lowerBound == line.startIndex ? nil : line[line.index(before: range.lowerBound)]
            let after = range.upperBound == line.endIndex ? nil : line[range.upperBound]
            let isIdentifier: (Character?) -> Bool = { c in c.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
            if !isIdentifier(before) && !isIdentifier(after) { return true }
            search = line[range.upperBound...]
        }
        return false
    }
}
