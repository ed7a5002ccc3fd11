#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `git ccsync status`: where this working copy stands, and what is wrong with it.
public struct StatusReport: Sendable, Codable {
    public var machine: String
    public var workingCopy: String
    public var claudeStore: String
    public var remote: String?
    public var lastPush: Date?
    public var lastPull: Date?
    /// Commits not yet pushed / not yet merged, as of the last fetch.
    public var ahead: Int?
    public var behind: Int?
    /// Sessions changed in Claude's store since they were last copied in.
    public var changedSessions: [String]
    public var problems: [String]
    /// What is not wrong here but worth knowing: other machines that may not see sessions in parts.
    public var notices: [String] = []
    /// Encryption and key health; nil when the repository is not encrypted.
    public var encryption: String?

    public static func gather(copy: WorkingCopy) throws -> StatusReport {
        let git = copy.git
        let markers = SyncMarkers(gitDirectory: copy.gitDirectory)
        var report = StatusReport(machine: copy.machine.rawValue, workingCopy: copy.root, claudeStore: copy.store.root,
                                  remote: try git.remoteURL(),
                                  lastPush: markers.date(of: .pushed), lastPull: markers.date(of: .pulled),
                                  changedSessions: [], problems: [])
        let keys = EncryptionAdmin(copy: copy)
        report.encryption = keys.summary()
        report.problems += keys.problems() ?? []
        let remoteRef = "refs/remotes/\(WorkingCopy.remote)/\(WorkingCopy.branch)"
        if let counts = try git.aheadBehind(remoteRef) {
            report.ahead = counts.ahead
            report.behind = counts.behind
        }
        do {
            let config = try copy.sharedConfig()
            for name in config.names(unmappedFor: copy.machine) {
                report.problems.append("{{\(name)}} has no path on this machine (git ccsync config set-path \(name) \(copy.machine) PATH)")
            }
            var engine = try StoreTransfer(copy: copy, config: config)
            let pending = try engine.syncIn(dryRun: true)
            report.changedSessions = pending.sessionIDs
            report.problems += pending.warnings
        } catch {
            report.problems.append("\(error)")
        }
        report.notices = OlderMachines.find(copy: copy)?.messages ?? []
        if report.remote == nil {
            report.problems.append("no remote is configured; sessions stay on this machine (git ccsync config set-remote URL)")
        }
        let executable = try git.config("filter.ccsync.process")
        let required = try git.config("filter.ccsync.required")
        if executable == nil || required != "true" {
            report.problems.append("the ccsync filter is not configured in this working copy (git ccsync init)")
        }
        let hookBinary = executable.map { String($0.dropLast(" filter-process".count)) } ?? "git-ccsync"
        let installer = HookInstaller(git: git, executable: hookBinary.hasPrefix("'") ? String(hookBinary.dropFirst().dropLast()) : hookBinary)
        for name in HookScripts.names {
            switch try installer.status(of: name) {
            case .installed: break
            case .outdated: report.problems.append("the \(name) hook is outdated (git ccsync init)")
            case .missing: report.problems.append("the \(name) hook is not installed (git ccsync init)")
            case .foreign: report.problems.append("the \(name) hook is not git-ccsync's (git ccsync init keeps it and chains to it)")
            }
        }
        let unmerged = try git.conflictedPaths()
        if !unmerged.isEmpty {
            report.problems.append("an unfinished merge is in the working copy (finish it with git, then git ccsync push)")
        }
        return report
    }
}
