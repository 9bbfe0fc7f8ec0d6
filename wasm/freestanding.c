/* freestanding.c: the few libc functions the tree widget's WebAssembly needs.
 *
 * The page has no libc. The chapter's tree.c calls memset (obb_tree_init) and memmove
 * (the hints), and the compiler may itself emit calls to memset and memcpy for a struct
 * copy or a zeroing loop. Byte loops are enough: the widget's region is at most 4 KiB.
 * no_builtin stops clang from turning each loop back into a call to the function itself.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((no_builtin)) void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;
    while (n-- > 0)
        *p++ = (unsigned char)c;
    return s;
}

__attribute__((no_builtin)) void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n-- > 0)
        *d++ = *s++;
    return dst;
}

/* Copies forwards or backwards, so that overlapping ranges (the hints shifting down by
   one) come out right. */
__attribute__((no_builtin)) void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n-- > 0)
            *d++ = *s++;
    } else {
        while (n-- > 0)
            d[n] = s[n];
    }
    return dst;
}

/* diagnostics.c's obb_fatal, which the widget never calls: it shows the verdict instead. */
ssize_t write(int fd, const void *buf, size_t n)
{
    (void)fd, (void)buf, (void)n;
    return -1;
}

_Noreturn void abort(void)
{
    __builtin_trap();
}
