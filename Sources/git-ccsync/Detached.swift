import CCSyncCore
#if canImport(Glibc)
import Glibc
#endif

/// Starts a background process that outlives us and holds none of our descriptors: stdin from
/// /dev/null, stdout and stderr appended to a log. Claude Code waits for a hook's output to close, so a
/// keeper that kept the hook's pipe would hold Claude up. (The keeper leaves Claude's session itself.)
enum Detached {
    static func spawn(_ program: String, _ arguments: [String], log: String) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        ProcessRunner.resetSignals(&attributes)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        _ = spawnFileActionsAddCloseFrom(&actions, 3)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        guard code == 0 else { throw CLIError(message: "starting \(program) failed: \(String(cString: strerror(code)))") }
    }
}
