#line 694 "docs/03-buddies.md"
/* arena.c: a heap with a lock: allocation, free, and what fork does. */
#define _GNU_SOURCE
#line 708 "docs/03-buddies.md"
#include <errno.h>
#include <string.h>
#include "internal.h"
#line 714 "docs/03-buddies.md"
struct obb_arena obb_main_arena = { .lock = PTHREAD_MUTEX_INITIALIZER };
#line 148 "docs/10-the-owner-takes-no-lock.md"
/* An arena as the list of all arenas sees it. Whether a thread owns the
   arena is the arena's own state now. */
struct arena_entry {
    struct obb_arena *arena;
    struct arena_entry *next;    /* the next arena made */
    /* 0 for obb_main_arena, then in order of creation */
    unsigned number;
};

/* Every arena ever made, oldest first, from obb_main_arena. Arenas are
   never unmapped: a block can outlive its thread, and its region points at
   its arena. arenas_lock guards the chain and the count.
   Lock order: arenas_lock before any arena's lock, never the other way
   round. */
static pthread_mutex_t arenas_lock = PTHREAD_MUTEX_INITIALIZER;
static struct arena_entry main_entry = { .arena = &obb_main_arena };
static struct arena_entry *newest_entry = &main_entry;
static unsigned arena_count = 1;

#line 171 "docs/10-the-owner-takes-no-lock.md"
/* Make a ours, if nobody holds it: ORPHAN becomes to (OWNED or CLAIMED).
   seq_cst: it acquires the trees the last holder released, and it takes
   part in the store-then-load pairs of settle (below). */
static bool claim(struct obb_arena *a, int to)
{
    int orphan = OBB_ORPHAN;
    return __atomic_compare_exchange_n(&a->state, &orphan, to, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

/* The holder raises busy around every change to its trees, so that a
   child of fork can tell an arena caught halfway. Only the holder writes
   busy, so a relaxed load and store do (two plain moves); the release
   fence keeps the raise before the tree's stores, and the release store
   keeps the tree's stores before the lowering. */
static void hold(struct obb_arena *a)
{
    unsigned b = __atomic_load_n(&a->busy, __ATOMIC_RELAXED);
    __atomic_store_n(&a->busy, b + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

static void let_go(struct obb_arena *a)
{
    unsigned b = __atomic_load_n(&a->busy, __ATOMIC_RELAXED);
    __atomic_store_n(&a->busy, b - 1, __ATOMIC_RELEASE);
}

/* Add n to a counter that only the holder writes and others may read. */
static void count(size_t *c, size_t n)
{
    __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
                     __ATOMIC_RELAXED);
}
#line 99 "docs/07-an-arena-per-thread.md"
/* The arena this thread allocates from: NULL until the thread's first
   call. initial-exec: found at a fixed offset from the thread pointer (%fs
   on x86-64) with no call to __tls_get_addr, which may itself call
   malloc. */
static __thread struct obb_arena *my_arena
    __attribute__((tls_model("initial-exec")));
#line 228 "docs/10-the-owner-takes-no-lock.md"
/* The call that freed a block on a remote list, in the low bits of the
   link to it (blocks are 16-byte aligned): 1 for realloc, 0 for free. */
#define CALL_BITS ((uintptr_t)(OBB_ALIGNMENT - 1))

static uintptr_t call_tag(const char *caller)
{
    return strcmp(caller, "realloc") == 0 ? 1 : 0;
}

static const char *call_name(uintptr_t tag)
{
    return tag == 1 ? "realloc" : "free";
}

/* Put p, a block of one of a's regions, on a's remote list: its first
   word links to the rest. The compare-and-swap publishes that word with
   the block (release) and is ordered before settle's load of a->state
   (seq_cst). */
static void push_remote(struct obb_arena *a, void *p, const char *caller)
{
    void *item = (void *)((uintptr_t)p | call_tag(caller));
    void *head = __atomic_load_n(&a->remote, __ATOMIC_RELAXED);
    __atomic_fetch_add(&a->pushed, 1, __ATOMIC_RELAXED);
    for (;;) {
        *(void **)p = head;
        if (__atomic_compare_exchange_n(&a->remote, &head, item, true,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            return;
        __atomic_fetch_add(&a->retries, 1, __ATOMIC_RELAXED);
    }
}
#line 292 "docs/10-the-owner-takes-no-lock.md"
static void free_held(struct obb_arena *a, struct obb_region *r, void *p,
                      const char *caller);

/* Take back every block other threads have freed into a: one exchange
   takes the whole list (acquire: the links written before each push are
   visible), then each block is freed in its tree, with every check a
   free of the holder's own gets. Called by a's holder. */
static void drain(struct obb_arena *a)
{
    void *item = __atomic_exchange_n(&a->remote, NULL, __ATOMIC_ACQUIRE);
    size_t n = 0;
    while (item != NULL) {
        void *p = (void *)((uintptr_t)item & ~CALL_BITS);
        const char *caller = call_name((uintptr_t)item & CALL_BITS);
        struct obb_region *r = obb_region_of(p);
        if (r == NULL || r->arena != a)   /* its region went: freed twice */
            obb_fatal(caller, p, "block is not allocated (double free?)");
        item = *(void **)p;   /* before the free: the region may go */
        free_held(a, r, p, caller);
        n++;
    }
    if (n != 0) {   /* drains that found something */
        count(&a->taken, n);
        count(&a->drains, 1);
    }
}
#line 786 "docs/10-the-owner-takes-no-lock.md"
/* a has no owner: take back what other threads have freed into it, unless
   another thread is already doing so. After letting go, look again: a
   block pushed meanwhile by a thread that saw CLAIMED is ours to take. */
static void settle(struct obb_arena *a)
{
    while (__atomic_load_n(&a->remote, __ATOMIC_SEQ_CST) != NULL) {
        if (!claim(a, OBB_CLAIMED))
            /* owned, sealed, or claimed by a thread that looks again */
            return;
        hold(a);
        drain(a);
        let_go(a);
        __atomic_store_n(&a->state, OBB_ORPHAN, __ATOMIC_SEQ_CST);
    }
}

/* A free into an arena this thread does not hold. */
static void free_remote(struct obb_arena *a, void *p, const char *caller)
{
    push_remote(a, p, caller);
    if (__atomic_load_n(&a->state, __ATOMIC_SEQ_CST) == OBB_ORPHAN)
        settle(a);
}
#line 843 "docs/10-the-owner-takes-no-lock.md"

/* A key whose value, in each thread, is its arena's list entry: when the
   thread exits, POSIX calls release_arena with it. */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* How far a thread's exit trims its arena: runs of free blocks of 1 MiB
   and more (chapter 08). */
#define EXIT_TRIM_ORDER 20
static bool trim_arena(struct obb_arena *a, unsigned min_order);

/* The thread that owned e's arena is gone: what it does not use goes back
   to the kernel, and the arena is left for the next new thread, with its
   list settled. */
static void release_arena(void *entry)
{
    struct arena_entry *e = entry;
    struct obb_arena *a = e->arena;
    trim_arena(a, EXIT_TRIM_ORDER);   /* drains the list first */
    my_arena = NULL;   /* a later call of this thread finds an arena anew */
    __atomic_store_n(&a->state, OBB_ORPHAN, __ATOMIC_SEQ_CST);
    settle(a);
}

static void make_exit_key(void)
{
    if (pthread_key_create(&exit_key, release_arena) != 0)
        /* out of keys: arenas are never handed on */
        exit_key = (pthread_key_t)-1;
}
#line 1235 "docs/10-the-owner-takes-no-lock.md"
void obb_arenas_visit(void (*visit)(struct obb_arena *a, unsigned number,
                                    int state, void *context),
                      void *context)
{
    pthread_mutex_lock(&arenas_lock);
    for (struct arena_entry *e = &main_entry; e != NULL; e = e->next)
        visit(e->arena, e->number,
              __atomic_load_n(&e->arena->state, __ATOMIC_RELAXED), context);
    pthread_mutex_unlock(&arenas_lock);
}
#line 942 "docs/10-the-owner-takes-no-lock.md"
/* Set while a fork is under way; fork_lock is held meanwhile. */
static int forking;
static pthread_mutex_t fork_lock = PTHREAD_MUTEX_INITIALIZER;

/* Before fork: stop new calls, then take the list's lock and every arena's
   lock, in list order, so that no list of regions is halfway through a
   change. Owners take these locks only to add or remove a region, so
   nothing here waits behind a thread's own malloc and free. */
static void fork_prepare(void)
{
    __atomic_store_n(&forking, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(&fork_lock);
    pthread_mutex_lock(&arenas_lock);
    for (struct arena_entry *e = &main_entry; e != NULL; e = e->next)
        pthread_mutex_lock(&e->arena->lock);
}

static void fork_parent(void)
{
    for (struct arena_entry *e = &main_entry; e != NULL; e = e->next)
        pthread_mutex_unlock(&e->arena->lock);
    pthread_mutex_unlock(&arenas_lock);
    __atomic_store_n(&forking, 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&fork_lock);
}

/* In the child only the forking thread exists: every lock starts afresh. */
static void fork_child(void)
{
    for (struct arena_entry *e = &main_entry; e != NULL; e = e->next)
        pthread_mutex_init(&e->arena->lock, NULL);
    pthread_mutex_init(&arenas_lock, NULL);
    __atomic_store_n(&forking, 0, __ATOMIC_RELAXED);
    pthread_mutex_init(&fork_lock, NULL);
    #line 1002 "docs/10-the-owner-takes-no-lock.md"
    /* Only the forking thread lives on. An arena whose holder was changing a
       tree at the fork is sealed: the tree may be half-updated, so nobody
       uses it again, and its memory is lost to the child. Every other arena
       is consistent and free for the next new thread, its list settled. */
    for (struct arena_entry *e = &main_entry; e != NULL; e = e->next) {
        struct obb_arena *a = e->arena;
        if (a == my_arena)
            continue;
        if (__atomic_load_n(&a->busy, __ATOMIC_ACQUIRE) != 0)
            __atomic_store_n(&a->state, OBB_SEALED, __ATOMIC_RELAXED);
        else if (__atomic_load_n(&a->state, __ATOMIC_RELAXED) != OBB_SEALED)
            __atomic_store_n(&a->state, OBB_ORPHAN, __ATOMIC_RELAXED);
        settle(a);
    }
#line 977 "docs/10-the-owner-takes-no-lock.md"
}

/* A fork is under way: let it finish, and go on when it is done. */
static void wait_for_fork(void)
{
    pthread_mutex_lock(&fork_lock);
    pthread_mutex_unlock(&fork_lock);
}

/* Register the fork handlers once: when the library is loaded, or at an
   allocation made before that (by another library's constructor). */
__attribute__((constructor)) static void arena_init(void)
{
    static int registered;
    if (__atomic_load_n(&registered, __ATOMIC_ACQUIRE))
        return;
    if (__atomic_exchange_n(&registered, 1, __ATOMIC_ACQ_REL) == 0)
        pthread_atfork(fork_prepare, fork_parent, fork_child);
}
#line 156 "docs/07-an-arena-per-thread.md"
/* A fresh arena, with its entry, at the end of the list. Called with
   arenas_lock held. */
static struct arena_entry *new_arena(void)
{
    struct fresh { struct arena_entry entry; struct obb_arena arena; };
    size_t page = obb_os_page_size();
    struct fresh *f = obb_os_map((sizeof *f + page - 1) & ~(page - 1));
    if (f == NULL)
        return NULL;
    pthread_mutex_init(&f->arena.lock, NULL);
    f->entry.arena = &f->arena;
    f->entry.number = arena_count++;
    newest_entry->next = &f->entry;
    newest_entry = &f->entry;
    return &f->entry;
}
#line 887 "docs/10-the-owner-takes-no-lock.md"

/* A thread's first call: adopt an arena nobody holds, or make one, and
   take back what other threads freed into it. NULL when the kernel
   refuses the page for a new arena. Out of line, so the common path in
   obb_arena_choose stays a load and a test. */
__attribute__((noinline)) static struct obb_arena *first_call(void)
{
    /* fork handlers first: from here on we take arenas_lock */
    arena_init();
    pthread_mutex_lock(&arenas_lock);
    struct arena_entry *e = &main_entry;
    while (e != NULL && !claim(e->arena, OBB_OWNED))
        e = e->next;
    if (e == NULL && (e = new_arena()) != NULL)
        claim(e->arena, OBB_OWNED);   /* fresh, so an orphan: cannot fail */
    pthread_mutex_unlock(&arenas_lock);
    if (e == NULL)
        return NULL;
    struct obb_arena *a = e->arena;
    my_arena = a;
    #line 110 "docs/08-threads-come-and-go.md"
    pthread_once(&exit_key_once, make_exit_key);
    if (exit_key != (pthread_key_t)-1)
        pthread_setspecific(exit_key, e);
#line 908 "docs/10-the-owner-takes-no-lock.md"
    hold(a);
    drain(a);
    let_go(a);
    return a;
}
#line 228 "docs/07-an-arena-per-thread.md"

struct obb_arena *obb_arena_choose(void)
{
    if (__builtin_expect(__atomic_load_n(&forking, __ATOMIC_RELAXED), 0))
        wait_for_fork();
    struct obb_arena *a = my_arena;
    if (__builtin_expect(a == NULL, 0))
        a = first_call();
    return a;
}
#line 405 "docs/10-the-owner-takes-no-lock.md"
/* A new region at the head of a's list. Called by a's holder; the lock
   keeps the list's readers (malloc_stats, fork) out while it changes. */
static struct obb_region *add_region(struct obb_arena *a)
{
    struct obb_region *r = obb_region_create(a);
    if (r == NULL)
        return NULL;
    pthread_mutex_lock(&a->lock);
    r->next = a->regions;
    if (a->regions != NULL)
        a->regions->prev = r;
    a->regions = r;
    a->region_count++;
    pthread_mutex_unlock(&a->lock);
    return r;
}
#line 428 "docs/10-the-owner-takes-no-lock.md"
/* The block size the tree gives for a request of size bytes. */
static size_t block_size(size_t size)
{
    return (size_t)1 << obb_block_order(size);
}

/* Note that [p, p + bytes) of region r has been handed out; was it clean
   before? */
static bool mark_used(struct obb_region *r, void *p, size_t bytes)
{
    size_t offset = (size_t)((unsigned char *)p - r->tree.base);
    bool clean = offset >= r->clean_from;
    if (offset + bytes > r->clean_from)
        r->clean_from = offset + bytes;
    return clean;
}

/* A block from the current region or any other; *from is its region. */
static void *alloc_in_regions(struct obb_arena *a, size_t size,
                              struct obb_region **from)
{
    struct obb_region *r = a->current;
    void *p = r != NULL ? obb_tree_alloc(&r->tree, size) : NULL;
    if (p == NULL)
        for (r = a->regions; r != NULL; r = r->next)
            if (r != a->current &&
                (p = obb_tree_alloc(&r->tree, size)) != NULL)
                break;
    *from = r;
    return p;
}

/* Allocate from the regions we have, then from what other threads have
   freed into them, then from a new region; *clean says whether the block
   is still zero. Called by a's holder. */
static void *alloc_small_clean(struct obb_arena *a, size_t size,
                               bool *clean)
{
    struct obb_region *r;
    void *p = alloc_in_regions(a, size, &r);
    if (p == NULL &&
        __atomic_load_n(&a->remote, __ATOMIC_RELAXED) != NULL) {
        drain(a);
        p = alloc_in_regions(a, size, &r);
    }
    if (p == NULL) {
        r = add_region(a);
        p = r != NULL ? obb_tree_alloc(&r->tree, size) : NULL;
        if (p == NULL)
            return NULL;
    }
    *clean = mark_used(r, p, block_size(size));
    r->live++;
    a->current = r;
    count(&a->requests, 1);
    return p;
}

static void *alloc_small(struct obb_arena *a, size_t size)
{
    bool clean;
    return alloc_small_clean(a, size, &clean);
}
#line 499 "docs/10-the-owner-takes-no-lock.md"
/* Blocks other threads have freed into a go back to its trees before a
   small request: a relaxed load of a cache line that is usually ours. */
static void take_back(struct obb_arena *a)
{
    if (__atomic_load_n(&a->remote, __ATOMIC_RELAXED) != NULL)
        drain(a);
}

void *obb_arena_malloc(struct obb_arena *a, size_t size)
{
    if (size > OBB_MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    if (size > OBB_SMALL_MAX)
        return obb_large_alloc(size, 0);
    void *p = NULL;
    if (a != NULL) {
        hold(a);
        take_back(a);
        p = alloc_small(a, size);
        let_go(a);
    }
    if (p == NULL)
        errno = ENOMEM;
    return p;
}
#line 536 "docs/10-the-owner-takes-no-lock.md"

void *obb_arena_calloc(struct obb_arena *a, size_t bytes)
{
    if (bytes > OBB_SMALL_MAX || a == NULL)
        return obb_arena_malloc(a, bytes);   /* zero already, or ENOMEM */
    bool clean = false;
    hold(a);
    take_back(a);
    void *p = alloc_small_clean(a, bytes, &clean);
    let_go(a);
    if (p == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    if (!clean)
        memset(p, 0, bytes);
    return p;
}
#line 566 "docs/10-the-owner-takes-no-lock.md"
/* Take r out of its arena's list. Called by the arena's holder. */
static void unlink_region(struct obb_arena *a, struct obb_region *r)
{
    pthread_mutex_lock(&a->lock);
    if (r->prev != NULL)
        r->prev->next = r->next;
    else
        a->regions = r->next;
    if (r->next != NULL)
        r->next->prev = r->prev;
    a->region_count--;
    pthread_mutex_unlock(&a->lock);
}

static void free_large(void *p, const char *caller)
{
    struct obb_large l;
    if (!obb_large_of(p, &l))
        obb_fatal(caller, p, "pointer was not allocated by this malloc");
    if (!obb_large_free(&l))
        obb_fatal(caller, p, "block is not allocated (double free?)");
}

/* Free p, a block of a's region r, in r's tree. Called by a's holder:
   its owner freeing its own block, or whoever drains its list. */
static void free_held(struct obb_arena *a, struct obb_region *r, void *p,
                      const char *caller)
{
    bool release = false;
    hold(a);
    enum obb_verdict v = obb_tree_free(&r->tree, p);
    if (v == OBB_VALID) {
        count(&a->frees, 1);
        if (--r->live == 0 && r != a->current) {
            unlink_region(a, r);
            release = true;
        }
    }
    let_go(a);
    if (v != OBB_VALID)
        obb_fatal(caller, p, obb_verdict_text(v));
    if (release)
        obb_region_destroy(r);
}

void obb_free(void *p, const char *caller)
{
    struct obb_region *r = obb_region_of(p);
    if (r == NULL) {
        free_large(p, caller);
        return;
    }
    if (r->arena == my_arena)
        free_held(r->arena, r, p, caller);
    else
        free_remote(r->arena, p, caller);
}
#line 633 "docs/10-the-owner-takes-no-lock.md"
/* No lock and no hold: the caller holds the block, so the nodes on the
   path from the root to it stay split (or allocated, at its own) while
   its arena's holder changes others, and each nibble is read whole. */
size_t obb_usable_size(void *p, const char *caller)
{
    struct obb_region *r = obb_region_of(p);
    if (r == NULL) {
        struct obb_large l;
        if (!obb_large_of(p, &l))
            obb_fatal(caller, p,
                      "pointer was not allocated by this malloc");
        return obb_large_usable(&l);
    }
    size_t usable = 0;
    enum obb_verdict v = obb_tree_find(&r->tree, p, &usable);
    if (v != OBB_VALID)
        obb_fatal(caller, p, obb_verdict_text(v));
    return usable;
}
#line 659 "docs/10-the-owner-takes-no-lock.md"
/* Resize p where it is, if possible; report p if it is not ours. Only the
   holder of p's arena may change its tree: another thread's block moves. */
static bool resize_in_place(void *p, size_t size, const char *caller)
{
    struct obb_region *r = obb_region_of(p);
    if (r == NULL) {
        struct obb_large l;
        if (!obb_large_of(p, &l))
            obb_fatal(caller, p,
                      "pointer was not allocated by this malloc");
        return size > OBB_SMALL_MAX && obb_large_resize(&l, size);
    }
    struct obb_arena *a = r->arena;
    bool mine = a == my_arena, done = false;
    size_t usable = 0;
    if (mine)
        hold(a);
    enum obb_verdict v = obb_tree_find(&r->tree, p, &usable);
    if (mine && v == OBB_VALID && size <= OBB_SMALL_MAX &&
        obb_tree_resize(&r->tree, p, size)) {
        mark_used(r, p, block_size(size));
        done = true;
    }
    if (mine)
        let_go(a);
    if (v != OBB_VALID)
        obb_fatal(caller, p, obb_verdict_text(v));
    return done;
}

void *obb_arena_realloc(struct obb_arena *a, void *p, size_t size)
{
    if (size > OBB_MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    if (resize_in_place(p, size, "realloc"))
        return p;
    size_t have = obb_usable_size(p, "realloc");
    void *q = obb_arena_malloc(a, size);
    if (q == NULL)
        return NULL;
    memcpy(q, p, have < size ? have : size);
    obb_free(p, "realloc");
    return q;
}
#line 715 "docs/10-the-owner-takes-no-lock.md"

static void discard_run(unsigned char *start, size_t bytes, void *context)
{
    obb_os_discard(start, bytes);
    *(bool *)context = true;
}

/* Give back what a holds and does not use: its empty regions are unmapped,
   and in the others every run of free blocks of at least 2^min_order bytes
   is discarded. True if anything went back. Called by a's holder. */
static bool trim_arena(struct obb_arena *a, unsigned min_order)
{
    struct obb_region *empty = NULL;
    bool given = false;
    hold(a);
    drain(a);
    a->current = NULL;   /* from now on an emptied region goes back */
    for (struct obb_region *r = a->regions, *next; r != NULL; r = next) {
        next = r->next;
        if (r->live == 0) {
            unlink_region(a, r);
            r->next = empty;
            empty = r;
        } else {
            obb_tree_free_runs(&r->tree, min_order, discard_run, &given);
        }
    }
    let_go(a);
    for (struct obb_region *r = empty, *next; r != NULL; r = next) {
        next = r->next;
        obb_region_destroy(r);
        given = true;
    }
    return given;
}

/* malloc_trim: the caller's own arena, and every arena nobody holds. */
static void trim_visit(struct obb_arena *a, unsigned number, int state,
                       void *context)
{
    (void)number;
    (void)state;
    unsigned page_order = obb_log2_ceil(obb_os_page_size());
    bool given = false;
    if (a == my_arena) {
        given = trim_arena(a, page_order);
    } else if (claim(a, OBB_CLAIMED)) {
        given = trim_arena(a, page_order);
        __atomic_store_n(&a->state, OBB_ORPHAN, __ATOMIC_SEQ_CST);
        settle(a);
    }
    if (given)
        *(bool *)context = true;
}

bool obb_trim(void)
{
    bool given = false;
    obb_arenas_visit(trim_visit, &given);
    return given;
}
#line 845 "docs/04-one-byte-a-block.md"
void *obb_arena_memalign(struct obb_arena *a, size_t align, size_t size)
{
    if (size > OBB_MAX_REQUEST || align > OBB_MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    size_t block = size > align ? size : align;
    #line 569 "docs/05-regions-and-big-blocks.md"
    if (block > OBB_SMALL_MAX)
        return obb_large_alloc(size, align);
#line 853 "docs/04-one-byte-a-block.md"
    /* A block of at least align bytes is aligned to align. */
    return obb_arena_malloc(a, block);
}
