#ifndef CLIBGIT2_SHIM_H
#define CLIBGIT2_SHIM_H
#include <git2.h>
/* zlib, which libgit2 links anyway: objects written straight into a pack (PackWriter.swift). */
#include <zlib.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option we set. */

/* Blobs are read by id from our own object database: re-hashing each one on read (libgit2's default
   strict verification) doubles the cost of the filter's index lookups for nothing. */
static inline int ccsync_disable_strict_hash_verification(void) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

/* Not libgit2, but C that Swift cannot reach otherwise: glibc's mallopt lives in <malloc.h>, which the
   Glibc module does not export. See HeapTuning.swift. */
#if defined(__GLIBC__)
#include <malloc.h>
static inline void ccsync_keep_buffers_in_heap(int mmap_threshold, int trim_threshold) {
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, trim_threshold);
}
#else
static inline void ccsync_keep_buffers_in_heap(int mmap_threshold, int trim_threshold) {
    (void)mmap_threshold; (void)trim_threshold;
}
#endif
#endif
