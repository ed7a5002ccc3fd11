extension WorkingCopy {
    /// The largest file the repository holds: `git config ccsync.maxFileSize` (bytes), default 100 MB
    /// (GitHub's limit). Sessions over it are kept in parts (`SessionParts`); any other file over it is
    /// held back from commits.
    public func maxFileSize() throws -> Int64 {
        guard let value = try config("ccsync.maxFileSize") else { return 100_000_000 }
        guard let bytes = Int64(value), bytes > 0 else {
            throw SyncError.invalidArgument("ccsync.maxFileSize must be a number of bytes, got '\(value)'")
        }
        return bytes
    }
}
