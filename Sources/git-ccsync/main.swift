import ArgumentParser
import CCSyncCore
#if canImport(Glibc)
import Glibc
#endif

// Exit codes scripts can rely on: 0 success, 1 an operation failed, 2 a usage error.
_ = CLIContext.started
do {
    var command = try FastDispatch.command(Array(CommandLine.arguments.dropFirst())) ?? GitCCSync.parseAsRoot()
    try command.run()
} catch {
    exit(CLIErrors.report(error))
}
