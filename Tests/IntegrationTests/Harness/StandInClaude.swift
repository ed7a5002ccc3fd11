import Foundation

/// A stand-in for the `claude` command, written into the sandbox as a shell script: `claude --resume <id>`
/// appends records to the session it resumes, exactly where Claude Code would (`$CLAUDE_CONFIG_DIR` or
/// `~/.claude`, then `projects/<$PWD with every non-alphanumeric character as ->/<id>.jsonl`), and leaves
/// a trail the test reads.
///
/// Its behaviour comes from the environment, so one script serves every machine and run:
/// - `STANDIN_MARKER` (a path, required for the trail): `started <id> <cwd>` is appended when it starts,
///   `appended` once its first records are written, `exited <status>` at the end; `<marker>.seen` gets a
///   copy of the log as it was when Claude started, `<marker>.lines` every line it appended;
/// - `STANDIN_TAG`: makes the records' uuids unique (`<tag>-<n>`);
/// - `STANDIN_LINES` (default 2): records appended right away;
/// - `STANDIN_UNTIL`: a path; once the records are written, it waits until that file exists (at most
///   `STANDIN_MAX_WAIT` seconds, default 120) — the test decides when "Claude" exits;
/// - `STANDIN_SLEEP`: seconds to sleep after that;
/// - `STANDIN_LINES_AFTER` (default 0): records appended after the wait (what Claude writes at the end);
/// - `STANDIN_EXIT` (default 0): its exit status.
struct StandInClaude {
    let script: String

    static let text = #"""
        #!/bin/sh
        # Stand-in for Claude Code, written by the git-ccsync integration tests.
        if [ "$1" != "--resume" ] || [ -z "$2" ]; then
            echo "stand-in claude: expected --resume <id>, got: $*" >&2
            exit 64
        fi
        id=$2
        cwd=$(pwd -P)
        store=${CLAUDE_CONFIG_DIR:-$HOME/.claude}
        folder=$(printf '%s' "$cwd" | sed 's/[^A-Za-z0-9]/-/g')
        log="$store/projects/$folder/$id.jsonl"
        marker=${STANDIN_MARKER:-/dev/null}
        tag=${STANDIN_TAG:-standin$$}
        mkdir -p "$store/projects/$folder"
        if [ "$marker" != /dev/null ]; then
            if [ -f "$log" ]; then cp "$log" "$marker.seen"; else : > "$marker.seen"; fi
        fi
        echo "started $id $cwd" >> "$marker"
        n=0
        append() {
            count=$1
            i=0
            while [ "$i" -lt "$count" ]; do
                stamp=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
                line=$(printf '{"parentUuid":null,"type":"user","message":{"role":"user","content":"%s #%d: look at %s/lib/app.ex"},"uuid":"%s-%d","sessionId":"%s","cwd":"%s","timestamp":"%s"}' \
                    "$tag" "$n" "$cwd" "$tag" "$n" "$id" "$cwd" "$stamp")
                printf '%s\n' "$line" >> "$log"
                if [ "$marker" != /dev/null ]; then printf '%s\n' "$line" >> "$marker.lines"; fi
                i=$((i + 1))
                n=$((n + 1))
            done
        }
        append "${STANDIN_LINES:-2}"
        echo "appended" >> "$marker"
        if [ -n "$STANDIN_UNTIL" ]; then
            waited=0
            limit=$(( ${STANDIN_MAX_WAIT:-120} * 10 ))
            while [ ! -e "$STANDIN_UNTIL" ] && [ "$waited" -lt "$limit" ]; do
                sleep 0.1
                waited=$((waited + 1))
            done
        fi
        if [ -n "$STANDIN_SLEEP" ]; then sleep "$STANDIN_SLEEP"; fi
        append "${STANDIN_LINES_AFTER:-0}"
        status=${STANDIN_EXIT:-0}
        echo "exited $status" >> "$marker"
        exit "$status"
        """#

    /// Writes the script to `<sandbox>/bin/claude` (once per sandbox).
    init(sandbox: Sandbox) throws {
        script = sandbox.path("bin/claude")
        try sandbox.mkdir(sandbox.path("bin"))
        if !FileManager.default.fileExists(atPath: script) {
            try Data(Self.text.utf8).write(to: URL(fileURLWithPath: script))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        }
    }

    /// Makes `git ccsync resume` on `machine` run the stand-in (`git config ccsync.claudeCommand`).
    func configure(_ machine: SyncMachine) throws {
        try machine.git("config", "ccsync.claudeCommand", script)
    }

    /// One run's trail: where the stand-in writes, and the environment that tells it how to behave.
    struct Run {
        let marker: String
        let release: String
        var environment: [String: String]

        /// - Parameters:
        ///   - waits: whether it waits for `finish()` after writing its first records.
        init(sandbox: Sandbox, name: String, lines: Int = 2, waits: Bool = false, linesAfter: Int = 0,
             exitStatus: Int32 = 0) {
            marker = sandbox.path("claude-runs/\(name).marker")
            release = sandbox.path("claude-runs/\(name).release")
            try? FileManager.default.createDirectory(atPath: sandbox.path("claude-runs"), withIntermediateDirectories: true)
            environment = [
                "STANDIN_MARKER": marker,
                "STANDIN_TAG": name,
                "STANDIN_LINES": String(lines),
                "STANDIN_LINES_AFTER": String(linesAfter),
                "STANDIN_EXIT": String(exitStatus),
            ]
            if waits { environment["STANDIN_UNTIL"] = release }
        }

        /// The trail's events (`started <id> <cwd>`, `appended`, `exited <status>`), empty before it ran.
        var events: [String] {
            ((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        var started: Bool { events.contains { $0.hasPrefix("started ") } }
        var hasAppended: Bool { events.contains("appended") }
        var exited: Bool { events.contains { $0.hasPrefix("exited ") } }

        /// The session id and cwd it was started with.
        var startedWith: (id: String, cwd: String)? {
            guard let line = events.first(where: { $0.hasPrefix("started ") }) else { return nil }
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            return parts.count == 3 ? (parts[1], parts[2]) : nil
        }

        /// The session log as it was when it started.
        var seen: [UInt8] { (try? Data(contentsOf: URL(fileURLWithPath: marker + ".seen"))).map(Array.init) ?? [] }

        /// Every line it appended, each with its `\n`.
        var appendedLines: [[UInt8]] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: marker + ".lines"))).map(Array.init) ?? []
            return bytes.split(separator: 0x0A).map { Array($0) + [0x0A] }
        }

        /// Lets a waiting run go on (and exit).
        func finish() {
            FileManager.default.createFile(atPath: release, contents: nil)
        }
    }
}
