#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// This machine's git-ccsync settings (`git config ccsync.*`), read once per process and handed to
/// the filter, sync, resume, the hooks and doctor. Every `ccsync.*` key name is written here and
/// nowhere else.
///
/// **Where a value comes from** (one rule, `ConfigLookup`): git's command-line config in the
/// environment (`git -c`, `GIT_CONFIG_COUNT`), then the repository's config with the user's and the
/// system's below it (libgit2), then the file `GIT_CONFIG_GLOBAL` names (which libgit2 does not read).
/// All in process: no git is started for a setting.
///
/// **Invalid values** are reported when a setting is used (a bad `ccsync.backupInterval` must not stop
/// a push), always as `InvalidSetting`.
public struct Settings: Sendable {
    public enum Key: String, CaseIterable, Sendable {
        case machine = "ccsync.machine"
        case claudeDir = "ccsync.claudeDir"
        case identity = "ccsync.identity"
        case secrets = "ccsync.secrets"
        case maxFileSize = "ccsync.maxFileSize"
        case maxPushSize = "ccsync.maxPushSize"
        case lockTTL = "ccsync.lockTtl"
        case backupInterval = "ccsync.backupInterval"
        case hookTimeout = "ccsync.hookTimeout"
        case pushOnTurn = "ccsync.pushOnTurn"
        case claudeCommand = "ccsync.claudeCommand"
    }

    /// Seconds a lock lives without renewal when `ccsync.lockTtl` is unset (its keeper renews it every
    /// third of that).
    public static let defaultLockTTL: TimeInterval = 600
    /// The default `ccsync.maxPushSize`: 1.5 GB, under GitHub's 2 GB with room for what the estimate
    /// (objects as stored here, before the pack's deltas) does not see.
    public static let defaultMaxPushSize: Int64 = 1_500_000_000

    private let values: [Key: String]
    /// `CCSYNC_CLAUDE`, the Claude command when `ccsync.claudeCommand` is unset.
    private let claudeFromEnvironment: String?

    /// Reads every setting of `repository` as the process with `environment` sees them.
    public init(repository: GitRepository?, environment: [String: String]) {
        let found = ConfigLookup(repository: repository, environment: environment).values(Key.allCases.map(\.rawValue))
        var values: [Key: String] = [:]
        for key in Key.allCases { values[key] = found[key.rawValue] }
        self.values = values
        claudeFromEnvironment = environment["CCSYNC_CLAUDE"]
    }

    /// Settings given directly (tests, and a working copy opened without a repository).
    public init(_ values: [Key: String], claudeFromEnvironment: String? = nil) {
        self.values = values
        self.claudeFromEnvironment = claudeFromEnvironment
    }

    /// The raw value; nil when unset.
    public subscript(key: Key) -> String? { values[key] }

    /// This machine's id as configured (checked by `MachineID`), nil when unset.
    public var machine: String? { values[.machine] }
    public var claudeDirectory: String? { values[.claudeDir] }
    /// This machine's age identity file, for encrypted repositories.
    public var identityPath: String? { values[.identity] }
    /// `ccsync.secrets = redact`: the filter replaces what looks like a secret instead of the push
    /// refusing it; staging in process and git's filter both read it here.
    public var redactsSecrets: Bool { values[.secrets] == "redact" }
    /// `ccsync.pushOnTurn` (default on): the Claude hooks push after every turn.
    public var pushesOnTurn: Bool {
        values[.pushOnTurn].map { !["false", "no", "off", "0"].contains($0.lowercased()) } ?? true
    }

    /// The command that starts Claude Code: `ccsync.claudeCommand`, else `CCSYNC_CLAUDE`, else `claude`.
    public var claudeCommand: String {
        if let configured = values[.claudeCommand], !configured.isEmpty { return configured }
        return claudeFromEnvironment ?? "claude"
    }

    /// The largest file pushed, bytes (default 100 MB, GitHub's limit).
    public func maxFileSize() throws(InvalidSetting) -> Int64 {
        try positive(.maxFileSize, Int64.init, "a number of bytes") ?? 100_000_000
    }

    /// The most one push sends, bytes, as stored (default `defaultMaxPushSize`).
    public func maxPushSize() throws(InvalidSetting) -> Int64 {
        try positive(.maxPushSize, Int64.init, "a number of bytes") ?? Self.defaultMaxPushSize
    }

    /// Seconds a lock lives without renewal (default `defaultLockTTL`).
    public func lockTTL() throws(InvalidSetting) -> TimeInterval {
        try positive(.lockTTL, Double.init, "a number of seconds") ?? Self.defaultLockTTL
    }

    /// Seconds between backups of a running session (default 5 minutes).
    public func backupInterval() throws(InvalidSetting) -> TimeInterval {
        try positive(.backupInterval, Double.init, "a number of seconds") ?? 300
    }

    /// How long the session-start hook may wait, seconds; nil when unset.
    public func hookTimeout() throws(InvalidSetting) -> TimeInterval? {
        try positive(.hookTimeout, Double.init, "a number of seconds")
    }

    /// Every value that is set but cannot be used, for doctor: commands that run unattended (the
    /// Claude session keeper, the SessionStart hook) use the default instead of stopping on one.
    public var problems: [InvalidSetting] {
        let reads: [() throws -> Void] = [
            { _ = try maxFileSize() }, { _ = try maxPushSize() }, { _ = try lockTTL() },
            { _ = try backupInterval() }, { _ = try hookTimeout() },
        ]
        return reads.compactMap { read in
            do { try read(); return nil } catch { return error as? InvalidSetting }
        }
    }

    private func positive<T: Comparable & Numeric>(_ key: Key, _ parse: (String) -> T?, _ expected: String) throws(InvalidSetting) -> T? {
        guard let value = values[key] else { return nil }
        guard let number = parse(value), number > 0 else {
            throw InvalidSetting(key: key.rawValue, value: value, expected: expected)
        }
        return number
    }
}

/// A setting whose value cannot be used.
public struct InvalidSetting: Error, Sendable, CustomStringConvertible {
    public let key: String
    public let value: String
    /// What it must be ("a number of seconds").
    public let expected: String

    public var description: String { "\(key) must be \(expected), got '\(value)'" }
}
