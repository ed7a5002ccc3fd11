import ArgumentParser
import CCSyncCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns any error into one line on stderr and an exit code: `git-ccsync: error: <what> (<what to do>)`.
enum CLIErrors {
    static func report(_ error: any Error) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        // Help, version and argument errors are ArgumentParser's to print.
        let code = GitCCSync.exitCode(for: error)
        if code == .success {
            GitCCSync.exit(withError: error)
        }
        if code == .validationFailure || isParserError(error) {
            let message = GitCCSync.fullMessage(for: error)
            writeStderr(message.hasSuffix("\n") ? message : message + "\n")
            return 2
        }
        writeStderr("git-ccsync: error: \(describe(error))\n")
        return 1
    }

    static func describe(_ error: any Error) -> String {
        String(describing: error)
    }

    private static func isParserError(_ error: any Error) -> Bool {
        // ArgumentParser's own errors are not public types; anything it reports with usage text is one.
        !(error is CLIError) && GitCCSync.message(for: error).contains("Usage:") == false
            && String(reflecting: type(of: error)).contains("ArgumentParser")
    }
}

/// An error of the command line itself, with the hint that goes in parentheses.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

func writeStderr(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
