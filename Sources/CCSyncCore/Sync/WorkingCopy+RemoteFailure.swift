extension WorkingCopy {
    /// `error` told with the remote's URL and `retry` as the next step when it is a failed round trip to
    /// the remote (see `RemoteFailure`); any other error unchanged.
    public func explained(_ error: any Error, retry: String) -> any Error {
        RemoteFailure(error, url: remoteURL, retry: retry) ?? error
    }

    /// The remote's URL as this working copy's git config has it.
    public var remoteURL: String? {
        (try? config("remote.\(WorkingCopy.remote).url")) ?? nil
    }
}
