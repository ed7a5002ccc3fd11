import ArgumentParser
import CCSyncCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Exit codes scripts can rely on: 0 success, 1 an operation failed, 2 a usage error.
_ = CLIContext.started
HeapTuning.keepBuffersInHeap()
do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let run = FastDispatch.immediate(arguments) {
        try run()
    } else {
        var command = try GitCCSync.parseAsRoot()
        try command.run()
    }
} catch {
    exit(CLIErrors.report(error))
}
