/* string.h for the tree widget's WebAssembly build: there is no libc in the page, so the
   three functions the chapter's tree.c (and the compiler) may call are in ../freestanding.c. */
#ifndef OBBW_STRING_H
#define OBBW_STRING_H
#include <stddef.h>
void *memset(void *s, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
#endif
