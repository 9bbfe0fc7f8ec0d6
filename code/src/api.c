#line 352 "docs/02-pages-from-the-kernel.md"
#define _GNU_SOURCE
#line 363 "docs/02-pages-from-the-kernel.md"
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#line 492 "docs/06-the-whole-c-api.md"
#include <malloc.h>
#line 813 "docs/03-buddies.md"
/* All heap state lives in the arenas (src/arena.c). */
#line 817 "docs/03-buddies.md"
/* The work is done in src/arena.c; these are the C library's entry points. */
#line 821 "docs/03-buddies.md"
void *malloc(size_t size)
{
    return obb_arena_malloc(obb_arena_choose(), size);
}
#line 30 "docs/06-the-whole-c-api.md"
void free(void *p)
{
    if (p == NULL)
        return;
    int saved = errno;
    obb_free(p, "free");
    errno = saved;
}
#line 185 "docs/06-the-whole-c-api.md"
void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return obb_arena_calloc(obb_arena_choose(), count * size);
}
#line 859 "docs/03-buddies.md"
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
#line 496 "docs/06-the-whole-c-api.md"

void *reallocarray(void *p, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, count * size);
}

size_t malloc_usable_size(void *p)
{
    return p == NULL ? 0 : obb_usable_size(p, "malloc_usable_size");
}
