#line 205 "docs/02-pages-from-the-kernel.md"
#ifndef OBB_INTERNAL_H
#define OBB_INTERNAL_H
#line 231 "docs/02-pages-from-the-kernel.md"
#include <stddef.h>
#include <stdint.h>
#line 151 "docs/03-buddies.md"
#include <pthread.h>
#include <stdbool.h>
#line 208 "docs/02-pages-from-the-kernel.md"
#pragma GCC visibility push(hidden)
#line 240 "docs/02-pages-from-the-kernel.md"
/* Every pointer we return is a multiple of this. The x86-64
 * System V ABI gives long double and __int128 16-byte alignment,
 * and memory from malloc must suit any type. */
#define OBB_ALIGNMENT 16

/* os.c: whole pages from the kernel, and back. */
void *obb_os_map(size_t bytes);
void obb_os_unmap(void *p, size_t bytes);
size_t obb_os_page_size(void);

/* Round n up to a multiple of align, a power of two. The caller
 * makes sure that n + align - 1 cannot wrap around. */
static inline size_t obb_round_up(size_t n, size_t align)
{
    return (n + align - 1) & ~(align - 1);
}
#line 805 "docs/02-pages-from-the-kernel.md"

/* api.c: the work behind align.c; align is a power of two. */
void *obb_memalign(size_t align, size_t size);
#line 24 "docs/05-regions-and-big-blocks.md"
/* The smallest block: 16 bytes, the alignment malloc owes its callers. */
#define OBB_MIN_ORDER 4
/* Regions are 2^22 bytes (4 MiB, 1,024 pages) and aligned to their size. */
#define OBB_REGION_ORDER 22
#define OBB_REGION_SIZE ((size_t)1 << OBB_REGION_ORDER)
/* Requests above this get a mapping of their own. */
#define OBB_SMALL_MAX ((size_t)1 << 18)
/* User-space addresses on x86-64 Linux (4-level paging) are below 2^47. */
#define OBB_ADDRESS_BITS 47
/* Larger requests fail with ENOMEM before any size arithmetic can
   overflow. */
#define OBB_MAX_REQUEST ((size_t)1 << 46)
/* Free nodes remembered per depth (see chapter 04). */
#define OBB_HINTS 8
#line 183 "docs/03-buddies.md"
/* The smallest k with 2^k >= n (0 for n <= 1). */
static inline unsigned obb_log2_ceil(size_t n)
{
    if (n <= 1)
        return 0;
    return 64 - (unsigned)__builtin_clzll((unsigned long long)(n - 1));
}
#line 403 "docs/04-one-byte-a-block.md"
/* The order of the block that holds size bytes: a power of two, never
   below the smallest block. */
static inline unsigned obb_block_order(size_t size)
{
    unsigned order = obb_log2_ceil(size);
    return order < OBB_MIN_ORDER ? OBB_MIN_ORDER : order;
}
#line 633 "docs/04-one-byte-a-block.md"

/* What -DOBB_COUNT counts in the tree, per order of the requested block. */
enum obb_count_kind {
    OBB_TREE_CALLS,     /* obb_tree_alloc was called */
    OBB_FROM_HINTS,     /* ... and took a remembered free node */
    OBB_DESCENTS,       /* ... or descended from the root */
    OBB_NODES_VISITED,  /* nodes the descents looked at */
    OBB_EMPTY_DESCENTS, /* descents that found nothing */
    OBB_COUNT_KINDS
};

#ifdef OBB_COUNT
extern size_t obb_counts[OBB_COUNT_KINDS][OBB_REGION_ORDER + 1];
#endif

/* Count n events of a kind for a block of 2^order bytes. */
static inline void obb_count(enum obb_count_kind kind, unsigned order,
                             size_t n)
{
#ifdef OBB_COUNT
    /* A relaxed load and store, not an atomic add: as cheap as a plain
       increment and never a data race, but two arenas counting at the
       same instant (chapter 07 on) may lose a count. */
    size_t *c = &obb_counts[kind][order];
    __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
                     __ATOMIC_RELAXED);
#else
    (void)kind, (void)order, (void)n;
#endif
}
#line 195 "docs/04-one-byte-a-block.md"
/* The blocks of one region, as a buddy tree of 4-bit nodes kept apart
   from them. */
struct obb_tree {
    unsigned char *base;    /* the region's first byte */
    /* node n is nibble n: byte n / 2, the low nibble if n is even */
    unsigned char *nodes;
    unsigned order;         /* the region is 2^order bytes */
    unsigned depth;         /* the leaves' depth: order - OBB_MIN_ORDER */
    /* Recently freed nodes, per depth: where to look before descending. */
    uint32_t hints[OBB_REGION_ORDER - OBB_MIN_ORDER + 1][OBB_HINTS];
    uint8_t hint_count[OBB_REGION_ORDER - OBB_MIN_ORDER + 1];
    /* How many free blocks there are at each depth. */
    uint32_t free_blocks[OBB_REGION_ORDER - OBB_MIN_ORDER + 1];
};

/* What the tree says about a pointer handed to free or realloc. */
enum obb_verdict {
    OBB_VALID,          /* the start of an allocated block */
    OBB_NOT_ALLOCATED,  /* inside a free block: a double free */
    OBB_NOT_A_BLOCK,    /* not the start of any allocated block */
};

/* What a walk over the nodes in use finds (for malloc_stats). */
struct obb_census {
    size_t blocks;        /* allocated blocks */
    size_t block_bytes;   /* their sizes, added up */
    size_t free_bytes;    /* bytes in free blocks */
    size_t nodes;         /* nodes that carry information */
};

/* Bytes of nibbles for a tree over 2^order bytes: 2^(depth+1) nodes, two
   a byte. */
static inline size_t obb_tree_bytes(unsigned order)
{
    return (size_t)1 << (order - OBB_MIN_ORDER);
}

void obb_tree_init(struct obb_tree *t, void *base, unsigned order,
                   unsigned char *nodes);
void *obb_tree_alloc(struct obb_tree *t, size_t size);
enum obb_verdict obb_tree_free(struct obb_tree *t, void *p);
enum obb_verdict obb_tree_find(struct obb_tree *t, void *p, size_t *usable);
void obb_tree_census(const struct obb_tree *t, struct obb_census *c);
#line 235 "docs/06-the-whole-c-api.md"
bool obb_tree_resize(struct obb_tree *t, void *p, size_t size);
#line 171 "docs/08-threads-come-and-go.md"
void obb_tree_free_runs(const struct obb_tree *t, unsigned min_order,
                        void (*give)(unsigned char *start, size_t bytes,
                                     void *context),
                        void *context);
#line 64 "docs/06-the-whole-c-api.md"
struct obb_arena;

/* A region of memory from the kernel, carved into blocks by its tree. It
   lives in its own region, in the block after the tree's nodes. */
struct obb_region {
    struct obb_tree tree;
    struct obb_arena *arena;    /* whose lock guards this region */
    struct obb_region *next;    /* the arena's regions */
    struct obb_region *prev;
    size_t live;                /* blocks the program holds in it */
    /* Offset above which no block was ever handed out: the kernel's zeros.
       Starts at 0, "all clean": the tree's nodes and this structure below
       it are written, but they are never handed out, so calloc never asks
       about them. */
    size_t clean_from;
};

/* A block with a mapping of its own, as its slot in the table records it:
   nothing about it is written in the mapping. */
struct obb_large {
    unsigned char *base;        /* the mapping, which is the block */
    size_t bytes;               /* the whole mapping */
};

/* What malloc_stats says of large blocks, which belong to no arena. */
struct obb_large_stats {
    size_t requests;            /* mapped */
    size_t frees;               /* unmapped */
    size_t bytes;               /* mapped now */
};

struct obb_region *obb_region_create(struct obb_arena *a);
void obb_region_destroy(struct obb_region *r);
struct obb_region *obb_region_of(const void *p);

void *obb_large_alloc(size_t size, size_t align);
bool obb_large_of(const void *p, struct obb_large *l);
bool obb_large_free(const struct obb_large *l);
size_t obb_large_usable(const struct obb_large *l);
void obb_large_count(struct obb_large_stats *s);
bool obb_large_resize(struct obb_large *l, size_t size);
#line 79 "docs/10-the-owner-takes-no-lock.md"
/* Who may use an arena's trees (chapter 10). */
enum obb_arena_state {
    OBB_ORPHAN,    /* no thread's: the first to claim it may use it */
    OBB_OWNED,     /* a live thread's: only that thread uses its trees */
    OBB_CLAIMED,   /* another thread is taking back blocks freed into it */
    /* in a child of fork, caught halfway: never used again */
    OBB_SEALED,
};

/* A heap: regions, the blocks other threads have freed into it, and its
   statistics. One thread at a time uses its trees: the owner, or the
   thread that claimed it. The lock guards only the list of regions. */
struct obb_arena {
    pthread_mutex_t lock;        /* regions, region_count */
    /* every region of this arena, newest first */
    struct obb_region *regions;
    /* the region that served the last small request */
    struct obb_region *current;
    size_t region_count;
    /* Counted by the holder, read by malloc_stats: relaxed atomics. */
    size_t requests;             /* small blocks allocated */
    size_t frees;                /* small blocks freed */
    /* blocks taken back from the remote list */
    size_t taken;
    size_t drains;               /* times the list was taken, not empty */
    /* the holder is changing a tree (for fork) */
    unsigned busy;
    int state;                   /* an enum obb_arena_state; atomic */
    /* Written by other threads: a cache line of their own. */
    /* blocks freed by other threads: a stack */
    _Alignas(64) void *remote;
    size_t pushed;               /* blocks pushed onto it */
    size_t retries;              /* pushes that had to try again */
};

extern struct obb_arena obb_main_arena;

/* This thread's arena; NULL when the kernel refuses the page for one. */
struct obb_arena *obb_arena_choose(void);
void *obb_arena_malloc(struct obb_arena *a, size_t size);
void *obb_arena_calloc(struct obb_arena *a, size_t bytes);
void *obb_arena_realloc(struct obb_arena *a, void *p, size_t size);
void *obb_arena_memalign(struct obb_arena *a, size_t align, size_t size);
void obb_free(void *p, const char *caller);
size_t obb_usable_size(void *p, const char *caller);

/* Trims the caller's arena and every arena nobody owns to the page; true
   if anything went back. */
bool obb_trim(void);

/* Calls visit for every arena, oldest first, with the list of arenas
   locked. */
void obb_arenas_visit(void (*visit)(struct obb_arena *a, unsigned number,
                                    int state, void *context),
                      void *context);
#line 947 "docs/03-buddies.md"
/* A line of text built in a caller's buffer, for messages that must not
   allocate. */
struct obb_text {
    char *at;
    char *end;
};

void obb_text_str(struct obb_text *t, const char *s);
void obb_text_uint(struct obb_text *t, uintmax_t v);
void obb_text_pointer(struct obb_text *t, const void *p);
_Noreturn void obb_fatal(const char *caller, const void *p,
                         const char *problem);
const char *obb_verdict_text(enum obb_verdict v);
#line 548 "docs/03-buddies.md"
void *obb_os_reserve(size_t bytes, size_t align);
#line 912 "docs/04-one-byte-a-block.md"
size_t obb_os_resident(const void *p, size_t bytes);
#line 333 "docs/05-regions-and-big-blocks.md"
void *obb_os_map_aligned(size_t bytes, size_t align);
#line 289 "docs/06-the-whole-c-api.md"
bool obb_os_grow(void *p, size_t old_bytes, size_t new_bytes);
#line 150 "docs/08-threads-come-and-go.md"
void obb_os_discard(void *p, size_t bytes);
#line 210 "docs/02-pages-from-the-kernel.md"
#pragma GCC visibility pop
#endif
