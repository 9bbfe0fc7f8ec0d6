/* xmalloc.c: producers and consumers, in the spirit of Lever and Boreham's
 * xmalloc test.
 *
 * P pairs of threads.  In each pair the producer allocates blocks of random
 * small sizes (16 to 512 bytes), fills them and passes them in batches to its
 * consumer, which checks and frees them.  No thread ever frees a block it
 * allocated: every free is a remote free, the case a per-thread allocator must
 * send back to the owner somehow.  The queue between the two is bounded, so
 * the memory in flight stays small and the test measures the hand-back, not
 * the growth of the heap.
 *
 * usage: xmalloc [blocks per producer (default 400000)] [pairs (2)]
 */
#include "common.h"

#define BATCH 256
#define QUEUE 8                 /* batches in flight per pair */

struct batch {
    unsigned char *block[BATCH];
};

struct pair {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct batch ring[QUEUE];
    long head, tail;            /* batches produced, batches consumed */
    long blocks;
    uint64_t seed;
    uint64_t sum;               /* the consumer's checksum */
    int index;
};

/* A block carries its own size and stamp so the consumer can check it. */
static void make_block(unsigned char **slot, uint64_t *seed)
{
    size_t n = rng_size(seed, 24, 512);
    uint64_t stamp = rng_next(seed);
    unsigned char *p = xmalloc(n);
    fill_block(p, n, stamp);
    memcpy(p + 8, &n, sizeof n);  /* 24 <= n: the size fits after the stamp */
    *slot = p;
}

static uint64_t eat_block(unsigned char *p)
{
    uint64_t stamp;
    size_t n;
    memcpy(&stamp, p, sizeof stamp);
    memcpy(&n, p + 8, sizeof n);
    if (n < 24 || n > 512)
        die("block %p has a corrupt size %zu", (void *)p, n);
    uint64_t digest = check_block(p, n, stamp);
    xfree(p, n);
    return digest;
}

static void *produce(void *arg)
{
    struct pair *q = arg;
    long batches = q->blocks / BATCH;
    for (long b = 0; b < batches; b++) {
        struct batch local;
        for (int i = 0; i < BATCH; i++)
            make_block(&local.block[i], &q->seed);
        pthread_mutex_lock(&q->lock);
        while (q->head - q->tail == QUEUE)
            pthread_cond_wait(&q->changed, &q->lock);
        q->ring[q->head % QUEUE] = local;
        q->head++;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
    }
    return NULL;
}

static void *consume(void *arg)
{
    struct pair *q = arg;
    long batches = q->blocks / BATCH;
    for (long b = 0; b < batches; b++) {
        pthread_mutex_lock(&q->lock);
        while (q->head == q->tail)
            pthread_cond_wait(&q->changed, &q->lock);
        struct batch local = q->ring[q->tail % QUEUE];
        q->tail++;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
        for (int i = 0; i < BATCH; i++)
            q->sum += eat_block(local.block[i]);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    bench_start();
    long blocks = param(argc, argv, 1, "OBB_BENCH_SIZE", 400000);
    long npairs = param(argc, argv, 2, "OBB_BENCH_THREADS", 2);
    if (blocks < BATCH)
        blocks = BATCH;

    struct pair *pairs = xmalloc(sizeof *pairs * (size_t)npairs);
    pthread_t *threads = xmalloc(sizeof *threads * 2 * (size_t)npairs);
    for (long i = 0; i < npairs; i++) {
        struct pair *q = &pairs[i];
        pthread_mutex_init(&q->lock, NULL);
        pthread_cond_init(&q->changed, NULL);
        q->head = q->tail = 0;
        q->blocks = blocks;
        q->seed = 0x7a110c + (uint64_t)i;
        q->sum = 0;
        q->index = (int)i;
        spawn(&threads[2 * i], produce, q);
        spawn(&threads[2 * i + 1], consume, q);
    }
    uint64_t sum = 0;
    for (long i = 0; i < npairs; i++) {
        join(threads[2 * i]);
        join(threads[2 * i + 1]);
        sum += pairs[i].sum;
    }
    xfree(threads, sizeof *threads * 2 * (size_t)npairs);
    xfree(pairs, sizeof *pairs * (size_t)npairs);
    bench_report(sum);
    return 0;
}
