/* fuzz.h: what the fuzzer's files share.
 *
 * The fuzzer is an ordinary program run under LD_PRELOAD of a chapter's
 * libmalloc.so. Its own bookkeeping never calls malloc: the shadow of
 * live blocks, the threads and the hand-over queue live in static memory,
 * so a broken allocator cannot corrupt the record that judges it.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_THREADS 16
#define MAX_HELD 256                    /* blocks a thread holds at most */
#define HELD_BYTES ((size_t)48 << 20)   /* and bytes, give or take one */
#define FREED_KEPT 64                       /* freed addresses remembered */

/* The functions of the malloc API the fuzzer may call. */
enum api {
    API_MALLOC, API_FREE, API_CALLOC, API_REALLOC, API_REALLOCARRAY,
    API_POSIX_MEMALIGN, API_ALIGNED_ALLOC, API_MEMALIGN, API_VALLOC,
    API_PVALLOC, API_USABLE_SIZE, API_COUNT
};
extern const char *const api_names[API_COUNT];

/* A block the program holds, as the fuzzer remembers it. */
struct block {
    unsigned char *p;
    size_t size;        /* bytes asked for: what realloc must keep */
    size_t usable;      /* bytes painted: malloc_usable_size, or size */
    uint64_t tag;       /* chooses the block's pattern */
    enum api origin;    /* the call that made it, for messages */
};

/* One thread of the fuzzer, with the blocks it holds. */
struct thread {
    unsigned id;
    uint64_t rng;
    unsigned long step;         /* calls made so far */
    bool in_child;              /* after fork: no hand-over, no fork */
    char what[160];             /* the call under way, for messages */
    struct block held[MAX_HELD];
    size_t nheld;
    size_t held_bytes;
    unsigned char *freed[FREED_KEPT];   /* for the misuse mode */
    unsigned long calls[API_COUNT];
    unsigned long refusals;     /* impossible requests refused, as due */
    unsigned long forks, handovers;
};

/* The run's settings, from the command line. */
struct settings {
    uint64_t seed;
    double seconds;
    unsigned long min_steps;    /* calls per thread, however long */
    unsigned threads;
    bool use[API_COUNT];        /* the calls this library has */
    bool fork;
    size_t budget;              /* stop after this many bytes (0: never) */
    unsigned misuse;            /* kinds of misuse to try (0: none) */
    size_t region;              /* misuse: regions are this big, aligned */
    size_t meta[4];             /* misuse: metadata offsets in a region */
    unsigned nmeta;
};
extern struct settings settings;

/* Random numbers: splitmix64, one stream per thread, from the seed. */
static inline uint64_t rnd(struct thread *t)
{
    uint64_t z = (t->rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static inline uint64_t below(struct thread *t, uint64_t n)
{
    return rnd(t) % n;
}

static inline bool chance(struct thread *t, unsigned per_thousand)
{
    return below(t, 1000) < per_thousand;
}

/* fuzz.c: the run. */
void run(struct thread *t, unsigned long steps);
bool time_is_up(void);
bool stopping(const struct thread *t);
void start_clock(double seconds);

/* check.c: patterns, the blocks a thread holds, and failure. */
void doing(struct thread *t, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void fail(struct thread *t, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
void say(const char *format, ...) __attribute__((format(printf, 1, 2)));
void catch_crashes(void);
void set_self(struct thread *t);
struct block accept(struct thread *t, void *p, size_t size, size_t align,
                    enum api origin);
void paint(const struct block *b, size_t from, size_t to);
void verify(struct thread *t, const struct block *b, size_t from,
            size_t to, const char *when);
void hold(struct thread *t, struct block b);
struct block let_go(struct thread *t, size_t i);
void expect_refusal(struct thread *t, void *p, int err, int want);
const char *status_text(int status, char *buf, size_t size);

/* shadow.c: every live block's address range, to catch overlaps. */
void shadow_add(struct thread *t, const struct block *b);
void shadow_remove(const struct block *b);
bool shadow_covers(const void *address);
void shadow_lock(void);
void shadow_unlock(void);
void shadow_after_fork_child(void);

/* ops.c: the calls. */
void step(struct thread *t);
void release_all(struct thread *t);
void drain_queue(struct thread *t);
size_t random_size(struct thread *t, bool *huge);
size_t bytes_allocated(void);

/* misuse.c: calls on bad pointers that must end the program with a
   message. */
enum { MISUSE_DOUBLE = 1, MISUSE_INTERIOR = 2, MISUSE_METADATA = 4 };
void misuse_run(struct thread *t);
extern unsigned long misuse_count[3];
extern unsigned long misuse_calls[API_COUNT];  /* reports, per call */

#endif
