#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Byte searches on raw buffers; memchr and memcmp are the fast paths the C library already has.

@inline(__always)
func firstIndex(of byte: UInt8, in p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
    guard start < end, let base = p.baseAddress else { return nil }
    guard let hit = memchr(base + start, Int32(byte), end - start) else { return nil }
    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
}

@inline(__always)
func lastIndex(of byte: UInt8, in p: UnsafeBufferPointer<UInt8>, before end: Int) -> Int? {
    var i = end - 1
    while i >= 0 {
        if p[i] == byte { return i }
        i -= 1
    }
    return nil
}

func count(_ byte: UInt8, in p: UnsafeBufferPointer<UInt8>, upTo end: Int) -> Int {
    var n = 0
    var i = 0
    while let hit = firstIndex(of: byte, in: p, from: i, to: end) {
        n += 1
        i = hit + 1
    }
    return n
}

/// The index just after the `number`-th occurrence of a newline (1-based); 0 for number 0.
func indexAfterNewline(number: Int, in p: UnsafeBufferPointer<UInt8>) -> Int {
    var remaining = number
    var i = 0
    while remaining > 0, let hit = firstIndex(of: 0x0A, in: p, from: i, to: p.count) {
        remaining -= 1
        i = hit + 1
    }
    return i
}

func commonPrefixLength(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    let n = min(a.count, b.count)
    guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
    // Compare in large blocks with memcmp, then finish the differing block byte by byte.
    let block = 4096
    var i = 0
    while i + block <= n, memcmp(pa + i, pb + i, block) == 0 { i += block }
    while i < n, pa[i] == pb[i] { i += 1 }
    return i
}
