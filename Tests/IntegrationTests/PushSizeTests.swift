import Foundation
import Testing

/// Issue 14: a push larger than `ccsync.maxPushSize` goes as several pushes of whole commits, each
/// within the limit, oldest first; a first sync killed half-way finishes on the next run, nothing
/// pushed twice, nothing skipped.
@Suite struct PushSizeTests {
    static let limit = 20_000_000

    /// A pre-receive hook on the bare remote that records, for each push it accepts, the size of the
    /// pack received and the objects in it; push number `hold` is held until the test releases it and
    /// then refused (a connection lost half-way). Every wait has a deadline.
    static func installRecorder(on remote: String, log: String, hold: Int) throws {
        let hook = """
            #!/bin/sh
            log='\(log)'
            n=$(( $(cat "$log/count" 2>/dev/null || echo 0) + 1 ))
            echo $n > "$log/count"
            if [ $n -eq \(hold) ]; then
                echo held > "$log/held"
                i=0
                while [ ! -f "$log/release" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
                echo refused > "$log/refused"
                exit 1
            fi
            # The pack as sent: a thin pack is completed on arrival with bases the remote already had
            # (git index-pack --fix-thin); those are left out of the size and the object list.
            for i in "$GIT_OBJECT_DIRECTORY"/pack/*.idx; do [ -f "$i" ] && git verify-pack -v "$i"; done \
                | awk 'NF >= 5 && ($2 == "blob" || $2 == "tree" || $2 == "commit" || $2 == "tag") { print $1, $4 }' > "$log/this"
            cut -d' ' -f1 "$log/this" | GIT_OBJECT_DIRECTORY="$PWD/objects" GIT_ALTERNATE_OBJECT_DIRECTORIES= git cat-file --batch-check \
                | awk '$2 == "missing" { print $1 }' > "$log/new"
            size=$(awk 'NR == FNR { new[$1] = 1; next } ($1 in new) { s += $2 } END { print s + 0 }' "$log/new" "$log/this")
            echo "$n $size" >> "$log/sizes"
            cat "$log/new" >> "$log/objects"
            exit 0

            """
        try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: true)
        let path = remote + "/hooks/pre-receive"
        try Data(hook.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    @Test func aBigFirstSyncGoesInPushesUnderTheLimitAndAKilledOneFinishesNextTime() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld(sandbox: sandbox)
            let (a, b) = (world.a, world.b)
            let log = sandbox.path("pushes")
            // Every pack kept as received (no unpacking into loose objects), so the hook can measure it.
            try a.machine.git("--git-dir", world.remote, "config", "receive.unpackLimit", "1", in: sandbox.root)
            // Push 1 is the layout (init --no-sync); push 3 is the second part of the first sync.
            try Self.installRecorder(on: world.remote, log: log, hold: 3)
            let sessions = try BulkStore.fill(a, count: 50, size: 2_000_000, projects: 5)
            let storeBytes = sessions.reduce(0) { $0 + $1.bytes.count }
            try a.ccsyncResult(a.initArguments(remote: world.remote) + ["--no-sync"]).orThrow()
            try a.git("config", "ccsync.maxPushSize", String(Self.limit))

            // The user's first sync, killed while its second push is on the wire.
            let first = try a.startCCSync(a.initArguments(remote: world.remote))
            try waitUntil("the second part of the first sync to reach the remote", timeout: 120,
                          context: { first.stderrSoFar }) { FileManager.default.fileExists(atPath: log + "/held") }
            first.send(SIGKILL)
            try waitUntil("the killed init to end", timeout: 30) { first.hasEnded }
            try Data().write(to: URL(fileURLWithPath: log + "/release"))
            try waitUntil("the held push to be refused", timeout: 30) { FileManager.default.fileExists(atPath: log + "/refused") }
            let partial = try world.remoteFiles().filter { $0.hasSuffix(".jsonl") }.count
            sandbox.check(partial > 0 && partial < sessions.count,
                          "after the kill the remote should hold some sessions, not \(partial) of \(sessions.count)")

            // The next run (the same command again) finishes it.
            try a.ccsyncResult(a.initArguments(remote: world.remote)).orThrow()
            let sizes = try String(contentsOfFile: log + "/sizes", encoding: .utf8).split(separator: "\n")
                .compactMap { line in line.split(separator: " ").last.flatMap { Int($0) } }
            let sent = sizes.reduce(0, +)
            sandbox.check(sizes.count >= 5, "expected the sync in several pushes, got \(sizes.count): \(sizes)")
            sandbox.check(sizes.allSatisfy { $0 < Self.limit }, "a push was over \(Self.limit) bytes: \(sizes)")
            sandbox.check(sent > storeBytes / 2, "the pushes carried \(sent) bytes for a store of \(storeBytes)")
            let objects = try String(contentsOfFile: log + "/objects", encoding: .utf8).split(separator: "\n")
            sandbox.check(Set(objects).count == objects.count,
                          "\(objects.count - Set(objects).count) objects were pushed twice")
            try a.expectCleanStatus("after the interrupted sync finished")
            // The first sync's blobs went straight into packs: an ordinary repository all the same.
            let packs = try FileManager.default.contentsOfDirectory(atPath: a.workingCopy + "/.git/objects/pack")
            sandbox.check(packs.contains { $0.hasSuffix(".pack") }, "the first sync wrote no pack: \(packs)")
            try a.git("fsck", "--strict", "--no-dangling")
            try a.machine.git("--git-dir", world.remote, "fsck", "--strict", "--no-dangling", in: sandbox.root)
            sandbox.check(try a.commitCount() >= 5, "the sync was not committed in parts")

            // Nothing lost: every session reaches B byte for byte (its paths made B's).
            try b.initialize(remote: world.remote)
            for session in sessions {
                let bCwd = session.cwd.replacingOccurrences(of: a.projects, with: b.projects)
                sandbox.expectSameBytes(try b.readStore(cwd: bCwd, session.file), a.translated(session.bytes, to: b),
                                        "B's copy of \(session.file)")
            }
            // A later push stays incremental: one appended line sends one small pack.
            try a.appendStore(cwd: sessions[7].cwd, sessions[7].file,
                              BulkStore.log(id: String(sessions[7].file.dropLast(6)), cwd: sessions[7].cwd, size: 1, seed: 99, first: 5000))
            let before = try String(contentsOfFile: log + "/sizes", encoding: .utf8).split(separator: "\n").count
            try a.ccsync("push")
            let after = try String(contentsOfFile: log + "/sizes", encoding: .utf8).split(separator: "\n")
                .compactMap { line in line.split(separator: " ").last.flatMap { Int($0) } }
            sandbox.check(after.count == before + 1 && (after.last ?? .max) < 1_000_000,
                          "an appended line was not one small push: \(after.dropFirst(before))")
        }
    }
}
