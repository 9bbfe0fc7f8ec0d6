/* ops.c: the calls the fuzzer makes, and what each must return.
 *
 * Each operation draws its arguments, names the call (so a failure or a
 * crash can say what was under way), makes it and checks the result: a
 * live block is aligned, as big as malloc_usable_size says, overlaps no
 * other and is painted with its pattern; an impossible request is
 * refused with the right error; a resized block kept its first bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "fuzz.h"

#define MIN_ALIGN 16            /* what malloc owes every block on x86-64 */
#define QUEUE 128               /* blocks in transit between threads */

/* ------------------------------------------------------------------ */
/* Arguments                                                          */

/* Beyond the 47 bits of user address space: no malloc can succeed. */
static size_t huge_size(struct thread *t)
{
    if (chance(t, 250))
        return SIZE_MAX - below(t, 64);
    return ((size_t)1 << (47 + below(t, 17))) + below(t, 4096);
}

/* Mostly small, as programs ask; often just around a power of two,
   where block sizes change; sometimes large; rarely impossible (then
   *huge is set: the call must fail with ENOMEM). */
size_t random_size(struct thread *t, bool *huge)
{
    unsigned r = (unsigned)below(t, 1000);
    *huge = r < 3;
    if (*huge)
        return huge_size(t);
    if (r < 25)
        return 0;
    unsigned bits = r < 600 ? 8 : r < 880 ? 12 : r < 975 ? 16
                  : r < 997 ? 20 : 23;
    if (chance(t, 300)) {
        size_t power = (size_t)1 << below(t, bits + 1);
        return power > 16 ? power - 16 + below(t, 33) : below(t, 33);
    }
    return below(t, (size_t)1 << bits);
}

/* Mostly up to a page; sometimes up to 16 MiB, past a region's 4 MiB;
   rarely beyond the address space (*huge: the call fails, ENOMEM). */
static size_t random_alignment(struct thread *t, bool *huge)
{
    unsigned r = (unsigned)below(t, 1000);
    *huge = r < 3;
    if (*huge)
        return (size_t)1 << (47 + below(t, 16));
    return (size_t)1 << (r < 800 ? below(t, 13) : 13 + below(t, 12));
}

static size_t at_least(size_t align, size_t floor)
{
    return align > floor ? align : floor;
}

/* ------------------------------------------------------------------ */
/* Results                                                            */

/* Counted for the byte budget (-B), for a library that never reuses. */
static size_t bytes_made;

size_t bytes_allocated(void)
{
    return __atomic_load_n(&bytes_made, __ATOMIC_RELAXED);
}

static void keep(struct thread *t, struct block b)
{
    paint(&b, 0, b.usable);
    hold(t, b);
    __atomic_fetch_add(&bytes_made, b.usable, __ATOMIC_RELAXED);
}

static void remember_freed(struct thread *t, unsigned char *p)
{
    t->freed[t->step % FREED_KEPT] = p;
}

static void check_zero(struct thread *t, const struct block *b)
{
    size_t i = 0;
    for (uint64_t w; i + 8 <= b->size; i += 8)
        if (memcpy(&w, b->p + i, 8), w != 0)
            break;
    for (; i < b->size; i++)
        if (b->p[i] != 0)
            fail(t, "byte %zu of the block at %p is 0x%02x, not 0", i,
                 (void *)b->p, b->p[i]);
}

/* ------------------------------------------------------------------ */
/* Allocation                                                         */

static void op_malloc(struct thread *t)
{
    bool huge;
    size_t n = random_size(t, &huge);
    doing(t, "malloc(%zu)", n);
    t->calls[API_MALLOC]++;
    errno = 0;
    void *p = malloc(n);
    if (huge)
        expect_refusal(t, p, errno, ENOMEM);
    else
        keep(t, accept(t, p, n, MIN_ALIGN, API_MALLOC));
}

static void op_calloc(struct thread *t)
{
    bool huge;
    size_t count = 1 + below(t, 16), size = random_size(t, &huge);
    if (huge)
        count = 1;
    else
        size /= count;
    if (chance(t, 5)) {         /* count * size wraps around */
        huge = true;
        count = 2 + below(t, 1000);
        size = SIZE_MAX / count + 1 + below(t, 100);
    }
    doing(t, "calloc(%zu, %zu)", count, size);
    t->calls[API_CALLOC]++;
    errno = 0;
    void *p = calloc(count, size);
    if (huge) {
        expect_refusal(t, p, errno, ENOMEM);
        return;
    }
    struct block b = accept(t, p, count * size, MIN_ALIGN, API_CALLOC);
    check_zero(t, &b);
    keep(t, b);
}

/* posix_memalign's invalid alignments: not a power of two, or not a
   multiple of sizeof(void *). */
static const size_t bad_alignments[] = { 0, 1, 2, 4, 12, 24, 48, 4095 };

static void op_posix_memalign(struct thread *t)
{
    bool huge_size, huge_align;
    size_t n = random_size(t, &huge_size);
    size_t align = random_alignment(t, &huge_align);
    align = at_least(align, sizeof(void *));
    bool invalid = chance(t, 20);
    if (invalid)
        align = bad_alignments[below(t, sizeof bad_alignments
                                        / sizeof bad_alignments[0])];
    doing(t, "posix_memalign(&p, %zu, %zu)", align, n);
    t->calls[API_POSIX_MEMALIGN]++;
    static char untouched;
    void *p = &untouched;
    int err = posix_memalign(&p, align, n);
    /* On failure POSIX lets p be left alone or set to NULL. */
    void *got = p == &untouched ? NULL : p;
    if (invalid)
        expect_refusal(t, got, err, EINVAL);
    else if (huge_size || huge_align)
        expect_refusal(t, got, err, ENOMEM);
    else if (err != 0)
        fail(t, "returned %d (%s)", err, strerror(err));
    else
        keep(t, accept(t, p, n, at_least(align, MIN_ALIGN),
                       API_POSIX_MEMALIGN));
}

static void op_aligned_alloc(struct thread *t)
{
    bool huge_size, huge_align;
    size_t n = random_size(t, &huge_size);
    size_t align = random_alignment(t, &huge_align);
    doing(t, "aligned_alloc(%zu, %zu)", align, n);
    t->calls[API_ALIGNED_ALLOC]++;
    errno = 0;
    void *p = aligned_alloc(align, n);
    if (huge_size || huge_align)
        expect_refusal(t, p, errno, ENOMEM);
    else
        keep(t, accept(t, p, n, at_least(align, MIN_ALIGN),
                       API_ALIGNED_ALLOC));
}

/* memalign also takes an alignment that is not a power of two, and
   rounds it up to one, as glibc's does. */
static void op_memalign(struct thread *t)
{
    bool huge_size, huge_align;
    size_t n = random_size(t, &huge_size);
    size_t align = random_alignment(t, &huge_align), owed = align;
    if (!huge_align && align > 1 && chance(t, 200)) {
        owed = align * 2;
        align += 1 + below(t, align - 1);
    }
    doing(t, "memalign(%zu, %zu)", align, n);
    t->calls[API_MEMALIGN]++;
    errno = 0;
    void *p = memalign(align, n);
    if (huge_size || huge_align)
        expect_refusal(t, p, errno, ENOMEM);
    else
        keep(t, accept(t, p, n, at_least(owed, MIN_ALIGN), API_MEMALIGN));
}

/* valloc and pvalloc: page-aligned; pvalloc rounds the size up to
   whole pages, and the program may use them all. */
static void page_aligned(struct thread *t, enum api api)
{
    bool huge;
    size_t n = random_size(t, &huge), page = (size_t)getpagesize();
    doing(t, "%s(%zu)", api_names[api], n);
    t->calls[api]++;
    errno = 0;
    void *p = api == API_VALLOC ? valloc(n) : pvalloc(n);
    if (huge)
        expect_refusal(t, p, errno, ENOMEM);
    else if (api == API_VALLOC)
        keep(t, accept(t, p, n, page, api));
    else
        keep(t, accept(t, p, (n + page - 1) / page * page, page, api));
}

static void op_valloc(struct thread *t)
{
    page_aligned(t, API_VALLOC);
}

static void op_pvalloc(struct thread *t)
{
    page_aligned(t, API_PVALLOC);
}

/* ------------------------------------------------------------------ */
/* Resizing                                                           */

static void name_resize(struct thread *t, enum api api, void *p,
                        size_t count, size_t size)
{
    if (api == API_REALLOC)
        doing(t, "realloc(%p, %zu)", p, size);
    else
        doing(t, "reallocarray(%p, %zu, %zu)", p, count, size);
}

/* realloc and reallocarray: the block keeps its first bytes wherever it
   ends up; when the request is refused it stays where it was, intact. */
static void resize(struct thread *t, enum api api, size_t count,
                   size_t size, bool huge)
{
    size_t n = count * size;
    if (t->nheld == 0 || chance(t, 30)) {
        name_resize(t, api, NULL, count, size);
        t->calls[api]++;
        errno = 0;
        void *p = api == API_REALLOC ? realloc(NULL, n)
                                     : reallocarray(NULL, count, size);
        if (huge)
            expect_refusal(t, p, errno, ENOMEM);
        else
            keep(t, accept(t, p, n, MIN_ALIGN, api));
        return;
    }
    size_t i = below(t, t->nheld);
    struct block old = t->held[i];
    name_resize(t, api, old.p, count, size);
    verify(t, &old, 0, old.usable, "before resizing");
    shadow_remove(&old);
    t->calls[api]++;
    errno = 0;
    void *p = api == API_REALLOC ? realloc(old.p, n)
                                 : reallocarray(old.p, count, size);
    if (huge) {
        expect_refusal(t, p, errno, ENOMEM);
        shadow_add(t, &old);
        verify(t, &old, 0, old.usable, "after a refused resize");
        return;
    }
    let_go(t, i);
    if (p != old.p)
        remember_freed(t, old.p);
    if (p == NULL && n == 0)
        return;                 /* freed, as glibc's realloc does */
    struct block b = accept(t, p, n, MIN_ALIGN, api);
    b.tag = old.tag;
    size_t kept = old.size < n ? old.size : n;
    verify(t, &b, 0, kept, "after resizing");
    paint(&b, kept, b.usable);
    hold(t, b);
    __atomic_fetch_add(&bytes_made, b.usable, __ATOMIC_RELAXED);
}

static void op_realloc(struct thread *t)
{
    bool huge;
    size_t n = random_size(t, &huge);
    resize(t, API_REALLOC, 1, n, huge);
}

static void op_reallocarray(struct thread *t)
{
    bool huge;
    size_t count = 1 + below(t, 8), size = random_size(t, &huge);
    if (huge)
        count = 1;
    else
        size /= count;
    if (chance(t, 20)) {        /* count * size wraps around */
        huge = true;
        count = 2 + below(t, 1000);
        size = SIZE_MAX / count + 1 + below(t, 100);
    }
    resize(t, API_REALLOCARRAY, count, size, huge);
}

/* ------------------------------------------------------------------ */
/* Looking at held blocks                                             */

/* The usable size of a block does not change while it lives, and all
   of it is the program's: it was painted in full when the block came. */
static void op_usable_size(struct thread *t)
{
    struct block *b = &t->held[below(t, t->nheld)];
    doing(t, "malloc_usable_size(%p)", (void *)b->p);
    t->calls[API_USABLE_SIZE]++;
    size_t n = malloc_usable_size(b->p);
    if (n != b->usable)
        fail(t, "is %zu; it was %zu when the block was made", n, b->usable);
    verify(t, b, 0, b->usable, "checking a block");
}

static void op_check(struct thread *t)
{
    struct block *b = &t->held[below(t, t->nheld)];
    doing(t, "checking the block at %p", (void *)b->p);
    verify(t, b, 0, b->usable, "checking a block");
}

/* ------------------------------------------------------------------ */
/* Freeing, and handing blocks to other threads                       */

static void op_free(struct thread *t)
{
    if (t->nheld == 0) {
        doing(t, "free(NULL)");
        t->calls[API_FREE]++;
        free(NULL);
        return;
    }
    struct block b = let_go(t, below(t, t->nheld));
    doing(t, "free(%p)", (void *)b.p);
    verify(t, &b, 0, b.usable, "before free");
    shadow_remove(&b);
    t->calls[API_FREE]++;
    errno = EDOM;       /* free leaves errno alone (POSIX.1-2024) */
    free(b.p);
    if (errno != EDOM)
        fail(t, "changed errno to %d (%s)", errno, strerror(errno));
    remember_freed(t, b.p);
}

/* Blocks in transit: one thread puts, another takes and, later, frees
   or resizes a block it did not allocate. */
static struct {
    pthread_mutex_t lock;
    struct block items[QUEUE];
    size_t first, count;
} queue = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void op_give(struct thread *t)
{
    size_t i = below(t, t->nheld);
    doing(t, "handing over the block at %p", (void *)t->held[i].p);
    pthread_mutex_lock(&queue.lock);
    bool room = queue.count < QUEUE;
    if (room)
        queue.items[(queue.first + queue.count++) % QUEUE] = t->held[i];
    pthread_mutex_unlock(&queue.lock);
    if (!room) {
        op_free(t);
        return;
    }
    let_go(t, i);
    t->handovers++;
}

static bool queue_take(struct block *b)
{
    pthread_mutex_lock(&queue.lock);
    bool got = queue.count > 0;
    if (got) {
        *b = queue.items[queue.first];
        queue.first = (queue.first + 1) % QUEUE;
        queue.count--;
    }
    pthread_mutex_unlock(&queue.lock);
    return got;
}

static void op_take(struct thread *t)
{
    struct block b;
    if (!queue_take(&b))
        return;
    doing(t, "taking over the block at %p", (void *)b.p);
    verify(t, &b, 0, b.usable, "after the hand-over");
    hold(t, b);
}

/* Free or hand over: what keeps memory bounded. */
static void op_release(struct thread *t)
{
    if (settings.threads > 1 && !t->in_child && t->nheld > 0
        && chance(t, 200))
        op_give(t);
    else
        op_free(t);
}

void release_all(struct thread *t)
{
    while (t->nheld > 0)
        op_free(t);
}

void drain_queue(struct thread *t)
{
    struct block b;
    while (queue_take(&b)) {
        doing(t, "taking over the block at %p", (void *)b.p);
        verify(t, &b, 0, b.usable, "after the hand-over");
        hold(t, b);
        op_free(t);
    }
}

/* ------------------------------------------------------------------ */
/* fork                                                               */

static int forking;             /* one fork at a time */
static struct timespec last_fork;

/* A fork copies the whole heap: at most one every 50 ms. */
static bool fork_is_due(void)
{
    if (__atomic_exchange_n(&forking, 1, __ATOMIC_ACQUIRE))
        return false;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - last_fork.tv_sec) * 1000
            + (now.tv_nsec - last_fork.tv_nsec) / 1000000;
    if (ms >= 50) {
        last_fork = now;
        return true;
    }
    __atomic_store_n(&forking, 0, __ATOMIC_RELEASE);
    return false;
}

static struct thread helper;    /* a new thread in the child */

static void *child_thread(void *arg)
{
    struct thread *t = arg;
    set_self(t);
    run(t, 100);
    release_all(t);
    return NULL;
}

/* The child of a fork has only the forking thread. Its blocks must be
   intact, and the allocator must serve it and a new thread, though
   other threads were busy allocating at the fork. */
static _Noreturn void in_child(struct thread *t)
{
    alarm(20);                  /* a lock the fork left held: SIGALRM */
    t->in_child = true;
    for (size_t i = 0; i < t->nheld; i++)
        verify(t, &t->held[i], 0, t->held[i].usable, "after fork");
    start_clock(5);
    run(t, 100);
    helper = (struct thread){ .id = MAX_THREADS + t->id, .rng = rnd(t),
                              .in_child = true };
    pthread_t thread;
    if (pthread_create(&thread, NULL, child_thread, &helper) != 0)
        fail(t, "pthread_create failed in the child");
    pthread_join(thread, NULL);
    release_all(t);
    _exit(0);
}

static void op_fork(struct thread *t)
{
    if (!fork_is_due())
        return;
    doing(t, "fork()");
    shadow_lock();              /* the child gets the shadow whole */
    pid_t pid = fork();
    if (pid == 0) {
        shadow_after_fork_child();
        in_child(t);
    }
    shadow_unlock();
    if (pid < 0)
        fail(t, "failed: %s", strerror(errno));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            fail(t, "waitpid: %s", strerror(errno));
    char text[64];
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail(t, "the child %s", status_text(status, text, sizeof text));
    t->forks++;
    __atomic_store_n(&forking, 0, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------------ */
/* Choosing                                                           */

struct op {
    void (*run)(struct thread *t);
    enum api needs;             /* API_COUNT: needs no call of its own */
    unsigned weight;            /* how often, relative to the others */
    bool on_a_block;            /* works on a held block */
};

static const struct op ops[] = {
    { op_malloc, API_MALLOC, 200, false },
    { op_calloc, API_CALLOC, 60, false },
    { op_realloc, API_REALLOC, 120, false },
    { op_reallocarray, API_REALLOCARRAY, 40, false },
    { op_posix_memalign, API_POSIX_MEMALIGN, 40, false },
    { op_aligned_alloc, API_ALIGNED_ALLOC, 40, false },
    { op_memalign, API_MEMALIGN, 30, false },
    { op_valloc, API_VALLOC, 10, false },
    { op_pvalloc, API_PVALLOC, 10, false },
    { op_usable_size, API_USABLE_SIZE, 40, true },
    { op_check, API_COUNT, 30, true },
    { op_take, API_COUNT, 40, false },
    { op_fork, API_COUNT, 4, false },
};

static bool allowed(const struct thread *t, const struct op *op)
{
    if (op->run == op_take)
        return settings.threads > 1 && !t->in_child;
    if (op->run == op_fork)
        return settings.fork && !t->in_child;
    return op->needs == API_COUNT || settings.use[op->needs];
}

static const struct op *pick(struct thread *t)
{
    size_t count = sizeof ops / sizeof ops[0];
    unsigned total = 0;
    for (size_t i = 0; i < count; i++)
        total += allowed(t, &ops[i]) ? ops[i].weight : 0;
    unsigned r = (unsigned)below(t, total);
    for (size_t i = 0;; i++)
        if (allowed(t, &ops[i])) {
            if (r < ops[i].weight)
                return &ops[i];
            r -= ops[i].weight;
        }
}

/* One call. A thread holding n blocks releases one with probability
   n / MAX_HELD, so it holds about a hundred and bounded memory. */
void step(struct thread *t)
{
    bool full = t->nheld == MAX_HELD || t->held_bytes > HELD_BYTES;
    if (full || below(t, MAX_HELD) < t->nheld) {
        op_release(t);
        return;
    }
    const struct op *op = pick(t);
    if (op->on_a_block && t->nheld == 0)
        op = &ops[0];
    op->run(t);
}
