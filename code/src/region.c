#line 464 "docs/03-buddies.md"
/* region.c: memory from the kernel, and which region a pointer belongs to. */
#define _GNU_SOURCE
#line 472 "docs/03-buddies.md"
#include <errno.h>
#include "internal.h"
#line 477 "docs/03-buddies.md"
/* Chapter 03 has a single region, created on the first malloc. */
static struct obb_region the_region;
static unsigned char *region_base;   /* set once, after the tree is ready */
#line 609 "docs/04-one-byte-a-block.md"
struct obb_region *obb_region_create(struct obb_arena *a)
{
    size_t bytes = (size_t)1 << OBB_REGION_ORDER;
    void *base = obb_os_reserve(bytes, 0);
    if (base == NULL)
        return NULL;
    unsigned char *nodes = obb_os_reserve(obb_tree_bytes(OBB_REGION_ORDER), 0);
    if (nodes == NULL) {
        obb_os_unmap(base, bytes);
        return NULL;
    }
    obb_tree_init(&the_region.tree, base, OBB_REGION_ORDER, nodes);
    the_region.arena = a;
    __atomic_store_n(&region_base, (unsigned char *)base, __ATOMIC_RELEASE);
    return &the_region;
}

/* The region holding p, or NULL if p is not in our memory. */
struct obb_region *obb_region_of(const void *p)
{
    unsigned char *base = __atomic_load_n(&region_base, __ATOMIC_ACQUIRE);
    if (base == NULL || (const unsigned char *)p < base ||
        (size_t)((const unsigned char *)p - base) >= ((size_t)1 << OBB_REGION_ORDER))
        return NULL;
    return &the_region;
}
