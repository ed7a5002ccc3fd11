import Clibgit2

/// A failed libgit2 call: its return code, libgit2's error class and message, and which call failed.
public struct GitError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let errorClass: Int32
    public let message: String
    public let call: String

    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    public var description: String { "\(call): \(message)" }

    static func last(code: Int32, call: String) -> GitError {
        if let error = git_error_last() {
            let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
            return GitError(code: code, errorClass: error.pointee.klass, message: message, call: call)
        }
        return GitError(code: code, errorClass: 0, message: "error \(code)", call: call)
    }
}

/// Wraps every libgit2 call: `try check(git_x(...), "git_x")`.
@inline(__always)
func check(_ code: Int32, _ call: @autoclosure () -> String) throws(GitError) {
    guard code >= 0 else { throw GitError.last(code: code, call: call()) }
}

/// libgit2 must be initialised once per process before any other call; a global `let` runs its
/// initialiser exactly once, thread-safely.
let libgit2Initialized: Void = {
    _ = git_libgit2_init()
    _ = ccsync_disable_strict_hash_verification()
}()
