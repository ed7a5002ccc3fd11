import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GitCCSync {
    struct Daemon: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "daemon",
            abstract: "Back up sessions periodically (for sessions started with a plain 'claude').",
            discussion: """
                Starts one background process per working copy that pulls and pushes every --interval \
                seconds (push only with --push-only); its log is .git/ccsync/daemon.log in the working copy. \
                A second start reports the running one; --stop ends it. --foreground runs the loop here.
                """
        )

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Option(help: "Seconds between syncs.")
        var interval: Double = 300

        @Flag(help: "Only push; never pull.")
        var pushOnly = false

        @Flag(help: "Stop the running daemon.")
        var stop = false

        @Flag(help: "Run in this process instead of in the background.")
        var foreground = false

        func validate() throws {
            if interval < 1 { throw ValidationError("--interval must be at least 1 second") }
        }

        func run() throws {
            let copy = try copyOptions.open()
            let dir = copy.gitDirectory + "/ccsync"
            let pidFile = PidFile(path: dir + "/daemon.pid")
            if stop {
                guard let running = pidFile.live() else {
                    pidFile.remove()
                    CLIContext.print("no daemon is running for \(copy.root)")
                    return
                }
                kill(running.pid, SIGTERM)
                for _ in 0..<200 where running.isRunning { usleep(50_000) }
                if running.isRunning { throw CLIError(message: "daemon \(running.pid) did not stop within 10 s (kill \(running.pid))") }
                CLIContext.print("stopped the daemon (pid \(running.pid))")
                return
            }
            if let running = pidFile.live() {
                throw CLIError(message: "a daemon is already running for \(copy.root) (pid \(running.pid); stop it with 'git ccsync daemon --stop')")
            }
            if foreground {
                try loop(copy: copy, pidFile: pidFile, lockPath: dir + "/daemon.lock")
            } else {
                try detach(copy: copy, log: dir + "/daemon.log", pidFile: pidFile)
            }
        }

        /// Starts `git-ccsync daemon --foreground` in its own session, output to the log file.
        func detach(copy: WorkingCopy, log: String, pidFile: PidFile) throws {
            try FileSystem.makeDirectories(FileSystem.dirname(of: log))
            var args = ["daemon", "--foreground", "--dir", copy.root, "--interval", String(interval)]
            if pushOnly { args.append("--push-only") }
            let pid: Int32
            do {
                pid = try CLIContext.runner.startDetached(CLIContext.executable, args, log: log)
            } catch {
                throw CLIError(message: "starting the daemon failed: \(error)")
            }
            for _ in 0..<100 where pidFile.live()?.pid != pid { usleep(50_000) }
            guard pidFile.live()?.pid == pid else {
                throw CLIError(message: "the daemon did not start (see \(log))")
            }
            CLIContext.print("started the daemon (pid \(pid)), syncing every \(Int(interval)) s; log: \(log)")
        }

        func loop(copy: WorkingCopy, pidFile: PidFile, lockPath: String) throws {
            // The flock, not the pid file, is what keeps a second daemon out; the kernel drops it on death.
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                throw CLIError(message: "a daemon is already running for \(copy.root) (git ccsync daemon --stop)")
            }
            try pidFile.write()
            defer { pidFile.remove(); close(fd) }
            // Started by hand from a shell that blocks signals, we still answer --stop.
            var empty = sigset_t()
            sigemptyset(&empty)
            sigprocmask(SIG_SETMASK, &empty, nil)
            signal(SIGTERM) { _ in DaemonSignal.stop = 1 }
            signal(SIGINT) { _ in DaemonSignal.stop = 1 }
            signal(SIGHUP, SIG_IGN)
            var daemon = SyncDaemon(copy: copy, interval: interval, pushOnly: pushOnly)
            daemon.log = Self.log
            daemon.shouldStop = { DaemonSignal.stop != 0 }
            daemon.run()
        }

        static func log(_ message: String) {
            let stamp = Date().formatted(.iso8601)
            writeStderr("\(stamp) \(message)\n")
        }
    }
}

/// Set from a signal handler; read by the daemon loop.
enum DaemonSignal {
    nonisolated(unsafe) static var stop: sig_atomic_t = 0  // written only by the signal handler, read by the loop
}
