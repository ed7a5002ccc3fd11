/// How a resume ended once Claude had run: Claude's exit status and what, if anything, kept its lines
/// from reaching the remote.
public struct ResumeOutcome: Sendable {
    public enum Failure: Sendable {
        /// The push after Claude failed (`summary` says why): the lines are committed here and the lock is
        /// kept until it expires; `git ccsync update` finishes the job.
        case pushFailed(summary: String)
        /// Another machine took the session over while Claude ran here: the new lines wait in Claude's
        /// store and are merged once that machine lets go.
        case takenOver(LockRecord)
    }

    public let session: String
    public let claudeStatus: Int32
    public let failure: Failure?

    /// The process's exit status: Claude's, or 1 when Claude succeeded but its lines did not get out.
    public var exitStatus: Int32 {
        failure != nil && claudeStatus == 0 ? 1 : claudeStatus
    }
}

/// The resume was stopped before Claude started because the person cancelled the picker.
public struct ResumeCancelled: Error {
    public init() {}
}
