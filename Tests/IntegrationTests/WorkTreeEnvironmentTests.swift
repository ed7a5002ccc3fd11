import Foundation
import Testing

/// git exports `GIT_WORK_TREE` to the filter for `git --work-tree=...` (and scripts that set it) and for the
/// checkout that `git worktree add` runs. The filter must work there too: it is `required`, so a filter
/// that cannot start stops git altogether.
@Suite struct WorkTreeEnvironmentTests {
    @Test func gitWithAnExplicitWorkTreeCleansAndSmudges() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let path = "projects/shop/talk.jsonl"
            let written = Array("{\"cwd\":\"\(a.projects)/shop\"}\n")
            try a.write(path, written)
            try a.gitResult(["--git-dir", a.clone + "/.git", "--work-tree", a.clone, "add", "--", path],
                            in: sandbox.root).orThrow()
            try a.git("commit", "--quiet", "-m", "added with --work-tree")
            try a.git("push", "--quiet", "origin", "main")
            sandbox.expectSameBytes(try world.remoteBlob(path), Array("{\"cwd\":\"{{PROJECTS}}/shop\"}\n"), "the stored \(path)")

            let pull = try b.gitResult(["--git-dir", b.clone + "/.git", "--work-tree", b.clone, "pull", "--quiet"],
                                       in: b.clone)
            sandbox.check(pull.succeeded, "git --work-tree pull failed:\n\(pull)")
            sandbox.expectSameBytes(try b.read(path), TestLogs.translated(written, from: a, to: b), "B's \(path)")
            try b.touchTrackedFiles()
            let status = try b.gitResult(["--git-dir", b.clone + "/.git", "--work-tree", b.clone, "status", "--porcelain"],
                                         in: sandbox.root)
            sandbox.check(status.succeeded && status.stdout.isEmpty, "git --work-tree status:\n\(status)")
        }
    }

    @Test func gitWorktreeAddChecksOutTranslatedFiles() throws {
        try Sandbox.with { sandbox in
            let world = try TwoMachines(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let path = "projects/shop/talk.jsonl"
            let written = Array("{\"cwd\":\"\(a.projects)/shop\"}\n{\"text\":\"on my Mac it is \(b.projects)/z\"}\n")
            try a.write(path, written)
            try world.commitAndPush(a, [path], message: "a session")
            try b.git("pull", "--quiet")

            let linked = Machine.Spec(id: b.id, home: b.home, projects: b.projects, clone: sandbox.path("Users/ana/side"))
            try b.gitResult(["worktree", "add", "--quiet", "-b", "side", linked.clone]).orThrow()
            let side = try Machine(linked, sandbox: sandbox)
            sandbox.expectSameBytes(try side.read(path), TestLogs.translated(written, from: a, to: b),
                                    "the linked worktree's \(path)")
            try side.expectPristine("a linked worktree")
        }
    }
}
