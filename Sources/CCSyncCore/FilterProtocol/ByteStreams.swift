#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where packets come from: a file descriptor in production, bytes in memory in tests.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes; 0 means end of input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(FilterProtocolError) -> Int
}

/// Where packets go.
public protocol ByteSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(FilterProtocolError)
}

public struct FileDescriptorSource: ByteSource {
    let fd: Int32
    public init(fd: Int32) { self.fd = fd }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(FilterProtocolError) -> Int {
        while true {
            let n = systemRead(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .io("reading from git: \(String(cString: strerror(errno)))")
        }
    }
}

public struct FileDescriptorSink: ByteSink {
    let fd: Int32
    public init(fd: Int32) { self.fd = fd }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(FilterProtocolError) {
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("writing to git: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}

public struct MemorySource: ByteSource {
    var bytes: [UInt8]
    var offset = 0
    /// At most this many bytes per read, to exercise packets split across reads.
    let chunk: Int

    public init(_ bytes: [UInt8], chunk: Int = .max) {
        self.bytes = bytes
        self.chunk = chunk
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(FilterProtocolError) -> Int {
        let n = min(buffer.count, bytes.count - offset, chunk)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ data: UnsafeRawBufferPointer) throws(FilterProtocolError) {
        bytes.append(contentsOf: data)
    }
}

extension MemorySink {
    /// A sink value that appends to this object (the protocol takes sinks by value).
    public var writer: MemorySinkWriter { MemorySinkWriter(sink: self) }
}

public struct MemorySinkWriter: ByteSink {
    let sink: MemorySink
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(FilterProtocolError) {
        try sink.write(bytes)
    }
}

@inline(__always) private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { read(fd, p, n) }
