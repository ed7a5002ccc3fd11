/// The sync path's side of the hooks' promise that a refused or stale Claude run publishes nothing.
extension RemoteSync {
    /// Settles the runs the hooks marked as disposable: a run whose Claude is gone gets its transcript
    /// put back (`ClaudeRunDisposal`) and is forgotten; a run whose Claude still lives keeps its session
    /// out of this sync, and so does a run whose lock claim is still to come. Returns the sessions to leave out. Called by push and pull with the sync lock
    /// held, before anything reads Claude's store, so a `git ccsync push` or the daemon that runs before
    /// the keeper is no way around it.
    func settleClaudeRuns() throws -> Set<String> {
        var excluded = Set<String>()
        for session in ClaudeRunState.sessions(gitDirectory: copy.gitDirectory) {
            let state = ClaudeRunState(gitDirectory: copy.gitDirectory, session: session)
            for run in state.runs() {
                if run.status == .claiming {
                    // Its keeper has not claimed the lock yet, so whether its rows may go is open (one
                    // abandoned by a keeper that never ran is pushed like an offline run's).
                    if run.isAlive || state.keeperIsRunning { excluded.insert(session) }
                    continue
                }
                guard run.status.isDisposable else { continue }
                if run.isAlive {
                    excluded.insert(session)
                    continue
                }
                try restore(run, of: state)
            }
        }
        return excluded
    }

    /// Puts a finished disposable run's transcript back and forgets the run.
    public func restore(_ run: ClaudeRun, of state: ClaudeRunState) throws {
        if let snapshot = state.snapshot(of: run), FileSystem.exists(run.transcript) {
            let current = try readFile(run.transcript)
            let known = workTreeLog(state.session)
            if let restored = ClaudeRunDisposal.restored(current: current, snapshot: snapshot, known: known) {
                try FileSystem.writeAtomically(run.transcript, restored, mode: 0o600)
            }
        }
        state.forget(run)
    }

    /// The session's log in the working copy (local paths), empty when it has none.
    func workTreeLog(_ session: String) -> [UInt8] {
        for key in (try? FileSystem.list(copy.projectsPath)) ?? [] {
            let log = copy.projectsPath + "/" + key + "/" + session + ".jsonl"
            // (A session kept in parts is read as the one log they join to.)
            if let bytes = try? WorkFile.session(log, size: nil, limit: .max).read() { return bytes }
        }
        return []
    }
}
