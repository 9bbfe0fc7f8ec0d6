#line 350 "docs/02-pages-from-the-kernel.md"
#define _GNU_SOURCE
#line 361 "docs/02-pages-from-the-kernel.md"
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#line 805 "docs/03-buddies.md"
/* All heap state lives in the arenas (src/arena.c). */
#line 809 "docs/03-buddies.md"
/* The work is done in src/arena.c; these are the C library's entry points. */
#line 813 "docs/03-buddies.md"
void *malloc(size_t size)
{
    return obb_arena_malloc(obb_arena_choose(), size);
}
#line 820 "docs/03-buddies.md"
void free(void *p)
{
    if (p != NULL)
        obb_free(p, "free");
}
#line 833 "docs/03-buddies.md"
void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    size_t bytes = count * size;
    void *p = obb_arena_malloc(obb_arena_choose(), bytes);
    if (p != NULL)
        memset(p, 0, bytes);
    return p;
}
#line 851 "docs/03-buddies.md"
void *realloc(void *p, size_t size)
{
    if (p == NULL)
        return malloc(size);
    if (size == 0) {
        free(p);
        return NULL;
    }
    return obb_arena_realloc(obb_arena_choose(), p, size);
}
