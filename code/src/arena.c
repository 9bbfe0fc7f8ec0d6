#line 541 "docs/03-buddies.md"
/* arena.c: a heap with a lock: allocation, free, and what happens at fork. */
#define _GNU_SOURCE
#line 554 "docs/03-buddies.md"
#include <errno.h>
#include <string.h>
#include "internal.h"
#line 560 "docs/03-buddies.md"
struct obb_arena obb_main_arena = { .lock = PTHREAD_MUTEX_INITIALIZER };
#line 571 "docs/03-buddies.md"
static void fork_prepare(void) { pthread_mutex_lock(&obb_main_arena.lock); }
static void fork_parent(void) { pthread_mutex_unlock(&obb_main_arena.lock); }
static void fork_child(void) { pthread_mutex_unlock(&obb_main_arena.lock); }

/* Register the fork handlers once, before the first allocation takes the lock. */
static void arena_init(void)
{
    static int registered;
    if (__atomic_load_n(&registered, __ATOMIC_ACQUIRE))
        return;
    if (__atomic_exchange_n(&registered, 1, __ATOMIC_ACQ_REL) == 0)
        pthread_atfork(fork_prepare, fork_parent, fork_child);
}
#line 592 "docs/03-buddies.md"
struct obb_arena *obb_arena_choose(void)
{
    return &obb_main_arena;
}
#line 602 "docs/03-buddies.md"
void *obb_arena_malloc(struct obb_arena *a, size_t size)
{
    if (size > OBB_MAX_REQUEST) {
        errno = ENOMEM;
        return NULL;
    }
    arena_init();
    pthread_mutex_lock(&a->lock);
    void *p = NULL;
    if (a->region != NULL || (a->region = obb_region_create(a)) != NULL)
        p = obb_tree_alloc(&a->region->tree, size);
    if (p != NULL)
        a->requests++;
    pthread_mutex_unlock(&a->lock);
    if (p == NULL)
        errno = ENOMEM;
    return p;
}
#line 628 "docs/03-buddies.md"
void obb_free(void *p, const char *caller)
{
    struct obb_region *r = obb_region_of(p);
    if (r == NULL)
        obb_fatal(caller, p, "pointer was not allocated by this malloc");
    struct obb_arena *a = r->arena;
    pthread_mutex_lock(&a->lock);
    enum obb_verdict v = obb_tree_free(&r->tree, p);
    if (v == OBB_VALID)
        a->frees++;
    pthread_mutex_unlock(&a->lock);
    if (v != OBB_VALID)
        obb_fatal(caller, p, obb_verdict_text(v));
}
#line 648 "docs/03-buddies.md"
size_t obb_usable_size(void *p, const char *caller)
{
    struct obb_region *r = obb_region_of(p);
    if (r == NULL)
        obb_fatal(caller, p, "pointer was not allocated by this malloc");
    size_t usable = 0;
    pthread_mutex_lock(&r->arena->lock);
    enum obb_verdict v = obb_tree_find(&r->tree, p, &usable);
    pthread_mutex_unlock(&r->arena->lock);
    if (v != OBB_VALID)
        obb_fatal(caller, p, obb_verdict_text(v));
    return usable;
}
#line 668 "docs/03-buddies.md"
void *obb_arena_realloc(struct obb_arena *a, void *p, size_t size)
{
    size_t have = obb_usable_size(p, "realloc");
    if (size <= have)
        return p;
    void *q = obb_arena_malloc(a, size);
    if (q == NULL)
        return NULL;
    memcpy(q, p, have);
    obb_free(p, "realloc");
    return q;
}
