import CCSyncCore
import Foundation
import Testing

/// The platform layer against the system the tests run on: each function answers what the system
/// itself says, through another route where there is one.
@Suite struct PlatformTests {
    @Test func fileTimesMatchWhatFoundationReads() throws {
        let path = NSTemporaryDirectory() + "/ccsync-platform-\(getpid())"
        FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        defer { unlink(path) }
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 123_456_789), timespec(tv_sec: 1_600_000_000, tv_nsec: 987_654_321)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        var st = stat()
        #expect(lstat(path, &st) == 0)
        #expect(st.accessTime.tv_sec == 1_700_000_000 && st.accessTime.tv_nsec == 123_456_789)
        #expect(st.modificationTime.tv_sec == 1_600_000_000 && st.modificationTime.tv_nsec == 987_654_321)
        #expect(st.modificationTime.nanoseconds == 1_600_000_000_987_654_321)
        #expect(FileStat(path: path)?.mtimeNanoseconds == 1_600_000_000_987_654_321)
        // The change time is the inode's: set to now by the utimensat above, never the times we gave.
        #expect(abs(Double(st.changeTime.tv_sec) - Date().timeIntervalSince1970) < 60)
    }

    @Test func executablePathIsThisProcess() throws {
        let path = try #require(Platform.executablePath())
        #expect(path.hasPrefix("/"))
        #expect(FileManager.default.isExecutableFile(atPath: path))
        // The same file as argv[0] names (which may be relative or a symlink).
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let a = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64
        let b = try FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: argv0).resolvingSymlinksInPath().path)[.systemFileNumber] as? UInt64
        #expect(a != nil && a == b, "\(path) is not \(argv0)")
    }

    @Test func processStartTimeIsStableAndTellsProcessesApart() throws {
        let mine = try #require(Platform.processStartTime(getpid()))
        #expect(Platform.processStartTime(getpid()) == mine)
        let child = try ProcessRunner(environment: ["PATH": "/usr/bin:/bin"]).run("/bin/sh", ["-c", "echo $$"])
        let childPid = try #require(Int32(child.trimmed))
        // The child has been reaped: no start time for its pid (unless the pid was reused at once).
        if let reused = Platform.processStartTime(childPid) { #expect(reused != mine) }
        #expect(Platform.processStartTime(Int32.max) == nil)
    }

    @Test func openFilesAreSeenAndClosedOnesAreNot() throws {
        let path = NSTemporaryDirectory() + "/ccsync-open-\(getpid()).lock"
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        try #require(fd >= 0)
        defer { unlink(path) }
        #expect(Platform.isOpenByAnyProcess(path))
        close(fd)
        #expect(!Platform.isOpenByAnyProcess(path))
    }

    @Test func pipesAreCloseOnExec() throws {
        let pipe = try #require(Platform.makePipe())
        defer { close(pipe.read); close(pipe.write) }
        #expect(fcntl(pipe.read, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(pipe.write, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func aDetachedChildLeadsItsOwnSessionWithNothingOfOurs() throws {
        let directory = NSTemporaryDirectory() + "/ccsync-detach-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/log"
        let held = open(directory + "/held", O_RDWR | O_CREAT, 0o644)  // not close-on-exec: only closeOthers keeps it from the child
        try #require(held >= 0)
        defer { close(held) }
        // The child writes its pid, session id and its open descriptors above 2, then exits.
        let script = #"echo "$$ $(ps -o sid= -p $$ | tr -d ' ')"; ls /dev/fd/ | awk '$1 > 2' | tr '\n' ' '; echo"#
        let runner = ProcessRunner(environment: ["PATH": "/usr/bin:/bin"])
        let pid = try runner.startDetached("/bin/sh", ["-c", script], log: log)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(20)
        while waitpid(pid, &status, WNOHANG) == 0, Date() < deadline { usleep(20_000) }
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let ids = try #require(lines.first).split(separator: " ")
        #expect(ids.count == 2 && ids[0] == ids[1], "not a session leader: \(lines)")
        // Only the descriptor `ls` itself opens to read /dev/fd may show.
        let others = lines.dropFirst().first.map { $0.split(separator: " ") } ?? []
        #expect(others.count <= 1, "the detached child inherited descriptors: \(others)")
    }

    @Test func terminalFactsOnAFileAreNone() throws {
        let fd = open("/dev/null", O_RDWR)
        defer { close(fd) }
        #expect(!Terminal.isTerminal(fd))
        #expect(Terminal.size(fd) == nil)
        #expect(Terminal.RawMode(fd: fd) == nil)
    }

    @Test func osNameIsKnown() {
        #expect(["linux", "macos"].contains(Platform.osName))
    }
}
