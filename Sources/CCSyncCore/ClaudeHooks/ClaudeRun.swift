#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One Claude process working on a session on this machine, as its SessionStart hook recorded it in
/// `<git dir>/ccsync/claude/<session>/run-<pid>`:
///
/// ```
/// <status> <start time of the pid>
/// <transcript path>
/// <what the user was told, for the prompts refused later>
/// <the remote branch's commit SessionStart judged the copy fresh against, for a claiming run>
/// ```
///
/// The start time makes a reused pid harmless: a run whose pid now belongs to another process is over.
public struct ClaudeRun: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// SessionStart has not decided yet (or was cut off by Claude's hook timeout).
        case pending
        /// SessionStart found the lock free and this copy the latest and let Claude go on; the keeper takes
        /// the lock as its first step, with a lease on what SessionStart saw (`judgedTip`). Until then
        /// nothing syncs the session, and the prompt hook waits for the outcome: a lost race turns the run
        /// into a refused (or stale) one.
        case claiming
        /// This machine holds the session's lock for it.
        case locked
        /// The remote could not be asked in time: the run works unlocked, the keeper keeps trying.
        case offline
        /// Another machine holds the lock: this Claude is ended, and what it wrote is thrown away.
        case refused
        /// The remote had lines this machine lacked: they were brought in, this Claude (which loaded the
        /// old copy) is ended, and what it wrote is thrown away.
        case stale

        /// Runs whose rows must never reach the remote.
        public var isDisposable: Bool { self == .refused || self == .stale }
    }

    public let pid: Int32
    public let startTime: UInt64
    public var status: Status
    public let transcript: String
    public var message: String
    /// The remote branch as SessionStart fetched it, when it let a `claiming` run go on (nil: the remote
    /// had no branch yet).
    public var judgedTip: String?

    public init(pid: Int32, startTime: UInt64, status: Status, transcript: String, message: String = "",
                judgedTip: String? = nil) {
        self.pid = pid
        self.startTime = startTime
        self.status = status
        self.transcript = transcript
        self.message = message
        self.judgedTip = judgedTip
    }

    var text: String {
        "\(status.rawValue) \(startTime)\n\(transcript)\n\(message.split(whereSeparator: \.isNewline).joined(separator: " "))\n"
            + (judgedTip.map { $0 + "\n" } ?? "")
    }

    init?(pid: Int32, text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let head = lines.first?.split(separator: " ") ?? []
        guard head.count == 2, let status = Status(rawValue: String(head[0])), let start = UInt64(head[1]) else { return nil }
        let transcript = lines.count > 1 ? String(lines[1]) : ""
        let message = lines.count > 2 ? String(lines[2]) : ""
        let tip = lines.count > 3 && !lines[3].isEmpty ? String(lines[3]) : nil
        self.init(pid: pid, startTime: start, status: status, transcript: transcript, message: message, judgedTip: tip)
    }

    /// Whether the Claude process is still the one that started the run.
    public var isAlive: Bool { PidFile.startTime(of: pid) == startTime }
}
