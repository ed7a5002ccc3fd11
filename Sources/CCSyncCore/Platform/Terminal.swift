#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal facts the picker and tables need: whether a descriptor is one, its size, raw mode.
/// `TIOCGWINSZ` is an `unsigned long` request on both systems, imported as `Int32` by glibc's module
/// and as `UInt` by Darwin's; `tcflag_t` is 32 bits on Linux and 64 on Darwin.
public enum Terminal {
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

    /// Rows and columns of the terminal on `fd`, nil when it is not one.
    public static func size(_ fd: Int32) -> (rows: Int, columns: Int)? {
        var size = winsize()
        #if os(Linux)
        let request = UInt(TIOCGWINSZ)
        #elseif os(macOS)
        let request = TIOCGWINSZ
        #endif
        guard ioctl(fd, request, &size) == 0 else { return nil }
        return (Int(size.ws_row), Int(size.ws_col))
    }

    /// Raw mode on a terminal (no echo, no line editing, no signals from keys, one byte per read),
    /// undone by `restore()`; the caller restores on every path out.
    public final class RawMode {
        private let fd: Int32
        private var original = termios()

        /// nil when `fd` is not a terminal.
        public init?(fd: Int32) {
            self.fd = fd
            guard tcgetattr(fd, &original) == 0 else { return nil }
            var raw = original
            raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
            raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return nil }
        }

        public func restore() {
            tcsetattr(fd, TCSANOW, &original)
        }
    }
}
