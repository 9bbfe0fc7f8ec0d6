/* free_after_exit.c: blocks allocated by a thread that has exited stay intact
 * while new threads allocate, and other threads can free them.
 * since: an-arena-per-thread
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROUNDS = 20, ORPHANS = 1000, OWN = 2000 };

struct block {
    unsigned char *p;
    size_t size;
    unsigned char tag;
};

static struct block orphans[ORPHANS];

static void fail(const char *what, const struct block *b)
{
    fprintf(stderr, "free_after_exit: %s (block %p, %zu bytes)\n",
            what, b ? (void *)b->p : NULL, b ? b->size : 0);
    exit(1);
}

static void fill(struct block *b, uint64_t *rng)
{
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    b->size = (*rng % 50 == 0) ? 100000 + *rng % 300000 : 1 + *rng % 4096;
    b->tag = (unsigned char)(1 + (*rng >> 40) % 255);
    b->p = malloc(b->size);
    if (b->p == NULL)
        fail("malloc returned NULL", b);
    memset(b->p, b->tag, b->size);
}

static void check(const struct block *b, const char *what)
{
    for (size_t i = 0; i < b->size; i++)
        if (b->p[i] != b->tag)
            fail(what, b);
}

/* Allocates the orphans and exits without freeing them. */
static void *parent_of_orphans(void *arg)
{
    uint64_t rng = 0x9E3779B97F4A7C15ull * ((uint64_t)(intptr_t)arg + 1);
    for (int i = 0; i < ORPHANS; i++)
        fill(&orphans[i], &rng);
    return NULL;
}

/* Starts after the first thread has gone: allocates its own blocks, checks the
 * orphans survived, frees every second one, then cleans up after itself. */
static void *adopter(void *arg)
{
    uint64_t rng = 0xD1B54A32D192ED03ull * ((uint64_t)(intptr_t)arg + 1);
    static struct block own[OWN];
    for (int i = 0; i < OWN; i++)
        fill(&own[i], &rng);
    for (int i = 0; i < ORPHANS; i++) {
        check(&orphans[i], "a block of an exited thread changed");
        if (i % 2 == 0) {
            free(orphans[i].p);
            orphans[i].p = NULL;
        }
    }
    for (int i = 0; i < OWN; i++) {
        check(&own[i], "a block of the adopting thread changed");
        free(own[i].p);
    }
    return NULL;
}

int main(void)
{
    for (int round = 0; round < ROUNDS; round++) {
        pthread_t t;
        if (pthread_create(&t, NULL, parent_of_orphans, (void *)(intptr_t)round) != 0)
            fail("pthread_create failed", NULL);
        pthread_join(t, NULL);
        if (pthread_create(&t, NULL, adopter, (void *)(intptr_t)round) != 0)
            fail("pthread_create failed", NULL);
        pthread_join(t, NULL);
        /* The main thread frees the other half. */
        for (int i = 0; i < ORPHANS; i++) {
            if (orphans[i].p == NULL)
                continue;
            check(&orphans[i], "a block of an exited thread changed");
            free(orphans[i].p);
        }
    }
    return 0;
}
