/// The fixed files of a sync repository and the git settings a working copy needs.
public enum RepoLayout {
    public static let gitattributes = """
        # git-ccsync: machine paths become {{PLACEHOLDERS}} in everything synced (filter), session logs
        # merge record by record (merge) and show as conversations in git log -p / git diff (diff).
        projects/** filter=ccsync
        claude/** filter=ccsync
        *.jsonl merge=ccsync-jsonl diff=ccsync

        """

    public static let configHeader = """
        # git-ccsync shared settings (git-config format; every machine reads this file).
        # [placeholder "NAME"] maps {{NAME}} to one path per machine id; [sync] directory = {{NAME}}
        # limits which projects are synced (default: every placeholder).

        """

    /// `git config` settings of a working copy, for the binary at `executable`.
    public static func gitSettings(executable: String) -> [(String, String)] {
        let exe = shellQuoted(executable)
        return [
            ("filter.ccsync.process", "\(exe) filter-process"),
            ("filter.ccsync.clean", "\(exe) clean %f"),
            ("filter.ccsync.smudge", "\(exe) smudge %f"),
            ("filter.ccsync.required", "true"),
            ("merge.ccsync-jsonl.name", "Claude Code session logs: union of records"),
            ("merge.ccsync-jsonl.driver", "\(exe) merge-jsonl %O %A %B %P"),
            ("diff.ccsync.textconv", "\(exe) textconv"),
        ]
    }

    /// Quotes for the shell git runs filter and driver commands with.
    public static func shellQuoted(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || "/._-+".utf8.contains($0) }) { return s }
        return "'" + s.replacing("'", with: "'\\''") + "'"
    }

    /// The small file registering a machine: `.ccsync/machines/<id>`.
    /// `version` is the git-ccsync that wrote it (`MachineRecord.version`); every push keeps it current.
    public static func machineFile(os: String, home: String?, registered: String, version: String = CCSyncVersion.string) -> String {
        "os = \(os)\nhome = \(home ?? "")\nregistered = \(registered)\nversion = \(version)\n"
    }
}
