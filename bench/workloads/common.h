/* common.h: what every benchmark workload shares.
 *
 * A workload is a small C program that does a fixed amount of allocation work,
 * decided entirely by its seed and its size parameter, and prints a checksum of
 * what it read back out of its blocks.  The checksum never depends on addresses
 * or on thread scheduling, so every allocator must print the same one: an
 * allocator that hands out overlapping blocks, or loses the contents on
 * realloc, cannot look fast.
 *
 * Output (stdout):
 *   checksum <16 hex digits>
 *   requested-peak <bytes>        only when OBB_BENCH_ACCOUNT=1
 *
 * The byte accounting counts the peak number of bytes the program had asked
 * for and not yet freed.  It costs an atomic operation per call, so the runner
 * switches it on for one extra, untimed run only.
 */
#ifndef OBB_BENCH_COMMON_H
#define OBB_BENCH_COMMON_H

#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ errors */

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("workload: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

/* ------------------------------------------------------------ random numbers */

/* splitmix64: tiny, fast, and good enough to pick sizes and slots. */
static inline uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rng_below(uint64_t *state, uint64_t n)
{
    return rng_next(state) % n;
}

/* A size in [lo, hi], drawn so that small sizes are more common than large
 * ones, as they are in real programs: pick a power-of-two band first, then a
 * size inside it. */
static inline size_t rng_size(uint64_t *state, size_t lo, size_t hi)
{
    size_t top = lo;
    int bands = 0;
    while (top < hi) {
        top *= 2;
        bands++;
    }
    size_t band_hi = lo << rng_below(state, (uint64_t)bands + 1);
    if (band_hi > hi)
        band_hi = hi;
    size_t band_lo = band_hi / 2 < lo ? lo : band_hi / 2;
    return band_lo + rng_below(state, band_hi - band_lo + 1);
}

/* ---------------------------------------------------------------- checksums */

static inline uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

/* Fill a block: every byte gets the stamp's low byte, the first eight bytes
 * get the whole stamp.  check_block() reads back both ends, so a block that
 * overlaps another, or that realloc failed to copy, is caught. */
static inline void fill_block(void *p, size_t n, uint64_t stamp)
{
    memset(p, (int)(stamp & 0xff), n);
    if (n >= sizeof stamp)
        memcpy(p, &stamp, sizeof stamp);
}

static inline uint64_t check_block(const void *p, size_t n, uint64_t stamp)
{
    const unsigned char *b = p;
    if (n >= sizeof stamp) {
        uint64_t first;
        memcpy(&first, b, sizeof first);
        if (first != stamp)
            die("block %p of %zu bytes lost its stamp", p, n);
    }
    if (n > 0 && n != sizeof stamp && b[n - 1] != (unsigned char)(stamp & 0xff))
        die("block %p of %zu bytes lost its last byte", p, n);
    return mix(stamp, n);
}

/* -------------------------------------------------------------- accounting */

static int acct_on;
static _Atomic long long acct_live, acct_peak;

static inline void acct(long long delta)
{
    if (!acct_on)
        return;
    long long now = atomic_fetch_add(&acct_live, delta) + delta;
    long long peak = atomic_load(&acct_peak);
    while (now > peak && !atomic_compare_exchange_weak(&acct_peak, &peak, now))
        ;
}

static inline void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL)
        die("out of memory allocating %zu bytes", n);
    acct((long long)n);
    return p;
}

static inline void *xrealloc(void *p, size_t old, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL)
        die("out of memory reallocating to %zu bytes", n);
    acct((long long)n - (long long)old);
    return q;
}

static inline void xfree(void *p, size_t n)
{
    if (p != NULL)
        acct(-(long long)n);
    free(p);
}

/* ------------------------------------------------------------- parameters */

/* The size parameter: argv[1], else $OBB_BENCH_SIZE, else the default.  Each
 * workload says what its unit is. */
static inline long param(int argc, char **argv, int index, const char *env, long dflt)
{
    const char *s = argc > index ? argv[index] : getenv(env);
    if (s == NULL || *s == '\0')
        return dflt;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || v <= 0)
        die("bad parameter '%s'", s);
    return v;
}

static inline void bench_start(void)
{
    const char *a = getenv("OBB_BENCH_ACCOUNT");
    acct_on = a != NULL && strcmp(a, "1") == 0;
}

static inline void bench_report(uint64_t checksum)
{
    printf("checksum %016llx\n", (unsigned long long)checksum);
    if (acct_on)
        printf("requested-peak %lld\n", (long long)atomic_load(&acct_peak));
}

/* ------------------------------------------------------------------ threads */

static inline void spawn(pthread_t *t, void *(*fn)(void *), void *arg)
{
    if (pthread_create(t, NULL, fn, arg) != 0)
        die("pthread_create failed");
}

static inline void join(pthread_t t)
{
    if (pthread_join(t, NULL) != 0)
        die("pthread_join failed");
}

/* Runs fn once per worker, each in a thread of its own, and waits for them all.
   The workers are n elements of an array, each size bytes. */
static inline void run_workers(void *(*fn)(void *), void *workers, size_t size, long n)
{
    pthread_t *t = xmalloc(sizeof *t * (size_t)n);
    for (long i = 0; i < n; i++)
        spawn(&t[i], fn, (char *)workers + size * (size_t)i);
    for (long i = 0; i < n; i++)
        join(t[i]);
    xfree(t, sizeof *t * (size_t)n);
}

#endif
