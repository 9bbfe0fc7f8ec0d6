#line 228 "docs/03-buddies.md"
/* tree.c: the blocks of one region, kept by the buddy system. */
#define _GNU_SOURCE
#line 239 "docs/03-buddies.md"
#include <string.h>
#include "internal.h"
#line 261 "docs/04-one-byte-a-block.md"
/* The ten states of a node: what its block holds, half by half. */
enum state {
    FREE,           /* the whole block is free */
    L_FREE_R_USED,  /* split: the left half free, the right partly used */
    L_USED_R_FREE,
    BOTH_USED,
    L_FREE_R_FULL,
    L_FULL_R_FREE,
    L_USED_R_FULL,
    L_FULL_R_USED,
    BOTH_FULL,
    ALLOCATED,      /* the whole block was returned by one malloc */
};

/* What a parent needs to know of a half: empty, partly used, or full. */
enum fill { EMPTY, PART, FULL };

static const unsigned char left_fill[10] = {
    EMPTY, EMPTY, PART, PART, EMPTY, FULL, PART, FULL, FULL, FULL,
};
static const unsigned char right_fill[10] = {
    EMPTY, PART, EMPTY, PART, FULL, EMPTY, FULL, PART, FULL, FULL,
};
/* The state of a node whose halves are [left][right]; two empty halves
   merge. */
static const unsigned char state_of[3][3] = {
    [EMPTY] = { FREE, L_FREE_R_USED, L_FREE_R_FULL },
    [PART] = { L_USED_R_FREE, BOTH_USED, L_USED_R_FULL },
    [FULL] = { L_FULL_R_FREE, L_FULL_R_USED, BOTH_FULL },
};

static enum fill fill_of(unsigned s)
{
    if (s == FREE)
        return EMPTY;
    return s == ALLOCATED || s == BOTH_FULL ? FULL : PART;
}
#line 1057 "docs/10-the-owner-takes-no-lock.md"
/* Only the holder of a tree's arena writes its nodes; other threads may
   read them (peek, below). The holder's own reads race with nothing, so
   they stay plain; its writes are relaxed atomic stores of the byte, and
   so are the other threads' reads. On x86-64 both are plain moves. */
static unsigned get(const struct obb_tree *t, size_t n)
{
    return (t->nodes[n >> 1] >> ((n & 1) * 4)) & 0xf;
}

/* Read node n from a thread that may not hold the tree. */
static unsigned peek(const struct obb_tree *t, size_t n)
{
    unsigned char byte = __atomic_load_n(&t->nodes[n >> 1],
                                         __ATOMIC_RELAXED);
    return (byte >> ((n & 1) * 4)) & 0xf;
}

/* Write only what changes: an untouched page of nodes stays untouched. */
static void set(struct obb_tree *t, size_t n, unsigned s)
{
    unsigned shift = (n & 1) * 4;
    unsigned char *byte = &t->nodes[n >> 1];
    unsigned char value = (unsigned char)((*byte & ~(0xfu << shift)) |
                                          (s << shift));
    if (*byte != value)
        __atomic_store_n(byte, value, __ATOMIC_RELAXED);
}
#line 339 "docs/04-one-byte-a-block.md"
/* The offset of the block of node n, at depth d, from the region's base. */
static size_t offset_of(const struct obb_tree *t, size_t n, unsigned d)
{
    return (n - ((size_t)1 << d)) << (t->order - d);
}

/* The block size of a node at depth d. */
static size_t size_at(const struct obb_tree *t, unsigned d)
{
    return (size_t)1 << (t->order - d);
}
#line 558 "docs/04-one-byte-a-block.md"
/* Node n changed: recompute its ancestors until one stays as it was. */
static void update_ancestors(struct obb_tree *t, size_t n)
{
    for (; n > 1; n >>= 1) {
        size_t parent = n >> 1, buddy = n ^ 1;
        size_t left = n < buddy ? n : buddy, right = left + 1;
        unsigned s =
            state_of[fill_of(get(t, left))][fill_of(get(t, right))];
        if (get(t, parent) == s)
            break;
        set(t, parent, s);
    }
}
#line 727 "docs/04-one-byte-a-block.md"
/* Is node n a free block: free itself, and reached from the root
   through split nodes? */
static bool is_free_block(const struct obb_tree *t, size_t n)
{
    if (get(t, n) != FREE)
        return false;
    for (n >>= 1; n != 0; n >>= 1) {
        unsigned s = get(t, n);
        if (s == FREE || s == ALLOCATED)
            return false;
    }
    return true;
}

/* Remember that node n, at depth d, has become a free block; forget the
   oldest. */
static void remember(struct obb_tree *t, size_t n, unsigned d)
{
    uint8_t *count = &t->hint_count[d];
    if (*count == OBB_HINTS) {
        memmove(&t->hints[d][0], &t->hints[d][1],
                (OBB_HINTS - 1) * sizeof t->hints[d][0]);
        (*count)--;
    }
    t->hints[d][(*count)++] = (uint32_t)n;
}

/* Is there a free block at depth want or above (a bigger one)? */
static bool has_free_block(const struct obb_tree *t, unsigned want)
{
    for (unsigned d = 0; d <= want; d++)
        if (t->free_blocks[d] != 0)
            return true;
    return false;
}

/* A free block at depth d from the memory, newest first, or 0; stale
   hints are dropped. */
static size_t recall(struct obb_tree *t, unsigned d)
{
    while (t->hint_count[d] > 0) {
        size_t n = t->hints[d][--t->hint_count[d]];
        if (is_free_block(t, n))
            return n;
    }
    return 0;
}
#line 668 "docs/04-one-byte-a-block.md"
#ifdef OBB_COUNT
size_t obb_counts[OBB_COUNT_KINDS][OBB_REGION_ORDER + 1];
#endif
#line 279 "docs/06-the-whole-c-api.md"
static enum obb_verdict locate(const struct obb_tree *t, void *p,
                               size_t *node, unsigned *depth);
#line 357 "docs/04-one-byte-a-block.md"
void obb_tree_init(struct obb_tree *t, void *base, unsigned order,
                   unsigned char *nodes)
{
    memset(t, 0, sizeof *t);
    t->base = base;
    t->nodes = nodes;     /* zeroed by the kernel: every node is FREE */
    t->order = order;
    t->depth = order - OBB_MIN_ORDER;
    t->free_blocks[0] = 1;  /* the root */
}
#line 474 "docs/04-one-byte-a-block.md"
/* Split node n (at depth d) down its left edge to depth want; return the
   new block's node. */
static size_t split_down(struct obb_tree *t, size_t n, unsigned d,
                         unsigned want)
{
    for (; d < want; d++, n = 2 * n) {
        set(t, 2 * n + 1, FREE);
        t->free_blocks[d + 1]++;
        remember(t, 2 * n + 1, d + 1);
        set(t, n, d + 1 == want ? L_FULL_R_FREE : L_USED_R_FREE);
    }
    set(t, n, ALLOCATED);
    return n;
}

/* Node n (at depth d) is a free block: allocate its leftmost block at
   depth want. */
static size_t take(struct obb_tree *t, size_t n, unsigned d, unsigned want)
{
    t->free_blocks[d]--;
    return split_down(t, n, d, want);
}
#line 416 "docs/04-one-byte-a-block.md"

/* Find a free node at depth want below node n (at depth d). Returns it,
   or 0. */
static size_t descend(struct obb_tree *t, size_t n, unsigned d,
                      unsigned want)
{
    obb_count(OBB_NODES_VISITED, t->order - want, 1);
    unsigned s = get(t, n);
    if (s == FREE)
        return take(t, n, d, want);
    if (d == want || fill_of(s) == FULL)
        return 0;
    size_t found = 0;
    /* Partly used halves first: a free half stays whole for a bigger
       request. */
    if (left_fill[s] == PART)
        found = descend(t, 2 * n, d + 1, want);
    if (found == 0 && right_fill[s] == PART)
        found = descend(t, 2 * n + 1, d + 1, want);
    if (found == 0 && left_fill[s] == EMPTY)
        found = descend(t, 2 * n, d + 1, want);
    if (found == 0 && right_fill[s] == EMPTY)
        found = descend(t, 2 * n + 1, d + 1, want);
    if (found != 0)
        set(t, n,
            state_of[fill_of(get(t, 2 * n))][fill_of(get(t, 2 * n + 1))]);
    return found;
}

void *obb_tree_alloc(struct obb_tree *t, size_t size)
{
    unsigned order = obb_block_order(size);
    if (order > t->order)
        return NULL;
    unsigned want = t->order - order;
    obb_count(OBB_TREE_CALLS, order, 1);
    if (!has_free_block(t, want))
        return NULL;
    #line 706 "docs/04-one-byte-a-block.md"
    /* A remembered free block: the wanted size first, then bigger ones. */
    for (unsigned d = want + 1; d-- > 0;) {
        size_t hint = recall(t, d);
        if (hint != 0) {
            obb_count(OBB_FROM_HINTS, order, 1);
            size_t block = take(t, hint, d, want);
            update_ancestors(t, hint);
            return t->base + offset_of(t, block, want);
        }
    }
#line 455 "docs/04-one-byte-a-block.md"
    obb_count(OBB_DESCENTS, order, 1);
    size_t n = descend(t, 1, 0, want);
    if (n == 0)
        obb_count(OBB_EMPTY_DESCENTS, order, 1);
    return n == 0 ? NULL : t->base + offset_of(t, n, want);
}
#line 239 "docs/06-the-whole-c-api.md"

/* Make the allocated block at p hold size bytes without moving it, if
   its buddies allow: shrink by splitting off right halves, grow by
   merging with free right buddies. */
bool obb_tree_resize(struct obb_tree *t, void *p, size_t size)
{
    size_t n;
    unsigned d;
    if (locate(t, p, &n, &d) != OBB_VALID)
        return false;
    unsigned order = obb_block_order(size);
    if (order > t->order)
        return false;
    unsigned want = t->order - order;
    if (want > d) {                      /* shrink */
        split_down(t, n, d, want);
        update_ancestors(t, n);
        return true;
    }
    /* grow: every step up must absorb a free right buddy */
    size_t m = n;
    for (unsigned k = d; k > want; k--, m >>= 1)
        if ((m & 1) != 0 || get(t, m ^ 1) != FREE)
            return false;
    for (unsigned k = d; k > want; k--)
        t->free_blocks[k]--;   /* the absorbed buddies are no longer free */
    set(t, m, ALLOCATED);
    update_ancestors(t, m);
    return true;
}
#line 1087 "docs/10-the-owner-takes-no-lock.md"
/* Walk from the root towards p; the first node that is not split decides.
   Any thread may ask (malloc_usable_size, realloc): it peeks. */
static enum obb_verdict locate(const struct obb_tree *t, void *p,
                               size_t *node, unsigned *depth)
{
    size_t offset = (size_t)((unsigned char *)p - t->base);
    if (offset % ((size_t)1 << OBB_MIN_ORDER) != 0)
        return OBB_NOT_A_BLOCK;
    size_t n = 1;
    for (unsigned d = 0;; d++) {
        unsigned s = peek(t, n);
        if (s == ALLOCATED) {
            if (offset_of(t, n, d) != offset)
                return OBB_NOT_A_BLOCK;
            *node = n;
            *depth = d;
            return OBB_VALID;
        }
        if (s == FREE || d == t->depth)
            return OBB_NOT_ALLOCATED;
        /* the half holding p */
        n = 2 * n + ((offset >> (t->order - d - 1)) & 1);
    }
}
#line 575 "docs/04-one-byte-a-block.md"

enum obb_verdict obb_tree_free(struct obb_tree *t, void *p)
{
    size_t n;
    unsigned d;
    enum obb_verdict v = locate(t, p, &n, &d);
    if (v != OBB_VALID)
        return v;
    set(t, n, FREE);
    update_ancestors(t, n);
    t->free_blocks[d]++;
    /* each merge: two free blocks become one */
    while (n > 1 && get(t, n >> 1) == FREE) {
        t->free_blocks[d] -= 2;
        n >>= 1;
        d--;
        t->free_blocks[d]++;
    }
    remember(t, n, d);
    return OBB_VALID;
}
#line 606 "docs/04-one-byte-a-block.md"
enum obb_verdict obb_tree_find(struct obb_tree *t, void *p, size_t *usable)
{
    size_t n;
    unsigned d;
    enum obb_verdict v = locate(t, p, &n, &d);
    if (v == OBB_VALID)
        *usable = size_at(t, d);
    return v;
}

#line 1114 "docs/10-the-owner-takes-no-lock.md"
/* malloc_stats counts every arena's trees, whoever holds them: it peeks. */
static void census(const struct obb_tree *t, size_t n, unsigned d,
                   struct obb_census *c)
{
    c->nodes++;
    unsigned s = peek(t, n);
    if (s == ALLOCATED) {
        c->blocks++;
        c->block_bytes += size_at(t, d);
    } else if (s == FREE) {
        c->free_bytes += size_at(t, d);
    } else {
        census(t, 2 * n, d + 1, c);
        census(t, 2 * n + 1, d + 1, c);
    }
}

/* Count the nodes that carry information: the root and the children of
   split nodes. */
void obb_tree_census(const struct obb_tree *t, struct obb_census *c)
{
    census(t, 1, 0, c);
}
#line 178 "docs/08-threads-come-and-go.md"

/* A run of free blocks being gathered, and whom to give it when it ends. */
struct runs {
    unsigned char *start;
    size_t bytes;
    void (*give)(unsigned char *start, size_t bytes, void *context);
    void *context;
};

static void end_run(struct runs *r)
{
    if (r->bytes != 0)
        r->give(r->start, r->bytes, r->context);
    r->bytes = 0;
}

/* Node n (at depth d) and what lies below it, down to depth last. */
static void gather(const struct obb_tree *t, size_t n, unsigned d,
                   unsigned last, struct runs *r)
{
    unsigned s = get(t, n);
    if (s == FREE) {
        if (r->bytes == 0)
            r->start = t->base + offset_of(t, n, d);
        r->bytes += size_at(t, d);
    } else if (s == ALLOCATED || s == BOTH_FULL || d == last) {
        end_run(r);
    } else {
        gather(t, 2 * n, d + 1, last, r);
        gather(t, 2 * n + 1, d + 1, last, r);
    }
}

/* Give every run of free blocks of at least 2^min_order bytes, in
   address order. */
void obb_tree_free_runs(const struct obb_tree *t, unsigned min_order,
                        void (*give)(unsigned char *start, size_t bytes,
                                     void *context),
                        void *context)
{
    struct runs r = { .give = give, .context = context };
    if (min_order <= t->order)
        gather(t, 1, 0, t->order - min_order, &r);
    end_run(&r);
}
