import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GitCCSync {
    /// What the installed hooks call. Plain git commands in the working copy stay safe through these.
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hook",
            abstract: "Run a git hook's work (called by the hooks 'git ccsync init' installs).",
            discussion: """
                post-merge, post-checkout and post-rewrite write the sessions git changed into Claude's store; \
                pre-push checks what a plain 'git push' sends. claude-session-start, claude-prompt, \
                claude-pre-compact, claude-stop and claude-session-end are Claude Code's hooks (see \
                'git ccsync claude-hooks'); they read Claude's hook JSON on stdin.
                """
        )

        @Argument(help: "pre-push, post-merge, post-checkout, post-rewrite, or claude-session-start and the other Claude Code hooks")
        var name: String

        @Argument(parsing: .captureForPassthrough, help: "The hook's own arguments.")
        var arguments: [String] = []

        func run() throws {
            if name.hasPrefix("claude-") {
                try ClaudeHook.run(name, arguments: arguments)
                return
            }
            // Our own commands sync themselves; a hook inside them would do the work twice.
            if CLIContext.env(RemoteSync.internalEnvironment) != nil { return }
            switch name {
            case "post-merge", "post-rewrite":
                try syncOut()
            case "post-checkout":
                // Arguments: previous HEAD, new HEAD, 1 for a branch checkout (0 for a file checkout).
                if arguments.count >= 3, arguments[2] == "1" { try syncOut() }
            case "pre-push":
                try prePush()
            default:
                throw ValidationError("unknown hook '\(name)'")
            }
        }

        func prePush() throws {
            let input = String(decoding: try readAll(fd: 0, path: "standard input"), as: UTF8.self)
            let copy = try WorkingCopyOptions(dir: CLIContext.absolute(".")).open()
            var check = PrePushWorkflow(copy: copy, remoteName: arguments.first)
            check.allowSecrets = CLIContext.env("GIT_CCSYNC_ALLOW_SECRETS") == "1"
            check.skipLocks = CLIContext.env("GIT_CCSYNC_SKIP_LOCKS") == "1"
            do {
                try check.check(input)
            } catch PrePushWorkflow.Refusal.secrets(let found) {
                writeStderr("git-ccsync: error: \(found)\n")
                throw ExitCode(1)
            } catch PrePushWorkflow.Refusal.locked(let violations) {
                for record in violations {
                    writeStderr("git-ccsync: error: session \(record.session) is locked by \(record.holder) until "
                                + "\(record.expires.formatted(.iso8601)); this push changes it\n")
                }
                writeStderr("git-ccsync: the push was refused so that two machines never write one conversation. Ways out:\n"
                    + "  - wait until the lock expires, or run 'git ccsync update' on \(violations[0].holder);\n"
                    + "  - 'git ccsync push' pushes everything else and leaves the locked sessions out;\n"
                    + "  - 'git ccsync lock release <session> --force' if the holder is gone for good;\n"
                    + "  - GIT_CCSYNC_SKIP_LOCKS=1 git push skips this check.\n")
                throw ExitCode(1)
            }
        }

        func syncOut() throws {
            let copy = try WorkingCopyOptions(dir: CLIContext.absolute(".")).open()
            let report = try RemoteSync(copy: copy).syncOutHead()
            for w in report.warnings { CLIContext.warn(w) }
            let ids = report.sessionIDs
            if !ids.isEmpty {
                writeStderr("git-ccsync: updated \(ids.count) session\(ids.count == 1 ? "" : "s") in Claude's store\n")
            }
        }
    }
}
