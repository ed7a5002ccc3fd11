import Foundation
import Testing

/// A repository that tries to make `pull` write outside Claude's store: symlinked sessions and project
/// folders, relative and unmapped working directories, invalid folder names. Each is refused with a
/// message; nothing lands outside the store; the rest of the pull still works.
@Suite struct HostileRepositoryTests {
    @Test func aHostileRepositoryWritesNothingOutsideTheStore() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let a = world.a
            let b = world.b
            try a.initialize(remote: world.remote)
            try b.initialize(remote: world.remote)
            _ = try a.ccsync("pull")

            // What the attacker wants to reach, and must not.
            let outside = sandbox.path("outside")
            try sandbox.mkdir(outside)
            let secret = outside + "/secret.txt"
            try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: secret))
            let fm = FileManager.default
            let session = "0badc0de-0000-4000-8000-000000000001"
            let wc = a.workingCopy

            func write(_ relative: String, _ text: String) throws {
                let path = wc + "/" + relative
                try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            }
            // 1. A session file that is a symlink to a file outside.
            try write("projects/PROJECTS-link-00000001/.cwd", "\(b.machine.projects)/link\n")
            try fm.createSymbolicLink(atPath: wc + "/projects/PROJECTS-link-00000001/\(session).jsonl", withDestinationPath: secret)
            // 2. A project folder that is a symlink to a folder outside.
            try fm.createSymbolicLink(atPath: wc + "/projects/PROJECTS-dir-00000002", withDestinationPath: outside)
            // 3. A relative working directory.
            try write("projects/PROJECTS-rel-00000003/.cwd", "../../outside\n")
            try write("projects/PROJECTS-rel-00000003/\(session).jsonl", "{\"uuid\":\"r1\"}\n")
            // 4. A working directory under a placeholder nobody defined.
            try write("projects/NOPE-x-00000004/.cwd", "{{NOPE}}/x\n")
            try write("projects/NOPE-x-00000004/\(session).jsonl", "{\"uuid\":\"n1\"}\n")
            // 5. A folder name that is not a key (hidden).
            try write("projects/.hidden/.cwd", "\(b.machine.projects)/hidden\n")
            try write("projects/.hidden/\(session).jsonl", "{\"uuid\":\"h1\"}\n")
            // 6. Files that are not sessions beside a good one, and the good one.
            try write("projects/PROJECTS-good-00000006/.cwd", "\(a.machine.projects)/good\n")
            try write("projects/PROJECTS-good-00000006/run.sh", "rm -rf /\n")
            try write("projects/PROJECTS-good-00000006/\(session).jsonl", "{\"uuid\":\"g1\",\"cwd\":\"\(a.machine.projects)/good\"}\n")
            _ = try a.git("add", "-A", "projects")
            _ = try a.git("commit", "-q", "-m", "hostile")
            _ = try a.git("push", "-q", "origin", "HEAD:main")

            let pull = try b.ccsyncResult(["pull"])
            sandbox.check(pull.succeeded, "pull of a hostile repository failed instead of skipping:\n\(pull)")
            let messages = pull.stderrText
            sandbox.check(messages.contains("symlinks are not synced") || messages.contains("not a regular file"),
                          "no message about the symlinked session:\n\(messages)")
            sandbox.check(messages.contains("not an absolute path"), "no message about the relative cwd:\n\(messages)")
            sandbox.check(messages.contains("{{NOPE}}"), "no message about the unknown placeholder:\n\(messages)")

            // Nothing outside was touched, and the store holds no links and nothing of the refused folders.
            sandbox.check((try? String(contentsOfFile: secret, encoding: .utf8)) == "keep me\n", "the outside file changed")
            sandbox.check(try fm.contentsOfDirectory(atPath: outside) == ["secret.txt"], "something was written outside the store")
            let store = b.home + "/.claude"
            var links: [String] = []
            if let walker = fm.enumerator(atPath: store) {
                for case let relative as String in walker {
                    let attributes = try fm.attributesOfItem(atPath: store + "/" + relative)
                    if attributes[.type] as? FileAttributeType == .typeSymbolicLink { links.append(relative) }
                }
            }
            sandbox.check(links.isEmpty, "the store holds symlinks: \(links)")
            let folders = (try? fm.contentsOfDirectory(atPath: store + "/projects")) ?? []
            sandbox.check(!folders.contains { $0.contains("hidden") || $0.contains("outside") || $0.contains("NOPE") },
                          "a refused folder reached the store: \(folders)")
            // The good session arrived, translated, without the stray script.
            let good = b.storePath(cwd: b.machine.projects + "/good", "\(session).jsonl")
            sandbox.check((try? String(contentsOfFile: good, encoding: .utf8)) == "{\"uuid\":\"g1\",\"cwd\":\"\(b.machine.projects)/good\"}\n",
                          "the good session did not arrive translated at \(good)")
            sandbox.check(!fm.fileExists(atPath: (good as NSString).deletingLastPathComponent + "/run.sh"), "a non-session file reached the store")
        }
    }

    /// A plain `git push` that lost the race meets git's own refusal, not an error of our hook that could
    /// not read a remote commit it has never fetched.
    @Test func aPlainPushBehindTheRemoteGetsGitsOwnAnswer() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let a = world.a
            let b = world.b
            try a.initialize(remote: world.remote)
            try b.initialize(remote: world.remote)  // B's registration is on the remote, A has not fetched it
            let path = a.workingCopy + "/projects/PROJECTS-x-00000001/.cwd"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("\(a.machine.projects)/x\n".utf8).write(to: URL(fileURLWithPath: path))
            _ = try a.git("add", "-A", "projects")
            _ = try a.git("commit", "-q", "-m", "behind")
            let push = try a.gitResult(["push", "origin", "HEAD:main"])
            sandbox.check(!push.succeeded, "a push behind the remote succeeded")
            sandbox.check(push.stderrText.contains("fetch first") || push.stderrText.contains("non-fast-forward"),
                          "git did not refuse it as behind:\n\(push)")
            sandbox.check(!push.stderrText.contains("git-ccsync: error"), "our hook failed instead of letting git answer:\n\(push)")
        }
    }
}
