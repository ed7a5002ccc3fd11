import ArgumentParser
import CCSyncCore

extension GitCCSync {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Show or change placeholders, paths and the remote.",
            subcommands: [Show.self, AddPlaceholder.self, SetPath.self, SetRemote.self],
            defaultSubcommand: Show.self
        )

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show this machine's settings and every placeholder with every machine's path.")

            @OptionGroup var copyOptions: WorkingCopyOptions

            func run() throws {
                let copy = try copyOptions.open()
                let config = try copy.sharedConfig()
                let remote = try copy.git.remoteURL()
                CLIContext.print("machine:       \(copy.machine)")
                CLIContext.print("working copy:  \(copy.root)")
                CLIContext.print("claude store:  \(copy.store.root)")
                CLIContext.print("remote:        \(remote ?? "(none)")")
                CLIContext.print("synced:        \(copy.syncDirectories(config: config).joined(separator: ", "))")
                CLIContext.print("placeholders:")
                CLIContext.print("  {{HOME}}  built in: each machine's home directory (here \(copy.home ?? "unknown"))")
                for placeholder in config.placeholders {
                    CLIContext.print("  {{\(placeholder.name)}}")
                    for (machine, path) in placeholder.paths {
                        CLIContext.print("    \(machine == copy.machine ? "*" : " ") \(machine) = \(path.string)")
                    }
                    if !placeholder.paths.contains(where: { $0.machine == copy.machine }) {
                        CLIContext.print("    ! no path on \(copy.machine) (git ccsync config set-path \(placeholder.name) \(copy.machine) PATH)")
                    }
                }
            }
        }

        struct AddPlaceholder: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add-placeholder",
                abstract: "Set this machine's path for {{NAME}} (creating NAME if new), commit and push.")

            @OptionGroup var copyOptions: WorkingCopyOptions

            @Argument(help: ArgumentHelp("NAME=PATH, e.g. PROJECTS=~/code", valueName: "NAME=PATH"))
            var assignment: String

            func run() throws {
                guard let eq = assignment.firstIndex(of: "=") else {
                    throw ValidationError("expected NAME=PATH, got '\(assignment)'")
                }
                let copy = try copyOptions.open()
                try SetPath.apply(copy: copy, name: String(assignment[..<eq]), machine: copy.machine,
                                  path: CLIContext.placeholderPath(String(assignment[assignment.index(after: eq)...])))
            }
        }

        struct SetPath: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set-path",
                abstract: "Set a machine's path for {{NAME}}, commit and push.")

            @OptionGroup var copyOptions: WorkingCopyOptions

            @Argument(help: "The placeholder name, e.g. PROJECTS.") var name: String
            @Argument(help: "The machine id.") var machine: String
            @Argument(help: "That machine's absolute path.") var path: String

            func run() throws {
                let copy = try copyOptions.open()
                let id = try MachineID(machine, location: "the machine argument")
                try Self.apply(copy: copy, name: name, machine: id, path: id == copy.machine ? CLIContext.placeholderPath(path) : path)
            }

            static func apply(copy: WorkingCopy, name: String, machine: MachineID, path: String) throws {
                var editor = ConfigEditor(copy: copy)
                editor.progress = CLIContext.progress
                let result = try editor.setPath(name: name, machine: machine, path: path)
                CLIContext.print("{{\(name)}} on \(machine) is now \(path)" + (result.pushed ? "; pushed" : ""))
            }
        }

        struct SetRemote: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set-remote",
                abstract: "Sync with another remote (the next push fills it).")

            @OptionGroup var copyOptions: WorkingCopyOptions

            @Argument(help: "A git URL or a path to a bare repository.") var url: String

            func run() throws {
                let copy = try copyOptions.open()
                try ConfigEditor(copy: copy).setRemote(url.hasPrefix("/") || url.contains(":") ? url : CLIContext.absolute(url))
                CLIContext.print("remote is now \(url); run 'git ccsync push' to fill it")
            }
        }
    }
}
