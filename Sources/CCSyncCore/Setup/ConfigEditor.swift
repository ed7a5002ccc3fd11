/// Changes to the shared `.ccsync/config`: pull first (so two machines editing it keep each other's
/// lines), edit with `git config -f`, bring the work tree and Claude's store in line with the new
/// paths, commit, push.
public struct ConfigEditor {
    public let copy: WorkingCopy
    public var progress: (String) -> Void = { _ in }

    public init(copy: WorkingCopy) {
        self.copy = copy
    }

    /// Sets `machine`'s path for `{{name}}` (creating the name if new).
    public func setPath(name: String, machine: MachineID, path: String) throws -> RemoteSync.PushResult {
        try PlaceholderName.validate(name)
        guard name != PlaceholderName.home else { throw PlaceholderError.reservedName(name, location: nil) }
        let normalized = try LocalPath(path, name: name).string
        var sync = RemoteSync(copy: copy)
        sync.progress = progress
        sync.alwaysStage = [".ccsync"]
        _ = try sync.pull()
        let git = copy.git.internal
        try git.setConfig("placeholder.\(name).\(machine.rawValue)", normalized, inFile: SharedConfig.relativePath)
        _ = try SharedConfig(parsing: try readFile(copy.configPath))
        if machine == copy.machine {
            // Files that use the name were checked out with the old path (or none): check them out again.
            let paths = try git.indexedFiles(containing: "{{\(name)", under: ["projects", "claude"])
            for path in paths { try FileSystem.remove(copy.root + "/" + path) }
            if !paths.isEmpty { try git.checkout(paths) }
            _ = try sync.syncOutHead()
        }
        return try sync.push()
    }

    /// Points the working copy at another remote (`git remote set-url`, or `add` when there is none).
    public func setRemote(_ url: String) throws {
        try copy.git.setRemote(url)
    }
}
