/* mstress.c: mixed sizes, realloc, and blocks that outlive their threads, in
 * the spirit of mimalloc's mstress.
 *
 * The test runs in rounds; each round starts T threads and waits for them.
 * A thread keeps a private array of blocks and, at random, allocates, frees
 * or reallocates them (growing or shrinking, checking that realloc kept the
 * contents).  Sizes are mostly small, with a tail up to 256 KiB.  Besides its
 * private array a thread also works on one slice of a shared "transfer"
 * array; the slices rotate between rounds, so blocks allocated by a thread of
 * one round are freed by a different thread of a later one, long after the
 * thread that allocated them has exited.
 *
 * usage: mstress [operations per thread per round (default 40000)]
 *                [threads (4)] [rounds (10)]
 */
#include "common.h"

#define LOCAL 1000
#define SLICE 500

struct slot {
    unsigned char *p;
    size_t n;
    uint64_t stamp;
};

struct worker {
    long ops;
    int index, round, nthreads;
    uint64_t seed;
    uint64_t sum;
};

static struct slot *transfer;   /* nthreads slices of SLICE slots */

static size_t pick_size(uint64_t *seed)
{
    uint64_t r = rng_below(seed, 100);
    if (r < 80)
        return rng_size(seed, 8, 256);
    if (r < 95)
        return rng_size(seed, 257, 4096);
    if (r < 99)
        return rng_size(seed, 4097, 65536);
    return rng_size(seed, 65537, 262144);
}

static void drop(struct slot *s, uint64_t *sum)
{
    if (s->p == NULL)
        return;
    *sum += check_block(s->p, s->n, s->stamp);
    xfree(s->p, s->n);
    s->p = NULL;
}

static void put(struct slot *s, uint64_t *seed, uint64_t *sum)
{
    drop(s, sum);
    s->n = pick_size(seed);
    s->stamp = rng_next(seed);
    s->p = xmalloc(s->n);
    fill_block(s->p, s->n, s->stamp);
}

/* Grow or shrink a block; the old contents must survive the move. */
static void resize(struct slot *s, uint64_t *seed, uint64_t *sum)
{
    if (s->p == NULL) {
        put(s, seed, sum);
        return;
    }
    size_t n = pick_size(seed);
    size_t keep = n < s->n ? n : s->n;
    s->p = xrealloc(s->p, s->n, n);
    *sum += check_block(s->p, keep, s->stamp);
    if (n > keep)
        memset(s->p + keep, (int)(s->stamp & 0xff), n - keep);
    s->n = n;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct slot *local = xmalloc(sizeof *local * LOCAL);
    memset(local, 0, sizeof *local * LOCAL);
    /* This round's slice was last used by another thread. */
    struct slot *slice = &transfer[((w->index + w->round) % w->nthreads) * SLICE];
    for (long op = 0; op < w->ops; op++) {
        uint64_t r = rng_below(&w->seed, 100);
        if (r < 10)
            put(&slice[rng_below(&w->seed, SLICE)], &w->seed, &w->sum);
        else if (r < 50)
            put(&local[rng_below(&w->seed, LOCAL)], &w->seed, &w->sum);
        else if (r < 85)
            drop(&local[rng_below(&w->seed, LOCAL)], &w->sum);
        else
            resize(&local[rng_below(&w->seed, LOCAL)], &w->seed, &w->sum);
    }
    for (int i = 0; i < LOCAL; i++)
        drop(&local[i], &w->sum);
    xfree(local, sizeof *local * LOCAL);
    return NULL;
}

int main(int argc, char **argv)
{
    bench_start();
    long ops = param(argc, argv, 1, "OBB_BENCH_SIZE", 40000);
    long nthreads = param(argc, argv, 2, "OBB_BENCH_THREADS", 4);
    long rounds = param(argc, argv, 3, "OBB_BENCH_ROUNDS", 10);

    size_t tbytes = sizeof *transfer * SLICE * (size_t)nthreads;
    transfer = xmalloc(tbytes);
    memset(transfer, 0, tbytes);
    struct worker *w = xmalloc(sizeof *w * (size_t)nthreads);
    uint64_t sum = 0;
    for (long round = 0; round < rounds; round++) {
        for (long i = 0; i < nthreads; i++) {
            w[i] = (struct worker){
                .ops = ops, .index = (int)i, .round = (int)round,
                .nthreads = (int)nthreads,
                .seed = 0x5e55 + (uint64_t)(round * 1000 + i),
            };
        }
        run_workers(work, w, sizeof *w, nthreads);
        for (long i = 0; i < nthreads; i++)
            sum += w[i].sum;
    }
    for (size_t i = 0; i < SLICE * (size_t)nthreads; i++)
        drop(&transfer[i], &sum);
    xfree(transfer, tbytes);
    xfree(w, sizeof *w * (size_t)nthreads);
    bench_report(sum);
    return 0;
}
