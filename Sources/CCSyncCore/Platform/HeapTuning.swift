#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Session logs are read, translated and written whole, a megabyte or more at a time: glibc would map
/// and unmap each such buffer (a page fault per 4 KB page, every time). Kept in the heap instead, the
/// next buffer reuses the same pages. Up to 32 MB: bigger files still get a mapping of their own,
/// returned as soon as they are freed. Darwin's allocator keeps large regions cached by itself and
/// has no such switch, so there this does nothing.
public enum HeapTuning {
    public static func keepBuffersInHeap() {
        #if os(Linux)
        // <malloc.h>: M_TRIM_THRESHOLD is -1, M_MMAP_THRESHOLD is -3 (mallopt(3)).
        _ = glibcMallopt(-3, 32 << 20)
        _ = glibcMallopt(-1, 64 << 20)
        #elseif os(macOS)
        #endif
    }
}

#if os(Linux)
// glibc's mallopt lives in <malloc.h>, which the Glibc module does not export.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#elseif os(macOS)
// Nothing to declare: see keepBuffersInHeap.
#endif
