#line 679 "docs/03-buddies.md"
/* arena.c: a heap with a lock: allocation, free, and what fork does. */
#define _GNU_SOURCE
#line 693 "docs/03-buddies.md"
#include <errno.h>
#include <string.h>
#include "internal.h"
#line 699 "docs/03-buddies.md"
struct obb_arena obb_main_arena = { .lock = PTHREAD_MUTEX_INITIALIZER };
#line 115 "docs/07-an-arena-per-thread.md"
/* An arena as the list of all arenas sees it. */
struct arena_entry {
    struct obb_arena *arena;
    struct arena_entry *next;    /* the next arena made */
    /* 0 for obb_main_arena, then in order of creation */
    unsigned number;
    bool owned;                  /* a live thread allocates from it */
};

/* Every arena ever made, oldest first, from obb_main_arena. Arenas are
   never unmapped: a block can outlive its thread, and its region points at
   its arena. arenas_lock guards the chain, the count and every entry's
   owned flag. Lock order: arenas_lock before any arena's lock, never the
   other way round. */
static pthread_mutex_t arenas_lock = PTHREAD_MUTEX_INITIALIZER;
static struct arena_entry main_entry = { .arena = &obb_main_arena };
static struct arena_entry *newest_entry = &main_entry;
static unsigned arena_count = 1;
#line 99 "docs/07-an-arena-per-thread.md"
/* The arena this thread allocates from: NULL until the thread's first
   call. initial-exec: found at a fixed offset from the thread pointer (%fs
   on x86-64) with no call to __tls_get_addr, which may itself call
   malloc. */
static __thread struct obb_arena *my_arena
    __attribute__((tls_model("initial-exec")));
#line 70 "docs/08-threads-come-and-go.md"
/* A key whose value, in each thread, is its arena's list entry: when the
   thread exits, POSIX calls release_arena with it. */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* How far a thread's exit trims its arena: runs of free blocks of 1 MiB
   and more (see below). */
#define EXIT_TRIM_ORDER 20
static bool trim_arena(struct obb_arena *a, unsigned min_order);

/* The thread that owned e's arena is gone: the next new thread may take the
   arena, with the blocks other threads still hold in it. Until one does,
   the memory the arena does not use goes back to the kernel. */
static void release_arena(void *entry)
{
    struct arena_entry *e = entry;
    pthread_mutex_lock(&arenas_lock);
    e->owned = false;
    pthread_mutex_unlock(&arenas_lock);
    trim_arena(e->arena, EXIT_TRIM_ORDER);
}

static void make_exit_key(void)
{
    if (pthread_key_create(&exit_key, release_arena) != 0)
        /* out of keys: arenas are never handed on */
        exit_key = (pthread_key_t)-1;
}
#line 389 "docs/08-threads-come-and-go.md"
void obb_arenas_visit(void (*visit)(struct obb_arena *a, unsigned number,
                                    bool owned, void *context),
                      void *context)
{
    pthread_mutex_lock(&arenas_lock);
    for (struct arena_entry *e = &main_entry; e != NULL; e = e->next)
        visit(e->arena, e->number, e->owned, context);
    pthread_mutex_unlock(&arenas_lock);
}
#line 297 "docs/07-an-arena-per-thread.md"
/* Set while a fork takes the locks; fork_lock is held meanwhile. */
static int forking;
static pthread_mutex_t fork_lock = PTHREAD_MUTEX_INITIALIZER;

/* Before fork: stop new calls, then take the list's lock and every
   arena's lock in list order, so the child starts with no lock held by a
   thread it does not have. */
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
    #line 546 "docs/08-threads-come-and-go.md"
    /* Only the forking thread lives on: every other thread's arena is free
       to take. */
    for (struct arena_entry *e = &main_entry; e != NULL; e = e->next)
        e->owned = (e->arena == my_arena);
#line 331 "docs/07-an-arena-per-thread.md"
}

/* A fork is taking the locks: let it, and go on when it is done. */
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
#line 180 "docs/07-an-arena-per-thread.md"

/* A thread's first call: take an arena no live thread owns, or make one.
   Out of line, so the common path in obb_arena_choose stays a load and a
   test. */
__attribute__((noinline)) static struct obb_arena *first_call(void)
{
    /* fork handlers first: from here on we take arenas_lock */
    arena_init();
    pthread_mutex_lock(&arenas_lock);
    struct arena_entry *e = &main_entry;
    while (e != NULL && e->owned)
        e = e->next;
    if (e == NULL)
        e = new_arena();
    if (e != NULL)
        e->owned = true;
    pthread_mutex_unlock(&arenas_lock);
    if (e == NULL)
        /* no memory for an arena: share the first one */
        return &obb_main_arena;
    my_arena = e->arena;
    #line 110 "docs/08-threads-come-and-go.md"
    pthread_once(&exit_key_once, make_exit_key);
    if (exit_key != (pthread_key_t)-1)
        pthread_setspecific(exit_key, e);
#line 202 "docs/07-an-arena-per-thread.md"
    return e->arena;
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
#line 502 "docs/05-regions-and-big-blocks.md"
/* A new region at the head of a's list. Called with a->lock held. */
static struct obb_region *add_region(struct obb_arena *a)
{
    struct obb_region *r = obb_region_create(a);
    if (r == NULL)
        return NULL;
    r->next = a->regions;
    if (a->regions != NULL)
        a->regions->prev = r;
    a->regions = r;
    a->region_count++;
    return r;
}
#line 118 "docs/06-the-whole-c-api.md"
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

/* Allocate from the current region, any other region, or a new one;
   *clean says whether the block is still zero. Called with a->lock
   held. */
static void *alloc_small_clean(struct obb_arena *a, size_t size,
                               bool *clean)
{
    struct obb_region *r = a->current;
    void *p = r != NULL ? obb_tree_alloc(&r->tree, size) : NULL;
    if (p == NULL)
        for (r = a->regions; r != NULL; r = r->next)
            if (r != a->current &&
                (p = obb_tree_alloc(&r->tree, size)) != NULL)
                break;
    if (p == NULL) {
        r = add_region(a);
        p = r != NULL ? obb_tree_alloc(&r->tree, size) : NULL;
        if (p == NULL)
            return NULL;
    }
    *clean = mark_used(r, p, block_size(size));
    r->live++;
    a->current = r;
    a->requests++;
    return p;
}

static void *alloc_small(struct obb_arena *a, size_t size)
{
    bool clean;
    return alloc_small_clean(a, size, &clean);
}
#line 543 "docs/05-regions-and-big-blocks.md"
void *obb_arena_malloc(struct obb_arena *a, size_t size)
{
    if (size > OBB_MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    if (size > OBB_SMALL_MAX)
        return obb_large_alloc(size, 0);
    arena_init();
    pthread_mutex_lock(&a->lock);
    void *p = alloc_small(a, size);
    pthread_mutex_unlock(&a->lock);
    if (p == NULL)
        errno = ENOMEM;
    return p;
}
#line 175 "docs/06-the-whole-c-api.md"

void *obb_arena_calloc(struct obb_arena *a, size_t bytes)
{
    if (bytes > OBB_SMALL_MAX)
        return obb_arena_malloc(a, bytes); /* a fresh mapping: zeros */
    arena_init();
    bool clean = false;
    pthread_mutex_lock(&a->lock);
    void *p = alloc_small_clean(a, bytes, &clean);
    pthread_mutex_unlock(&a->lock);
    if (p == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    if (!clean)
        memset(p, 0, bytes);
    return p;
}
#line 581 "docs/05-regions-and-big-blocks.md"
/* Take r out of its arena's list. Called with the arena's lock held. */
static void unlink_region(struct obb_arena *a, struct obb_region *r)
{
    if (r->prev != NULL)
        r->prev->next = r->next;
    else
        a->regions = r->next;
    if (r->next != NULL)
        r->next->prev = r->prev;
    a->region_count--;
}

static void free_large(void *p, const char *caller)
{
    struct obb_large l;
    if (!obb_large_of(p, &l))
        obb_fatal(caller, p, "pointer was not allocated by this malloc");
    if (!obb_large_free(&l))
        obb_fatal(caller, p, "block is not allocated (double free?)");
}

void obb_free(void *p, const char *caller)
{
    struct obb_region *r = obb_region_of(p);
    if (r == NULL) {
        free_large(p, caller);
        return;
    }
    struct obb_arena *a = r->arena;
    bool release = false;
    pthread_mutex_lock(&a->lock);
    enum obb_verdict v = obb_tree_free(&r->tree, p);
    if (v == OBB_VALID) {
        a->frees++;
        if (--r->live == 0 && r != a->current) {
            unlink_region(a, r);
            release = true;
        }
    }
    pthread_mutex_unlock(&a->lock);
    if (v != OBB_VALID)
        obb_fatal(caller, p, obb_verdict_text(v));
    if (release)
        obb_region_destroy(r);
}
#line 631 "docs/05-regions-and-big-blocks.md"
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
    pthread_mutex_lock(&r->arena->lock);
    enum obb_verdict v = obb_tree_find(&r->tree, p, &usable);
    pthread_mutex_unlock(&r->arena->lock);
    if (v != OBB_VALID)
        obb_fatal(caller, p, obb_verdict_text(v));
    return usable;
}
#line 330 "docs/06-the-whole-c-api.md"
/* Resize p where it is, if possible; report p if it is not ours. */
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
    size_t usable = 0;
    bool done = false;
    pthread_mutex_lock(&r->arena->lock);
    enum obb_verdict v = obb_tree_find(&r->tree, p, &usable);
    if (v == OBB_VALID && size <= OBB_SMALL_MAX &&
        obb_tree_resize(&r->tree, p, size)) {
        mark_used(r, p, block_size(size));
        done = true;
    }
    pthread_mutex_unlock(&r->arena->lock);
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
#line 234 "docs/08-threads-come-and-go.md"

static void discard_run(unsigned char *start, size_t bytes, void *context)
{
    obb_os_discard(start, bytes);
    *(bool *)context = true;
}

/* Give back what a holds and does not use: its empty regions are unmapped,
   and in the others every run of free blocks of at least 2^min_order bytes
   is discarded. True if anything went back. Takes a's lock. */
static bool trim_arena(struct obb_arena *a, unsigned min_order)
{
    struct obb_region *empty = NULL;
    bool given = false;
    pthread_mutex_lock(&a->lock);
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
    pthread_mutex_unlock(&a->lock);
    for (struct obb_region *r = empty, *next; r != NULL; r = next) {
        next = r->next;
        obb_region_destroy(r);
        given = true;
    }
    return given;
}
#line 310 "docs/08-threads-come-and-go.md"

static void trim_visit(struct obb_arena *a, unsigned number, bool owned,
                       void *context)
{
    (void)number;
    (void)owned;
    unsigned page_order = obb_log2_ceil(obb_os_page_size());
    if (trim_arena(a, page_order))
        *(bool *)context = true;
}

bool obb_trim(void)
{
    bool given = false;
    obb_arenas_visit(trim_visit, &given);
    return given;
}
#line 829 "docs/04-one-byte-a-block.md"
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
#line 837 "docs/04-one-byte-a-block.md"
    /* A block of at least align bytes is aligned to align. */
    return obb_arena_malloc(a, block);
}
