/* glibc-simple.c: batches of one size, freed in order and in reverse, in the
 * spirit of glibc's bench-malloc-simple.
 *
 * For each size from 16 bytes to 1 KiB (doubling) and each batch length (100,
 * 400 and 1600 blocks) the test allocates a batch, then frees it first to
 * last (FIFO); then allocates it again and frees it last to first (LIFO).
 * That is the plainest thing a program does with malloc, and the fast path of
 * an allocator is all it measures.  With a thread count above one, every
 * thread runs the same loop at once on its own blocks.
 *
 * usage: glibc-simple [repetitions (default 400)] [threads (1)]
 */
#include "common.h"

static const size_t sizes[] = {16, 32, 64, 128, 256, 512, 1024};
static const int lengths[] = {100, 400, 1600};

struct worker {
    long reps;
    uint64_t seed;
    uint64_t sum;
};

static void batch(void **blocks, int len, size_t n, int lifo, struct worker *w)
{
    uint64_t base = rng_next(&w->seed);
    for (int i = 0; i < len; i++) {
        blocks[i] = xmalloc(n);
        uint64_t stamp = base + (uint64_t)i;
        memcpy(blocks[i], &stamp, sizeof stamp);  /* one word, as a program
                                                     would initialise a header */
    }
    for (int k = 0; k < len; k++) {
        int i = lifo ? len - 1 - k : k;
        uint64_t stamp;
        memcpy(&stamp, blocks[i], sizeof stamp);
        if (stamp != base + (uint64_t)i)
            die("block %p lost its stamp", blocks[i]);
        w->sum = mix(w->sum, stamp);
        xfree(blocks[i], n);
    }
}

static void *work(void *arg)
{
    struct worker *w = arg;
    void *blocks[1600];
    for (long r = 0; r < w->reps; r++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
            for (size_t l = 0; l < sizeof lengths / sizeof *lengths; l++) {
                batch(blocks, lengths[l], sizes[s], 0, w);
                batch(blocks, lengths[l], sizes[s], 1, w);
            }
    return NULL;
}

int main(int argc, char **argv)
{
    bench_start();
    long reps = param(argc, argv, 1, "OBB_BENCH_SIZE", 400);
    long nthreads = param(argc, argv, 2, "OBB_BENCH_THREADS", 1);
    struct worker *w = xmalloc(sizeof *w * (size_t)nthreads);
    for (long i = 0; i < nthreads; i++)
        w[i] = (struct worker){.reps = reps, .seed = 0x51e + (uint64_t)i};
    run_workers(work, w, sizeof *w, nthreads);
    uint64_t sum = 0;
    for (long i = 0; i < nthreads; i++)
        sum += w[i].sum;
    xfree(w, sizeof *w * (size_t)nthreads);
    bench_report(sum);
    return 0;
}
