import ArgumentParser
import Testing
@testable import git_ccsync

/// The fast dispatch (`FastDispatch`) must do exactly what the parser does for the same arguments: for
/// every shape it recognises, the root parser builds a command whose invocation is the one the fast path
/// builds, option defaults included. Anything else it must leave to the parser.
@Suite struct FastDispatchTests {
    @Test(arguments: FastDispatch.shapes)
    func eachFastShapeIsWhatTheParserBuilds(_ arguments: [String]) throws {
        let fast = try #require(FastDispatch.invocation(arguments), "the fast path does not take \(arguments)")
        let parsed = try GitCCSync.parseAsRoot(arguments)
        let command = try #require(parsed as? any FastDispatchable,
                                   "the parser built \(type(of: parsed)) for \(arguments), which the fast path cannot stand in for")
        #expect(command.invocation == fast, "for \(arguments)")
    }

    /// Options, help, a stray `--`, an option where the session goes, no session at all: the parser's.
    @Test(arguments: [
        [], ["pull", "--dry-run"], ["pull", "--dir", "/tmp"], ["push", "--all"], ["push", "-q"], ["update", "--dir=x"],
        ["pull", "--help"], ["pull", "-h"], ["pull", "--"], ["filter-process", "--help"], ["resume"], ["resume", "--latest"],
        ["resume", "-h"], ["resume", ""], ["resume", "5a5a", "--force"], ["init"], ["status"],
        ["--version"], ["help", "pull"], ["clean", "x"], ["list"],
    ])
    func everythingElseGoesToTheParser(_ arguments: [String]) {
        #expect(FastDispatch.invocation(arguments) == nil, "the fast path took \(arguments)")
    }

    /// The root parser's invocations for a few option-laden command lines: each option lands in its field.
    @Test func optionsReachTheInvocation() throws {
        let resume = try GitCCSync.parseAsRoot(["resume", "--from", "mac-b", "--all", "--force", "--cwd", "/w", "--dir", "/c", "--latest"])
        var expected = GitCCSync.Resume.Invocation()
        (expected.dir, expected.from, expected.all, expected.force, expected.cwd, expected.latest) = ("/c", "mac-b", true, true, "/w", true)
        #expect((resume as? any FastDispatchable)?.invocation == .resume(expected))

        let pull = try GitCCSync.parseAsRoot(["pull", "--dry-run", "--force", "--all", "--quiet"])
        #expect((pull as? any FastDispatchable)?.invocation == .pull(.init(dir: nil, dryRun: true, force: true, all: true, quiet: true)))

        let push = try GitCCSync.parseAsRoot(["push", "--dry-run", "--all", "--allow-secrets", "-q"])
        #expect((push as? any FastDispatchable)?.invocation == .push(.init(dir: nil, dryRun: true, all: true, allowSecrets: true, quiet: true)))
    }
}
