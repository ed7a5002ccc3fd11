/// How a change too big for one push (`ccsync.maxPushSize`; the largest host refuses pushes over 2 GB)
/// is cut into commits that each fit: the changed files in path order (a session's log and the files
/// beside it stay together where they can), each commit taking files while their packed size stays
/// within the limit.
///
/// A file over the limit on its own gets a commit of its own: no cut makes it smaller (the per-file
/// limit, `ccsync.maxFileSize`, keeps such files out unless the user raised it).
public enum PushBatches {
    /// Groups of indices into `sizes`, in order, each group's sum at most `limit` (or a single item).
    public static func split(sizes: [Int64], limit: Int64) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = 0
        var sum: Int64 = 0
        for (i, size) in sizes.enumerated() {
            if i > start, sum + size > limit {
                groups.append(start..<i)
                start = i
                sum = 0
            }
            sum += size
        }
        if start < sizes.count { groups.append(start..<sizes.count) }
        return groups
    }

    /// The default `ccsync.maxPushSize` (`Settings.defaultMaxPushSize`).
    public static var defaultLimit: Int64 { Settings.defaultMaxPushSize }
}
