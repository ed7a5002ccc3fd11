import Foundation
import Testing

/// One computer of the user's: its home directory (the built-in `{{HOME}}`), its `PROJECTS` path, its id,
/// its own git configuration and its own clone of the sync repository.
///
/// Every git command runs with an environment built here and nothing else: `HOME`, a global config file of
/// its own in the sandbox, no system config, no prompts, a fixed author and date, and a `PATH` that starts
/// with the directory of the `git-ccsync` under test.
final class Machine {
    struct Spec {
        let id: String
        let home: String
        let projects: String
        /// Where its clone lives (need not be under `home`: the vectors' homes do not exist).
        let clone: String

        /// The Linux desktop, with its home inside the sandbox.
        static func linuxA(in sandbox: Sandbox) -> Spec {
            let home = sandbox.path("home/ana")
            return Spec(id: "linux-a", home: home, projects: home + "/code", clone: home + "/.ccsync")
        }

        /// The MacBook, with its home inside the sandbox.
        static func macB(in sandbox: Sandbox) -> Spec {
            let home = sandbox.path("Users/ana")
            return Spec(id: "mac-b", home: home, projects: home + "/dev", clone: home + "/.ccsync")
        }
    }

    let spec: Spec
    let sandbox: Sandbox
    let binary: String
    let gitExecutable: String
    let globalConfig: String
    private(set) var environment: [String: String]

    var id: String { spec.id }
    var home: String { spec.home }
    var projects: String { spec.projects }
    var clone: String { spec.clone }

    init(_ spec: Spec, sandbox: Sandbox) throws {
        self.spec = spec
        self.sandbox = sandbox
        binary = try Tools.binary()
        gitExecutable = try Tools.git()
        globalConfig = sandbox.path("gitconfig/\(spec.id)")
        try sandbox.mkdir(sandbox.path("gitconfig"))
        try Data("""
            [init]
            \tdefaultBranch = main
            [advice]
            \tdetachedHead = false
            [pull]
            \trebase = false

            """.utf8).write(to: URL(fileURLWithPath: globalConfig))
        if spec.home.hasPrefix(sandbox.root + "/") {
            try sandbox.mkdir(spec.projects)
        }

        let binaryDirectory = URL(fileURLWithPath: binary).deletingLastPathComponent().path
        let gitDirectory = URL(fileURLWithPath: gitExecutable).deletingLastPathComponent().path
        let name = "Ana on \(spec.id)"
        let email = "ana@\(spec.id).example"
        let date = "2025-06-01T12:00:00+00:00"
        environment = [
            "HOME": spec.home,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": globalConfig,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CEILING_DIRECTORIES": sandbox.root,
            "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": date,
            "PATH": "\(binaryDirectory):\(gitDirectory):/usr/local/bin:/usr/bin:/bin",
            "LC_ALL": "C",
            "TMPDIR": sandbox.path("tmp"),
        ]
        try sandbox.mkdir(sandbox.path("tmp"))
        // The binary may need the toolchain's runtime libraries from wherever the tests found them.
        for key in ["LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH", "DYLD_FRAMEWORK_PATH"] {
            if let value = ProcessInfo.processInfo.environment[key] { environment[key] = value }
        }
    }

    // MARK: git

    /// `git <arguments>` in the clone (or `directory`); throws with git's output unless it exits 0.
    @discardableResult
    func git(_ arguments: String..., in directory: String? = nil, stdin: [UInt8]? = nil,
             environment extra: [String: String] = [:]) throws -> CommandResult {
        let result = try gitResult(arguments, in: directory, stdin: stdin, environment: extra)
        guard result.succeeded else { throw CommandFailure(result: result) }
        return result
    }

    /// `git <arguments>` whatever its exit status.
    func gitResult(_ arguments: [String], in directory: String? = nil, stdin: [UInt8]? = nil,
                   environment extra: [String: String] = [:]) throws -> CommandResult {
        try Command.run(gitExecutable, arguments, in: directory ?? clone,
                        environment: environment.merging(extra) { $1 }, stdin: stdin, sandbox: sandbox)
    }

    /// `git-ccsync <arguments>` in the clone with this machine's environment, whatever its exit status.
    func ccsync(_ arguments: String..., stdin: [UInt8]? = nil) throws -> CommandResult {
        try Command.run(binary, arguments, in: clone, environment: environment, stdin: stdin, sandbox: sandbox)
    }

    /// The `-c` options that configure the filter in a new clone before its first checkout, as
    /// `git ccsync init` writes them into the clone's config.
    func filterConfiguration(process: Bool) -> [String] {
        let quoted = "'" + binary.replacingOccurrences(of: "'", with: "'\\''") + "'"
        var settings = [
            "filter.ccsync.clean=\(quoted) clean %f",
            "filter.ccsync.smudge=\(quoted) smudge %f",
            "filter.ccsync.required=true",
            "ccsync.machine=\(id)",
        ]
        if process { settings.insert("filter.ccsync.process=\(quoted) filter-process", at: 0) }
        return settings.flatMap { ["-c", $0] }
    }

    // MARK: files in the clone

    func absolute(_ relative: String) -> String { clone + "/" + relative }

    func read(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: absolute(relative))))
    }

    func write(_ relative: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: absolute(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func append(_ relative: String, _ bytes: [UInt8]) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: absolute(relative)))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: absolute(relative))
    }

    func trackedFiles() throws -> [String] {
        let output = try git("ls-files", "-z").stdout
        return output.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sets every tracked file's mtime to now, as an editor or a sync tool that rewrote it unchanged would.
    func touchTrackedFiles() throws {
        let now = Date()
        for file in try trackedFiles() {
            try FileManager.default.setAttributes([.modificationDate: now], ofItemAtPath: absolute(file))
        }
    }

    /// The blob stored for `path` at `revision`, in repository form.
    func blob(_ path: String, at revision: String = "HEAD") throws -> [UInt8] {
        try git("cat-file", "blob", "\(revision):\(path)").stdout
    }

    // MARK: checks

    /// `git status` shows nothing, right after the last command (racy-git: git must re-read content whose
    /// mtime equals the index's), after touching every tracked file in the same second, and after touching
    /// them again a second later and `git update-index --really-refresh` (every file goes through clean).
    func expectPristine(_ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        func expectEmptyStatus(_ step: String) throws {
            let status = try git("status", "--porcelain", "--untracked-files=all")
            sandbox.check(status.stdout.isEmpty, "\(id), \(context), \(step): git status is not clean:\n\(status)",
                          sourceLocation: sourceLocation)
        }
        try expectEmptyStatus("as it is")
        try touchTrackedFiles()
        try expectEmptyStatus("after touch")
        Thread.sleep(forTimeInterval: 1.1)
        try touchTrackedFiles()
        let refresh = try gitResult(["update-index", "--really-refresh"])
        sandbox.check(refresh.succeeded && refresh.stdout.isEmpty,
                      "\(id), \(context): git update-index --really-refresh finds changes:\n\(refresh)",
                      sourceLocation: sourceLocation)
        try expectEmptyStatus("after touch a second later and --really-refresh")
        let diff = try gitResult(["diff", "--exit-code", "--stat"])
        sandbox.check(diff.succeeded, "\(id), \(context): git diff is not empty:\n\(diff)",
                      sourceLocation: sourceLocation)
    }
}
