/* alloc-test.c: a working set that keeps changing, in the spirit of the
 * alloc-test benchmark.
 *
 * Each thread keeps its own working set of slots, all filled at the start.
 * Then, many times over, it picks a random slot, checks and frees the block
 * there and allocates a new one.  Sizes go up to 1 KiB and are mostly small.
 * Nothing crosses threads: with two threads the test shows whether the
 * allocator lets them work without waiting for one another.
 *
 * usage: alloc-test [operations per thread (default 2000000)] [threads (1)]
 */
#include "common.h"

#define SLOTS 8192

struct slot {
    unsigned char *p;
    size_t n;
    uint64_t stamp;
};

struct worker {
    long ops;
    uint64_t seed;
    uint64_t sum;
};

static void put(struct slot *s, uint64_t *seed)
{
    s->n = rng_size(seed, 8, 1024);
    s->stamp = rng_next(seed);
    s->p = xmalloc(s->n);
    fill_block(s->p, s->n, s->stamp);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct slot *slots = xmalloc(sizeof *slots * SLOTS);
    for (int i = 0; i < SLOTS; i++)
        put(&slots[i], &w->seed);
    for (long op = 0; op < w->ops; op++) {
        struct slot *s = &slots[rng_below(&w->seed, SLOTS)];
        w->sum += check_block(s->p, s->n, s->stamp);
        xfree(s->p, s->n);
        put(s, &w->seed);
    }
    for (int i = 0; i < SLOTS; i++) {
        w->sum += check_block(slots[i].p, slots[i].n, slots[i].stamp);
        xfree(slots[i].p, slots[i].n);
    }
    xfree(slots, sizeof *slots * SLOTS);
    return NULL;
}

int main(int argc, char **argv)
{
    bench_start();
    long ops = param(argc, argv, 1, "OBB_BENCH_SIZE", 2000000);
    long nthreads = param(argc, argv, 2, "OBB_BENCH_THREADS", 1);
    struct worker *w = xmalloc(sizeof *w * (size_t)nthreads);
    for (long i = 0; i < nthreads; i++)
        w[i] = (struct worker){.ops = ops, .seed = 0xa110c + (uint64_t)i};
    run_workers(work, w, sizeof *w, nthreads);
    uint64_t sum = 0;
    for (long i = 0; i < nthreads; i++)
        sum += w[i].sum;
    xfree(w, sizeof *w * (size_t)nthreads);
    bench_report(sum);
    return 0;
}
