/* threads_random.c: eight threads each make 200,000 random malloc/realloc/free
 * calls on their own blocks, and every byte of every block is checked before it
 * is resized or freed, so two threads handed overlapping memory cannot go unseen.
 * since: an-arena-per-thread
 * timeout: 120
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 8, OPS = 200000, SLOTS = 1000 };

struct slot {
    unsigned char *p;
    size_t size;
    unsigned char tag;
};

static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Mostly small blocks, some medium, a few large enough to leave the small path. */
static size_t random_size(uint64_t *rng)
{
    uint64_t r = next_random(rng);
    unsigned pick = (unsigned)(r % 100);
    r >>= 8;
    if (pick < 70)
        return 1 + r % 256;
    if (pick < 99)
        return 257 + r % 8000;
    return 8193 + r % (128 * 1024);
}

static void fail(int thread, const char *what, const void *p, size_t size)
{
    fprintf(stderr, "threads_random: thread %d: %s (block %p, %zu bytes)\n",
            thread, what, p, size);
    exit(1);
}

static void check(int thread, const struct slot *s, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++)
        if (s->p[i] != s->tag)
            fail(thread, "block contents changed behind our back", s->p, s->size);
}

static void check_alignment(int thread, const void *p, size_t size)
{
    if ((uintptr_t)p % 16 != 0)
        fail(thread, "block is not 16-byte aligned", p, size);
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    uint64_t rng = 0x9E3779B97F4A7C15ull * (uint64_t)(id + 1);
    struct slot *slots = calloc(SLOTS, sizeof *slots);
    if (slots == NULL)
        fail(id, "calloc of the slot table failed", NULL, 0);

    for (int op = 0; op < OPS; op++) {
        struct slot *s = &slots[next_random(&rng) % SLOTS];
        unsigned kind = (unsigned)(next_random(&rng) % 3);
        if (s->p == NULL || kind == 0) {
            if (s->p != NULL) {
                check(id, s, s->size);
                free(s->p);
            }
            s->size = random_size(&rng);
            s->tag = (unsigned char)(1 + next_random(&rng) % 255);
            s->p = malloc(s->size);
            if (s->p == NULL)
                fail(id, "malloc returned NULL", NULL, s->size);
            check_alignment(id, s->p, s->size);
            memset(s->p, s->tag, s->size);
        } else if (kind == 1) {
            size_t size = random_size(&rng);
            check(id, s, s->size);
            unsigned char *p = realloc(s->p, size);
            if (p == NULL)
                fail(id, "realloc returned NULL", s->p, size);
            check_alignment(id, p, size);
            s->p = p;
            check(id, s, size < s->size ? size : s->size);
            if (size > s->size)
                memset(p + s->size, s->tag, size - s->size);
            s->size = size;
        } else {
            check(id, s, s->size);
            free(s->p);
            s->p = NULL;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].p != NULL) {
            check(id, &slots[i], slots[i].size);
            free(slots[i].p);
        }
    }
    free(slots);
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        if (pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            fprintf(stderr, "threads_random: pthread_create failed\n");
            return 1;
        }
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    return 0;
}
