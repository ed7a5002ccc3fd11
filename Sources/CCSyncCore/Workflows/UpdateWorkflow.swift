/// `git ccsync update`: after a crash or a lost network, push what is committed here and release every
/// lock this machine still holds.
public struct UpdateWorkflow {
    public struct Result {
        /// The push, which also names each lock another machine took over.
        public let push: RemoteSync.PushResult
        /// Each lock this machine held, by session id in order, and why it could not be released (nil:
        /// released).
        public let releases: [(session: String, error: LockError?)]
    }

    public let copy: WorkingCopy
    /// Step messages of the push.
    public var progress: (String) -> Void = { _ in }

    public init(copy: WorkingCopy) {
        self.copy = copy
    }

    /// `pushed` is told the push's result before any lock is released, so its report comes first;
    /// `released` each lock as it is let go (or why it could not be).
    @discardableResult
    public func run(pushed: (RemoteSync.PushResult) -> Void = { _ in },
                    released: (String, LockError?) -> Void = { _, _ in }) throws -> Result {
        var sync = RemoteSync(copy: copy)
        sync.progress = progress
        let result: RemoteSync.PushResult
        do {
            result = try sync.push()
        } catch {
            // The locks stay: they guard lines that are committed here but not on the remote yet.
            throw copy.explained(error, retry: "git ccsync update")
        }
        pushed(result)
        let manager = try copy.lockManager()
        var releases: [(session: String, error: LockError?)] = []
        for id in try manager.held().keys.sorted() {
            do {
                try manager.release(id)
                releases.append((id, nil))
                released(id, nil)
            } catch let error as LockError {
                releases.append((id, error))
                released(id, error)
            }
        }
        return Result(push: result, releases: releases)
    }
}
