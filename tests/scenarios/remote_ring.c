/* remote_ring.c: six threads in a ring. Each allocates blocks, fills them
 * with a pattern of its own and passes them to the next thread, which checks
 * every byte and frees them (or first moves them with realloc and checks
 * again), while every thread keeps allocating and freeing blocks of its own.
 * Every block passed on is freed by a thread that does not own its arena.
 * Threads finish at different times, so some frees land in arenas whose
 * owner has gone. At the end malloc_stats must report, summed over the
 * arenas, as many blocks taken back as other threads pushed, and at least
 * one push per block passed on.
 * since: the-owner-takes-no-lock
 * timeout: 180
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"
#include <sys/mman.h>
#include <unistd.h>

enum { THREADS = 6, ROUNDS = 3000, BATCH = 16, MAILBOX = 256, OWN = 64 };

struct message {
    unsigned char *p;
    size_t size;
    unsigned char pattern;
};

/* A bounded queue per thread, filled by the thread before it in the ring. */
struct mailbox {
    pthread_mutex_t lock;
    struct message items[MAILBOX];
    size_t head, count;
    int sender_done;
};

static struct mailbox boxes[THREADS];
static unsigned long passed[THREADS];

static void fail(const char *what, const void *p, size_t size)
{
    fprintf(stderr, "remote_ring: %s (block %p, %zu bytes)\n", what, p, size);
    exit(1);
}

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void check(const unsigned char *p, size_t size, unsigned char pattern)
{
    for (size_t i = 0; i < size; i++)
        if (p[i] != (unsigned char)(pattern + i))
            fail("a byte changed in a block passed between threads", p, size);
}

static void fill(unsigned char *p, size_t size, unsigned char pattern)
{
    for (size_t i = 0; i < size; i++)
        p[i] = (unsigned char)(pattern + i);
}

static int try_send(struct mailbox *b, struct message m)
{
    pthread_mutex_lock(&b->lock);
    int sent = b->count < MAILBOX;
    if (sent)
        b->items[(b->head + b->count++) % MAILBOX] = m;
    pthread_mutex_unlock(&b->lock);
    return sent;
}

/* Check and free what the thread before us has sent; 0 when it has
 * finished and nothing is left. */
static int receive(struct mailbox *b, uint64_t *rng)
{
    for (;;) {
        pthread_mutex_lock(&b->lock);
        if (b->count == 0) {
            int more = !b->sender_done;
            pthread_mutex_unlock(&b->lock);
            return more;
        }
        struct message m = b->items[b->head];
        b->head = (b->head + 1) % MAILBOX;
        b->count--;
        pthread_mutex_unlock(&b->lock);
        check(m.p, m.size, m.pattern);
        if (next_random(rng) % 8 == 0) {   /* moved by realloc, then freed */
            size_t bigger = m.size * 2 + 16;
            unsigned char *q = realloc(m.p, bigger);
            if (q == NULL)
                fail("realloc failed", m.p, bigger);
            check(q, m.size, m.pattern);
            free(q);
        } else {
            free(m.p);
        }
    }
}

static void *member(void *arg)
{
    int id = (int)(intptr_t)arg;
    struct mailbox *out = &boxes[(id + 1) % THREADS], *in = &boxes[id];
    uint64_t rng = 0x9E3779B97F4A7C15ull * (uint64_t)(id + 1);
    unsigned char *own[OWN] = { 0 };
    size_t own_size[OWN] = { 0 };
    for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < BATCH; k++) {
            struct message m;
            m.size = 1 + next_random(&rng) % 2048;
            m.pattern = (unsigned char)next_random(&rng);
            m.p = malloc(m.size);
            if (m.p == NULL)
                fail("malloc failed", NULL, m.size);
            fill(m.p, m.size, m.pattern);
            while (!try_send(out, m)) {
                receive(in, &rng);
                sched_yield();
            }
            passed[id]++;
            /* The owner keeps allocating and freeing its own blocks. */
            size_t slot = next_random(&rng) % OWN;
            if (own[slot] != NULL) {
                check(own[slot], own_size[slot], (unsigned char)slot);
                free(own[slot]);
            }
            own_size[slot] = 1 + next_random(&rng) % 512;
            own[slot] = malloc(own_size[slot]);
            if (own[slot] == NULL)
                fail("malloc failed", NULL, own_size[slot]);
            fill(own[slot], own_size[slot], (unsigned char)slot);
        }
        receive(in, &rng);
    }
    pthread_mutex_lock(&out->lock);
    out->sender_done = 1;
    pthread_mutex_unlock(&out->lock);
    while (receive(in, &rng))
        sched_yield();
    for (int slot = 0; slot < OWN; slot++)
        free(own[slot]);
    return NULL;
}

/* Sums "frees from other threads N, taken back M" over malloc_stats' arenas. */
static void remote_totals(unsigned long *pushed, unsigned long *taken)
{
    const char *text = capture_malloc_stats();
    if (text == NULL)
        fail("malloc_stats printed nothing we could read", NULL, 0);
    *pushed = *taken = 0;
    int lines = 0;
    for (const char *line = text; line != NULL && *line != '\0';) {
        unsigned long p, t;
        if (sscanf(line, "obb: frees from other threads %lu, taken back %lu",
                   &p, &t) == 2) {
            *pushed += p;
            *taken += t;
            lines++;
        }
        line = strchr(line, '\n');
        line = line != NULL ? line + 1 : NULL;
    }
    if (lines == 0)
        fail("malloc_stats reports no frees from other threads", NULL, 0);
}

int main(void)
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_mutex_init(&boxes[i].lock, NULL);
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&threads[i], NULL, member, (void *)(intptr_t)i) != 0)
            fail("pthread_create failed", NULL, 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    unsigned long total = 0;
    for (int i = 0; i < THREADS; i++)
        total += passed[i];
    unsigned long pushed, taken;
    remote_totals(&pushed, &taken);
    printf("passed %lu blocks; pushed %lu, taken back %lu\n", total, pushed,
           taken);
    if (pushed < total)
        fail("fewer pushes than blocks freed by another thread", NULL, 0);
    if (taken != pushed)
        fail("blocks pushed and never taken back", NULL, 0);
    return 0;
}
