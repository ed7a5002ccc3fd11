/// What the resume workflow asks of the person at the terminal and tells them. The command line answers
/// from the terminal and prints; tests answer in code.
public protocol ResumeInteraction {
    /// Whether a session can be picked interactively (a terminal on both ends).
    var canPick: Bool { get }
    /// The session picked among `rows` (newest first), `locks` marking those another machine holds; nil
    /// when the person cancelled.
    func pick(_ rows: [SessionCatalog.Row], locks: [String: LockManager.Lock]) -> String?
    /// Asks `question` (a yes/no question, no by default); false when nobody can answer it.
    func confirm(_ question: String) -> Bool
    /// A problem that does not stop the workflow.
    func warn(_ message: String)
    /// A step, for `GIT_CCSYNC_TRACE`.
    func trace(_ step: String)
    /// A progress message (shown on a terminal only).
    func progress(_ message: String)
    /// The pull that resume starts with succeeded.
    func pulled(_ result: RemoteSync.PullResult)
    /// The push after Claude exited succeeded.
    func pushed(_ result: RemoteSync.PushResult, machine: MachineID)
}
