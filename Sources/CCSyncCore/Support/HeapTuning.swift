import Clibgit2

/// Session logs are read, translated and written whole, a megabyte or more at a time: glibc would map
/// and unmap each such buffer (a page fault per 4 KB page, every time). Kept in the heap instead, the
/// next buffer reuses the same pages. Up to 32 MB: bigger files still get a mapping of their own,
/// returned as soon as they are freed. A no-op where the C library is not glibc.
public enum HeapTuning {
    public static func keepBuffersInHeap() {
        ccsync_keep_buffers_in_heap(32 << 20, 64 << 20)
    }
}
