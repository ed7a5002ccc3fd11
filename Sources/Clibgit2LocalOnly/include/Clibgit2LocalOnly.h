#ifndef CLIBGIT2_LOCAL_ONLY_H
#define CLIBGIT2_LOCAL_ONLY_H
/* Nothing to call: this target only supplies definitions the static libgit2 links against. */
#endif
