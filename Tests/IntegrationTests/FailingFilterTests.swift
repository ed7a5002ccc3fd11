import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `filter.ccsync.required = true`: when the filter cannot translate, git must stop and store nothing,
/// never the raw local paths.
@Suite struct FailingFilterTests {
    static let malformedConfig = "[placeholder \"PROJECTS\"]\n  linux-a = relative/path\n"

    @Test func aMalformedSharedConfigStopsGitAddAndNothingIsStored() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let a = world.a
            let tracked = "projects/shop/tracked.jsonl"
            try a.write(tracked, Array("{\"cwd\":\"\(a.projects)/shop\"}\n"))
            try world.commitAndPush(a, [tracked], message: "a session while the config was fine")
            let trackedEntry = try a.git("ls-files", "-s", "--", tracked).stdoutText

            try a.write(".ccsync/config", Array(Self.malformedConfig))
            let marker = "marker-7f3e9c"
            let fresh = "projects/shop/new.jsonl"
            try a.write(fresh, Array("{\"cwd\":\"\(a.projects)/shop\",\"text\":\"\(marker) in \(a.home)\"}\n"))
            try a.append(tracked, Array("{\"text\":\"\(marker) appended in \(a.projects)/shop\"}\n"))

            for path in [fresh, tracked] {
                let add = try a.gitResult(["add", "--", path])
                sandbox.check(!add.succeeded, "git add \(path) succeeded with a malformed .ccsync/config:\n\(add)")
                sandbox.check(add.stderrText.contains(".ccsync/config:2"),
                              "git add \(path) fails without naming .ccsync/config:2:\n\(add)")
            }
            sandbox.check(try a.git("ls-files", "-s", "--", fresh).stdout.isEmpty, "\(fresh) is in the index")
            sandbox.check(try a.git("ls-files", "-s", "--", tracked).stdoutText == trackedEntry,
                          "the index entry of \(tracked) changed")
            for path in [fresh, tracked] {
                let rawID = try a.git("hash-object", "--no-filters", "--", path).stdoutText
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let stored = try a.gitResult(["cat-file", "-e", rawID])
                sandbox.check(!stored.succeeded, "the raw content of \(path) was stored as \(rawID)")
            }
            let objects = try a.git("cat-file", "--batch-all-objects", "--batch").stdout
            sandbox.check(!Bytes.contains(objects, marker), "an object holding the new text was stored")

            let direct = try a.ccsync("clean", fresh, stdin: try a.read(fresh))
            sandbox.check(direct.status == 1 && direct.stdout.isEmpty, "git-ccsync clean should exit 1 with no output:\n\(direct)")
            let message = direct.stderrText
            sandbox.check(message.hasPrefix("git-ccsync: error: ") && message.contains(".ccsync/config:2")
                          && message.split(separator: "\n").count == 1,
                          "git-ccsync clean should say what is wrong on one line:\n\(direct)")

            let commit = try a.gitResult(["commit", "-a", "-m", "must not happen"])
            sandbox.check(!commit.succeeded, "git commit -a succeeded with a malformed .ccsync/config:\n\(commit)")
            sandbox.check(!Bytes.contains(try a.git("cat-file", "--batch-all-objects", "--batch").stdout, marker),
                          "git commit -a stored the new text")
        }
    }

    @Test func aMalformedSharedConfigStopsACheckoutInsteadOfWritingPlaceholders() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            try b.write(".ccsync/config", Array(Self.malformedConfig))
            let path = "projects/shop/from-a.jsonl"
            try a.write(path, Array("{\"cwd\":\"\(a.projects)/shop\"}\n"))
            try world.commitAndPush(a, [path], message: "a session for B")

            let pull = try b.gitResult(["pull", "--quiet"])
            sandbox.check(!pull.succeeded, "git pull succeeded although B's filter cannot smudge:\n\(pull)")
            sandbox.check(pull.stderrText.contains(".ccsync/config:2"), "the failed pull does not name .ccsync/config:2:\n\(pull)")
            if FileManager.default.fileExists(atPath: b.absolute(path)) {
                let onB = try b.read(path)
                sandbox.check(!Bytes.contains(onB, "{{"), "B's work tree got the repository form: \(String(decoding: onB, as: UTF8.self))")
            }

            try b.write(".ccsync/config", Array(TwoMachines.sharedConfig(a, b)))
            try b.git("pull", "--quiet")
            sandbox.expectSameBytes(try b.read(path), Array("{\"cwd\":\"\(b.projects)/shop\"}\n"),
                                    "B's \(path) once its config is mended")
            try b.expectPristine("after the pull that works")
        }
    }

    /// chmod 000 means nothing to root, so this one only runs as another user.
    @Test(.enabled(if: geteuid() != 0, "root reads a mode-000 file anyway"))
    func anUnreadableSharedConfigStopsGitAdd() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let a = world.a
            let path = "projects/shop/new.jsonl"
            try a.write(path, Array("{\"cwd\":\"\(a.projects)/shop\"}\n"))
            let config = a.absolute(".ccsync/config")
            try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: config)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config) }
            let add = try a.gitResult(["add", "--", path])
            sandbox.check(!add.succeeded, "git add succeeded with an unreadable .ccsync/config:\n\(add)")
            sandbox.check(add.stderrText.contains(".ccsync/config"), "the error does not name .ccsync/config:\n\(add)")
            sandbox.check(try a.git("ls-files", "-s", "--", path).stdout.isEmpty, "\(path) is in the index")
        }
    }
}
