// Writes the test suite's generated Claude Code logs (Tests/SessionLogFixtures) into a directory laid out
// like the published ones: <project>/<id>.jsonl, <project>/<id>/subagents/..., <project>/memory/..., with
// the machine paths those use (/home/USER, /home/USER/projects), so Benchmarks/run.sh can use either.
//
//   swiftc -O -module-name GenerateSessions Tests/SessionLogFixtures/*.swift Benchmarks/generate-sessions/main.swift -o gen
//   ./gen [--without <session name>]... <directory>
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
var without: Set<String> = []
while arguments.count >= 2, arguments[0] == "--without" {
    without.insert(arguments[1])
    arguments.removeFirst(2)
}
guard arguments.count == 1 else {
    FileHandle.standardError.write(Data("usage: generate-sessions [--without <session name>]... <directory>\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[0])
let machine = LogMachine(home: "/home/USER", projects: "/home/USER/projects")
for session in GeneratedSessions.all(for: machine) where !without.contains(session.name) {
    let project = root.appendingPathComponent(session.cwd.split(separator: "/").last.map(String.init) ?? "project")
    for (relative, bytes) in session.files {
        let file = project.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }
}
