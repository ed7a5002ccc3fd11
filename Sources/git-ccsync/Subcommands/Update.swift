import ArgumentParser
import CCSyncCore

extension GitCCSync {
    struct Update: FastDispatchable {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Push and release every lock this machine holds (after a crash or a lost network).")

        @OptionGroup var copyOptions: WorkingCopyOptions

        /// The command with its options as plain values (`FastDispatch` builds one without any parser).
        struct Invocation: Equatable {
            var dir: String?

            func run() throws {
                try Update.execute(copy: WorkingCopyOptions.open(dir: dir))
            }
        }

        var invocation: FastDispatch.Invocation { .update(Invocation(dir: copyOptions.dir)) }

        static func execute(copy: WorkingCopy) throws {
            var update = UpdateWorkflow(copy: copy)
            update.progress = CLIContext.progress
            // The push's report also names each lock another machine took over.
            try update.run(pushed: { Push.report($0, machine: copy.machine) }, released: { id, error in
                if let error {
                    CLIContext.warn("\(error)")
                } else {
                    CLIContext.print("released the lock on \(id.prefix(8))")
                }
            })
        }
    }
}
