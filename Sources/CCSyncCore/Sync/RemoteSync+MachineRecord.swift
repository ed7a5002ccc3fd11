extension RemoteSync {
    /// Brings this machine's record (`MachineRecord`) to this version of git-ccsync, for the sync's
    /// commit to carry. Returns the record's path to stage, or nil when there is nothing to do: the
    /// `recorded-version` marker already names this version (the usual case: one small file read), or
    /// the machine has no record (`init` writes it). The marker is written once the commit is made.
    func machineRecordToStage() throws -> String? {
        guard markers.text(SyncMarkers.recordedVersion) != CCSyncVersion.string else { return nil }
        let relative = MachineRecord.relativePath(copy.machine)
        let path = copy.root + "/" + relative
        guard FileStat(path: path)?.kind == .regular else {
            try markers.setText(SyncMarkers.recordedVersion, CCSyncVersion.string)
            return nil
        }
        let bytes = try readFile(path)
        var record = MachineRecord(machine: copy.machine.rawValue, parsing: bytes)
        if record.version == CCSyncVersion.string {
            // Current already (this version's init wrote it). Staged as it is, it needs no `git add`,
            // whose index refresh right after a join would run the filter over every file just
            // checked out; written but never committed (a sync killed before its commit), it does.
            guard try git.indexBlob(path: relative) != bytes else {
                try markers.setText(SyncMarkers.recordedVersion, CCSyncVersion.string)
                return nil
            }
            return relative
        }
        record.set("version", CCSyncVersion.string)
        try FileSystem.writeAtomically(path, record.bytes)
        return relative
    }

    /// What push should tell about machines that may not see sessions in parts: their lines when that
    /// changed since the last push told (`SyncMarkers.olderMachines`), else nothing.
    func olderMachinesNews() -> [String] {
        let found = OlderMachines.find(copy: copy)
        let key = found?.key
        guard markers.text(SyncMarkers.olderMachines) != key else { return [] }
        // A marker that cannot be written only means telling again next time.
        try? markers.setText(SyncMarkers.olderMachines, key)
        return found?.messages ?? []
    }
}
