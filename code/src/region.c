#line 615 "docs/03-buddies.md"
/* region.c: memory from the kernel, and which region a pointer is in. */
#define _GNU_SOURCE
#line 176 "docs/05-regions-and-big-blocks.md"
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "internal.h"
#line 183 "docs/05-regions-and-big-blocks.md"
/* The table's top level, indexed by address bits 46..35: each entry covers
   32 GiB and points at a leaf with a slot per region-sized piece of it. */
#define TOP_SHIFT 35
#define TOP_SLOTS ((size_t)1 << (OBB_ADDRESS_BITS - TOP_SHIFT))
#define LEAF_SLOTS ((size_t)1 << (TOP_SHIFT - OBB_REGION_ORDER))
/* Large blocks are tagged in the table with the low bit. */
#define LARGE_TAG ((uintptr_t)1)

/* Leaves are mapped on first use and never unmapped. */
static void **top[TOP_SLOTS];
#line 207 "docs/05-regions-and-big-blocks.md"
/* The slot for address p, or NULL when p is beyond user space or its leaf
   was never mapped: either way nothing there is ours. Never faults. */
static void **slot_of(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    if ((a >> OBB_ADDRESS_BITS) != 0)
        return NULL;
    void **leaf = __atomic_load_n(&top[a >> TOP_SHIFT], __ATOMIC_ACQUIRE);
    if (leaf == NULL)
        return NULL;
    return &leaf[(a >> OBB_REGION_ORDER) & (LEAF_SLOTS - 1)];
}

/* The slot for address p, its leaf mapped if need be; NULL when the
   kernel refuses the leaf or p is beyond user space. */
static void **slot_for(const void *p)
{
    void **slot = slot_of(p);
    uintptr_t a = (uintptr_t)p;
    if (slot != NULL || (a >> OBB_ADDRESS_BITS) != 0)
        return slot;
    size_t bytes = LEAF_SLOTS * sizeof(void *);
    void **fresh = obb_os_map(bytes);
    if (fresh == NULL)
        return NULL;
    void **none = NULL;
    if (!__atomic_compare_exchange_n(&top[a >> TOP_SHIFT], &none, fresh,
                                     false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        obb_os_unmap(fresh, bytes);    /* another thread's leaf is in */
    return slot_of(p);
}

static void *entry_of(const void *p)
{
    void **slot = slot_of(p);
    return slot == NULL ? NULL : __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}
#line 260 "docs/05-regions-and-big-blocks.md"
struct obb_region *obb_region_create(struct obb_arena *a)
{
    unsigned char *base = obb_os_map_aligned(OBB_REGION_SIZE,
                                             OBB_REGION_SIZE);
    if (base == NULL)
        return NULL;
    void **slot = slot_for(base);
    if (slot == NULL) {
        obb_os_unmap(base, OBB_REGION_SIZE);
        errno = ENOMEM;
        return NULL;
    }
    struct obb_tree tree;
    obb_tree_init(&tree, base, OBB_REGION_ORDER, base);
    void *nodes = obb_tree_alloc(&tree, obb_tree_bytes(OBB_REGION_ORDER));
    struct obb_region *r = obb_tree_alloc(&tree, sizeof *r);
    if (nodes != base || r == NULL) {    /* cannot happen in a fresh tree */
        obb_os_unmap(base, OBB_REGION_SIZE);
        errno = ENOMEM;
        return NULL;
    }
    memcpy(&r->tree, &tree, sizeof tree);
    r->arena = a;
    r->next = r->prev = NULL;
    r->live = 0;
    __atomic_store_n(slot, (void *)r, __ATOMIC_RELEASE);
    return r;
}

/* Give an empty region back to the kernel. The arena has unlinked it. */
void obb_region_destroy(struct obb_region *r)
{
    unsigned char *base = r->tree.base;
    void **slot = slot_of(base);   /* its leaf is there: never unmapped */
    if (slot != NULL)
        __atomic_store_n(slot, NULL, __ATOMIC_RELEASE);
    obb_os_unmap(base, OBB_REGION_SIZE);
}

/* The region whose blocks may include p, or NULL. Any pointer may be asked
   about. The region's own metadata, its nodes and then this structure, is
   no block of the program's: a pointer to it gets NULL, as if not ours. */
struct obb_region *obb_region_of(const void *p)
{
    void *e = entry_of(p);
    if (e == NULL || ((uintptr_t)e & LARGE_TAG) != 0)
        return NULL;
    return (uintptr_t)p <= (uintptr_t)e ? NULL : e;
}
#line 377 "docs/05-regions-and-big-blocks.md"
/* Large blocks belong to no arena: malloc_stats counts them here. */
static struct obb_large_stats large_stats;

void *obb_large_alloc(size_t size, size_t align)
{
    if (size > OBB_MAX_REQUEST || align > OBB_MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    /* At least a page: a block of 0 bytes is still memory of its own. */
    size_t bytes = obb_round_up(size == 0 ? 1 : size, obb_os_page_size());
    unsigned char *base = obb_os_map_aligned(
        bytes, align > OBB_REGION_SIZE ? align : OBB_REGION_SIZE);
    if (base == NULL)
        return NULL;
    void **slot = slot_for(base);
    if (slot == NULL) {
        obb_os_unmap(base, bytes);
        errno = ENOMEM;
        return NULL;
    }
    __atomic_fetch_add(&large_stats.requests, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&large_stats.bytes, bytes, __ATOMIC_RELAXED);
    __atomic_store_n(slot, (void *)(bytes | LARGE_TAG), __ATOMIC_RELEASE);
    return base;
}

/* Is p a large block? Then *l is its mapping, as its slot records it. */
bool obb_large_of(const void *p, struct obb_large *l)
{
    uintptr_t e = (uintptr_t)entry_of(p);
    if ((e & LARGE_TAG) == 0 || ((uintptr_t)p & (OBB_REGION_SIZE - 1)) != 0)
        return false;
    l->base = (unsigned char *)(uintptr_t)p;
    l->bytes = e & ~LARGE_TAG;
    return true;
}

/* Unmap a large block. False if its slot no longer holds it: freed
   already. Nothing is read from the block: a thread freeing it at the
   same time may have unmapped it. */
bool obb_large_free(const struct obb_large *l)
{
    void **slot = slot_of(l->base);
    void *expected = (void *)(l->bytes | LARGE_TAG);
    if (slot == NULL ||
        !__atomic_compare_exchange_n(slot, &expected, NULL, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return false;
    __atomic_fetch_add(&large_stats.frees, 1, __ATOMIC_RELAXED);
    __atomic_fetch_sub(&large_stats.bytes, l->bytes, __ATOMIC_RELAXED);
    obb_os_unmap(l->base, l->bytes);
    return true;
}

/* The whole mapping is the caller's. */
size_t obb_large_usable(const struct obb_large *l)
{
    return l->bytes;
}

void obb_large_count(struct obb_large_stats *s)
{
    s->requests = __atomic_load_n(&large_stats.requests, __ATOMIC_RELAXED);
    s->frees = __atomic_load_n(&large_stats.frees, __ATOMIC_RELAXED);
    s->bytes = __atomic_load_n(&large_stats.bytes, __ATOMIC_RELAXED);
}
#line 303 "docs/06-the-whole-c-api.md"

/* Make a large block hold size bytes without moving it. Its slot learns
   the new length before a shrink gives the tail back. */
bool obb_large_resize(struct obb_large *l, size_t size)
{
    size_t bytes = obb_round_up(size, obb_os_page_size());
    if (bytes > l->bytes && !obb_os_grow(l->base, l->bytes, bytes))
        return false;
    __atomic_store_n(slot_of(l->base), (void *)(bytes | LARGE_TAG),
                     __ATOMIC_RELEASE);
    if (bytes < l->bytes)
        obb_os_unmap(l->base + bytes, l->bytes - bytes);
    /* Unsigned arithmetic wraps: a shrink adds a negative amount. */
    __atomic_fetch_add(&large_stats.bytes, bytes - l->bytes,
                       __ATOMIC_RELAXED);
    l->bytes = bytes;
    return true;
}
