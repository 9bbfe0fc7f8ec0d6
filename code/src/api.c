#line 1054 "docs/03-buddies.md"
#define _GNU_SOURCE
#line 367 "docs/02-pages-from-the-kernel.md"
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#line 1066 "docs/03-buddies.md"
void *malloc(size_t size)
{
    return obb_arena_malloc(obb_arena_choose(), size);
}
#line 31 "docs/06-the-whole-c-api.md"
void free(void *p)
{
    if (p == NULL)
        return;
    int saved = errno;
    obb_free(p, "free");
    errno = saved;
}
#line 198 "docs/06-the-whole-c-api.md"
void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return obb_arena_calloc(obb_arena_choose(), count * size);
}
#line 1104 "docs/03-buddies.md"
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
#line 330 "docs/08-threads-come-and-go.md"

int malloc_trim(size_t pad)
{
    (void)pad;   /* no top of the heap to keep: any free page may go */
    return obb_trim() ? 1 : 0;
}
#line 746 "docs/02-pages-from-the-kernel.md"

/* realloc of count * size bytes, with calloc's overflow check. */
void *reallocarray(void *p, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, count * size);
}
#line 1120 "docs/03-buddies.md"

size_t malloc_usable_size(void *p)
{
    return p == NULL ? 0 : obb_usable_size(p, "malloc_usable_size");
}
#line 1128 "docs/03-buddies.md"

void *obb_memalign(size_t align, size_t size)
{
    return obb_arena_memalign(obb_arena_choose(), align, size);
}
