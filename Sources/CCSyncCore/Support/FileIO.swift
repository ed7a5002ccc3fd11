#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct FileIOError: Error, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let errno: Int32
    public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
}

/// Reads a whole file as bytes.
public func readFile(_ path: String) throws(FileIOError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileIOError(path: path, operation: "opening", errno: errno) }
    defer { close(fd) }
    return try readAll(fd: fd, path: path)
}

/// Reads a file descriptor to its end.
///
/// A regular file is read straight into an array of its size (one `read`, no zero-filling, no second
/// copy: sync reads every changed log whole); a pipe, or a file that grows meanwhile, goes on in chunks.
public func readAll(fd: Int32, path: String) throws(FileIOError) -> [UInt8] {
    var st = stat()
    let expected = fstat(fd, &st) == 0 && st.st_size > 0 ? Int(st.st_size) : 0
    var failure: Int32 = 0
    var atEnd = false
    // One byte more than the size, so that the read that finds the end needs no second call.
    var out = [UInt8](unsafeUninitializedCapacity: expected > 0 ? expected + 1 : 16 << 10) { buffer, count in
        count = 0
        while count < buffer.count {
            let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            if n == 0 {
                atEnd = true
                return
            }
            count += n
        }
    }
    if failure != 0 { throw FileIOError(path: path, operation: "reading", errno: failure) }
    if atEnd { return out }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileIOError(path: path, operation: "reading", errno: errno)
        }
        if n == 0 { return out }
        out.append(contentsOf: chunk[0..<n])
    }
}

/// Writes all of `bytes` to a file descriptor.
public func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws(FileIOError) {
    let failure: Int32? = bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }
    if let failure { throw FileIOError(path: path, operation: "writing", errno: failure) }
}

/// Reads at most `limit` bytes from the start of a file.
public func readPrefix(_ path: String, limit: Int) throws(FileIOError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileIOError(path: path, operation: "opening", errno: errno) }
    defer { close(fd) }
    var out = [UInt8](repeating: 0, count: limit)
    var filled = 0
    while filled < limit {
        let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, limit - filled) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileIOError(path: path, operation: "reading", errno: errno)
        }
        if n == 0 { break }
        filled += n
    }
    out.removeSubrange(filled...)
    return out
}
