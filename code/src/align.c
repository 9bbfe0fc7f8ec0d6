#line 811 "docs/02-pages-from-the-kernel.md"
/* align.c: posix_memalign, aligned_alloc, memalign, valloc and pvalloc. */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include "internal.h"

#line 823 "docs/02-pages-from-the-kernel.md"
static bool power_of_two(size_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

int posix_memalign(void **memptr, size_t align, size_t size)
{
    if (!power_of_two(align) || align % sizeof(void *) != 0)
        return EINVAL;
    int saved = errno;
    void *p = obb_memalign(align, size);
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
    return obb_memalign(align, size);
}

/* glibc's memalign takes any alignment: it rounds one that is not a
 * power of two up to one. */
void *memalign(size_t align, size_t size)
{
    if (align > SIZE_MAX / 2 + 1) {
        errno = EINVAL;
        return NULL;
    }
    if (align < OBB_ALIGNMENT)
        align = OBB_ALIGNMENT;   /* what every block has anyway */
    while (!power_of_two(align))
        align += align & -align; /* add the lowest set bit: it carries */
    return obb_memalign(align, size);
}

void *valloc(size_t size)
{
    return obb_memalign(obb_os_page_size(), size);
}

void *pvalloc(size_t size)
{
    size_t page = obb_os_page_size();
    if (size > SIZE_MAX - page) {
        errno = ENOMEM;
        return NULL;
    }
    return obb_memalign(page, obb_round_up(size, page));
}
