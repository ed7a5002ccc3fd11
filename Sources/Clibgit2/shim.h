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

#endif
