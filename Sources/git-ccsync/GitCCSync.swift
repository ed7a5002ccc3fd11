import ArgumentParser
import CCSyncCore

/// `git ccsync`: Claude Code sessions in an ordinary git working copy.
struct GitCCSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-ccsync",
        abstract: "Sync Claude Code sessions between machines through an ordinary git repository.",
        discussion: """
            Sessions live in a git working copy (default ~/.ccsync). A clean/smudge filter turns this \
            machine's paths into portable placeholders such as {{PROJECTS}} on 'git add' and back on \
            checkout, so a conversation started on one machine resumes on another.
            """,
        version: CCSyncVersion.string,
        subcommands: [
            Init.self,
            Resume.self,
            Push.self,
            Pull.self,
            Status.self,
            List.self,
            Config.self,
            Lock.self,
            Update.self,
            Daemon.self,
            ClaudeHooks.self,
            Doctor.self,
            Encrypt.self,
            Trust.self,
            Untrust.self,
            Hook.self,
            FilterProcess.self,
            Clean.self,
            Smudge.self,
            Textconv.self,
            MergeJSONL.self,
        ]
    )
}
