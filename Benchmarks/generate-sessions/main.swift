// Writes the test suite's generated Claude Code logs (Tests/SessionLogFixtures) into a directory laid out
// like the published fixtures: <project>/<id>.jsonl, <project>/<id>/subagents/..., <project>/memory/...,
// with the machine paths those use (/home/USER, /home/USER/projects), so Benchmarks/run.sh can use either.
//
//   swiftc -O -module-name GenerateSessions Tests/SessionLogFixtures/*.swift Benchmarks/generate-sessions/main.swift -o gen
//   ./gen <directory>
import Foundation

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: generate-sessions <directory>\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: CommandLine.arguments[1])
let machine = LogMachine(home: "/home/USER", projects: "/home/USER/projects")
for session in GeneratedSessions.all(for: machine) {
    let project = root.appendingPathComponent(session.cwd.split(separator: "/").last.map(String.init) ?? "project")
    for (relative, bytes) in session.files {
        let file = project.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }
}
