#line 472 "docs/03-buddies.md"
/* region.c: memory from the kernel, and which region a pointer belongs to. */
#define _GNU_SOURCE
#line 151 "docs/05-regions-and-big-blocks.md"
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "internal.h"
#line 158 "docs/05-regions-and-big-blocks.md"
/* One slot per region-sized piece of the address space. */
#define SLOTS ((size_t)1 << (OBB_ADDRESS_BITS - OBB_REGION_ORDER))
/* Large blocks are tagged in the table with the low bit. */
#define LARGE_TAG ((uintptr_t)1)

/* The table, mapped on first use; never unmapped. */
static void **table;
#line 178 "docs/05-regions-and-big-blocks.md"
static void **table_map(void)
{
    void **t = __atomic_load_n(&table, __ATOMIC_ACQUIRE);
    if (t != NULL)
        return t;
    void **fresh = obb_os_reserve(SLOTS * sizeof *fresh, 0);
    if (fresh == NULL)
        return NULL;
    if (__atomic_compare_exchange_n(&table, &t, fresh, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return fresh;
    obb_os_unmap(fresh, SLOTS * sizeof *fresh);
    return t;                        /* another thread's table */
}

/* The slot for address p, or NULL when no table exists or p is beyond user space. */
static void **slot_of(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    void **t = __atomic_load_n(&table, __ATOMIC_ACQUIRE);
    if (t == NULL || (a >> OBB_ADDRESS_BITS) != 0)
        return NULL;
    return &t[a >> OBB_REGION_ORDER];
}

static void *entry_of(const void *p)
{
    void **slot = slot_of(p);
    return slot == NULL ? NULL : __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}
#line 219 "docs/05-regions-and-big-blocks.md"
struct obb_region *obb_region_create(struct obb_arena *a)
{
    if (table_map() == NULL)
        return NULL;
    unsigned char *base = obb_os_map_aligned(OBB_REGION_SIZE, OBB_REGION_SIZE);
    if (base == NULL)
        return NULL;
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
    __atomic_store_n(slot_of(base), (void *)r, __ATOMIC_RELEASE);
    return r;
}

/* Give an empty region back to the kernel. The arena has already unlinked it. */
void obb_region_destroy(struct obb_region *r)
{
    unsigned char *base = r->tree.base;
    __atomic_store_n(slot_of(base), NULL, __ATOMIC_RELEASE);
    obb_os_unmap(base, OBB_REGION_SIZE);
}

/* The region holding p, or NULL. Any pointer may be asked about. */
struct obb_region *obb_region_of(const void *p)
{
    void *e = entry_of(p);
    if (e == NULL || ((uintptr_t)e & LARGE_TAG) != 0)
        return NULL;
    return e;
}
#line 308 "docs/05-regions-and-big-blocks.md"
/* Room for the header before a large block; a multiple of 16. */
#define LARGE_HEADER ((size_t)64)

void *obb_large_alloc(struct obb_arena *a, size_t size, size_t align)
{
    size_t offset = align > LARGE_HEADER ? align : LARGE_HEADER;
    if (size > OBB_MAX_REQUEST || offset > OBB_MAX_REQUEST || table_map() == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    size_t bytes = obb_round_up(offset + size, obb_os_page_size());
    unsigned char *base = obb_os_map_aligned(bytes, align > OBB_REGION_SIZE ? align : OBB_REGION_SIZE);
    if (base == NULL)
        return NULL;
    struct obb_large *l = (struct obb_large *)base;
    l->arena = a;
    l->bytes = bytes;
    l->user = base + offset;
    __atomic_fetch_add(&a->large_requests, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&a->large_bytes, bytes, __ATOMIC_RELAXED);
    __atomic_store_n(slot_of(l->user), (void *)((uintptr_t)l | LARGE_TAG), __ATOMIC_RELEASE);
    return l->user;
}

/* The large block whose pointer is exactly p, or NULL. */
struct obb_large *obb_large_of(const void *p)
{
    uintptr_t e = (uintptr_t)entry_of(p);
    if ((e & LARGE_TAG) == 0)
        return NULL;
    struct obb_large *l = (struct obb_large *)(e & ~LARGE_TAG);
    return l->user == p ? l : NULL;
}

/* Unmap a large block. False if it was no longer in the table: freed already. */
bool obb_large_free(struct obb_large *l)
{
    void *expected = (void *)((uintptr_t)l | LARGE_TAG);
    if (!__atomic_compare_exchange_n(slot_of(l->user), &expected, NULL, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return false;
    struct obb_arena *a = l->arena;
    __atomic_fetch_add(&a->large_frees, 1, __ATOMIC_RELAXED);
    __atomic_fetch_sub(&a->large_bytes, l->bytes, __ATOMIC_RELAXED);
    obb_os_unmap(l, l->bytes);
    return true;
}

/* Everything from the pointer to the end of the mapping is the caller's. */
size_t obb_large_usable(const struct obb_large *l)
{
    return l->bytes - (size_t)(l->user - (const unsigned char *)l);
}
#line 287 "docs/06-the-whole-c-api.md"

/* Make a large block hold size bytes without moving it. */
bool obb_large_resize(struct obb_large *l, size_t size)
{
    size_t offset = (size_t)(l->user - (unsigned char *)l);
    size_t bytes = obb_round_up(offset + size, obb_os_page_size());
    if (bytes < l->bytes) {
        obb_os_unmap((unsigned char *)l + bytes, l->bytes - bytes);
        __atomic_fetch_sub(&l->arena->large_bytes, l->bytes - bytes, __ATOMIC_RELAXED);
    } else if (bytes > l->bytes) {
        if (!obb_os_grow(l, l->bytes, bytes))
            return false;
        __atomic_fetch_add(&l->arena->large_bytes, bytes - l->bytes, __ATOMIC_RELAXED);
    }
    l->bytes = bytes;
    return true;
}
