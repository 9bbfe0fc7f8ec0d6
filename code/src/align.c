#line 405 "docs/06-the-whole-c-api.md"
/* align.c: posix_memalign, aligned_alloc, memalign, valloc and pvalloc. */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include "internal.h"

#line 416 "docs/06-the-whole-c-api.md"
static bool power_of_two(size_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

static void *aligned(size_t align, size_t size)
{
    return obb_arena_memalign(obb_arena_choose(), align, size);
}

int posix_memalign(void **memptr, size_t align, size_t size)
{
    if (!power_of_two(align) || align % sizeof(void *) != 0)
        return EINVAL;
    int saved = errno;
    void *p = aligned(align, size);
    errno = saved;              /* the error is the return value */
    if (p == NULL)
        return ENOMEM;
    *memptr = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t size)
{
    if (!power_of_two(align)) {
        errno = EINVAL;
        return NULL;
    }
    return aligned(align, size);
}

/* glibc's memalign rounds an alignment that is not a power of two up to one. */
void *memalign(size_t align, size_t size)
{
    if (align > SIZE_MAX / 2 + 1) {
        errno = EINVAL;
        return NULL;
    }
    if (!power_of_two(align))
        align = (size_t)1 << obb_log2_ceil(align);
    return aligned(align, size);
}

void *valloc(size_t size)
{
    return aligned(obb_os_page_size(), size);
}

void *pvalloc(size_t size)
{
    size_t page = obb_os_page_size();
    if (size > SIZE_MAX - page) {
        errno = ENOMEM;
        return NULL;
    }
    return aligned(page, obb_round_up(size, page));
}
