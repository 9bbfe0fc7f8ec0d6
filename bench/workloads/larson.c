/* larson.c: a server simulation in the spirit of Larson and Krishnan's test.
 *
 * Each of T "lanes" is an array of slots holding blocks of random small sizes
 * (8 to 1000 bytes).  A thread owns one lane: for a number of rounds it picks
 * a random slot, frees the block there and puts a freshly allocated one in its
 * place.  When its rounds are done it starts a new thread, hands it the lane,
 * and exits.  The successor frees blocks its predecessor allocated, so most
 * frees after the first generation are frees of another thread's memory, and
 * threads keep coming and going, as in a server that serves each connection on
 * a short-lived thread.
 *
 * usage: larson [rounds per thread (default 20000)] [lanes (4)] [generations (8)]
 */
#include "common.h"

#define SLOTS 1000

struct slot {
    unsigned char *p;
    size_t n;
    uint64_t stamp;
};

struct lane {
    struct slot slots[SLOTS];
    uint64_t seed;
    uint64_t sum;
    int generation;
};

static long rounds, generations;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static long lanes_done;

static void refill(struct slot *s, uint64_t *seed)
{
    s->n = rng_size(seed, 8, 1000);
    s->stamp = rng_next(seed);
    s->p = xmalloc(s->n);
    fill_block(s->p, s->n, s->stamp);
}

static void *serve(void *arg)
{
    struct lane *lane = arg;
    pthread_detach(pthread_self());
    for (long r = 0; r < rounds; r++) {
        struct slot *s = &lane->slots[rng_below(&lane->seed, SLOTS)];
        lane->sum += check_block(s->p, s->n, s->stamp);
        xfree(s->p, s->n);
        refill(s, &lane->seed);
    }
    if (++lane->generation < generations) {
        pthread_t next;
        spawn(&next, serve, lane);      /* the lane moves to a new thread */
        return NULL;
    }
    pthread_mutex_lock(&done_lock);
    lanes_done++;
    pthread_cond_signal(&done_cond);
    pthread_mutex_unlock(&done_lock);
    return NULL;
}

int main(int argc, char **argv)
{
    bench_start();
    rounds = param(argc, argv, 1, "OBB_BENCH_SIZE", 20000);
    long nlanes = param(argc, argv, 2, "OBB_BENCH_THREADS", 4);
    generations = param(argc, argv, 3, "OBB_BENCH_GENERATIONS", 8);

    /* The main thread allocates every first block, so even the first
     * generation frees memory it did not allocate. */
    struct lane *lanes = xmalloc(sizeof *lanes * (size_t)nlanes);
    for (long i = 0; i < nlanes; i++) {
        lanes[i].seed = 0x1a5500 + (uint64_t)i;
        lanes[i].sum = 0;
        lanes[i].generation = 0;
        for (int s = 0; s < SLOTS; s++)
            refill(&lanes[i].slots[s], &lanes[i].seed);
    }
    for (long i = 0; i < nlanes; i++) {
        pthread_t t;
        spawn(&t, serve, &lanes[i]);
    }
    pthread_mutex_lock(&done_lock);
    while (lanes_done < nlanes)
        pthread_cond_wait(&done_cond, &done_lock);
    pthread_mutex_unlock(&done_lock);

    uint64_t sum = 0;
    for (long i = 0; i < nlanes; i++) {
        for (int s = 0; s < SLOTS; s++) {
            struct slot *sl = &lanes[i].slots[s];
            lanes[i].sum += check_block(sl->p, sl->n, sl->stamp);
            xfree(sl->p, sl->n);
        }
        sum += lanes[i].sum;
    }
    xfree(lanes, sizeof *lanes * (size_t)nlanes);
    bench_report(sum);
    return 0;
}
