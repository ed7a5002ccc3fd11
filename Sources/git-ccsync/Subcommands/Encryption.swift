import ArgumentParser
import CCSyncCore

extension GitCCSync {
    /// `git ccsync encrypt`: turn an existing repository into an encrypted one.
    struct Encrypt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encrypt",
            abstract: "Encrypt this sync repository from now on (every line, the shared settings, the machine records).",
            discussion: """
                Creates the repository key, stores it for this machine in .ccsync/keys/<machine>.age (an age file \
                to this machine's identity), re-adds every file encrypted, commits and pushes. The history \
                already on the remote stays readable there: for a host that never saw a readable line, create a \
                new empty remote and move to it with 'git ccsync config set-remote URL'. Other machines must then \
                be admitted with 'git ccsync trust'.
                """
        )

        @OptionGroup var copyOptions: WorkingCopyOptions

        func run() throws {
            let copy = try copyOptions.open()
            let identity = try copy.settings.identityPath ?? CLIContext.identityPath(machine: copy.machine)
            let notes = try EncryptionAdmin(copy: copy).enable(identityPath: identity)
            for note in notes { CLIContext.print("warning: \(note)") }
            try KeyCommands.push(copy)
        }
    }

    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trust",
            abstract: "Let a machine read this encrypted repository (run on a machine already trusted).",
            discussion: """
                The new machine's 'git ccsync init' prints this command with its recipient. The repository keys \
                are written to .ccsync/keys/<machine>.age encrypted to that recipient (age format: \
                'age -d -i <identity>' opens it), committed and pushed. The recipient is given here, not read \
                from the remote, so whoever controls the remote cannot have you trust a key of theirs.
                """
        )

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Argument(help: "The machine id to admit.")
        var machine: String

        @Argument(help: "Its age recipient (age1...), as its 'git ccsync init' printed it.")
        var recipient: String

        func run() throws {
            let copy = try copyOptions.open()
            try EncryptionAdmin(copy: copy).trust(machine: machine, recipient: recipient)
            CLIContext.print("trusted \(machine); after this push, 'git ccsync init' on \(machine) finishes joining")
            try KeyCommands.push(copy)
        }
    }

    struct Untrust: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "untrust",
            abstract: "Stop a machine reading what is written from now on (rotates the repository key).",
            discussion: """
                Removes the machine's key file and adds a new repository key, written for every machine still \
                trusted; new lines are encrypted with it. The machine keeps the earlier keys: history stays \
                readable to it. Revoke its access to the remote as well.
                """
        )

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Argument(help: "The machine id to remove.")
        var machine: String

        func run() throws {
            let copy = try copyOptions.open()
            let notes = try EncryptionAdmin(copy: copy).untrust(machine: machine)
            for note in notes { CLIContext.print(note) }
            try KeyCommands.push(copy)
        }
    }
}

enum KeyCommands {
    /// Key changes are useless until pushed: push now, as 'git ccsync push' would.
    static func push(_ copy: WorkingCopy) throws {
        var sync = RemoteSync(copy: copy)
        sync.progress = CLIContext.progress
        let pushed = try sync.push()
        GitCCSync.Push.report(pushed, machine: copy.machine)
    }
}
