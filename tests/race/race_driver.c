/* race_driver.c: the workload ThreadSanitizer watches. It is compiled together
 * with the allocator's own sources, with every malloc-API name renamed
 * (race.test.ts passes -Dmalloc=obb_race_malloc and so on to both), so the
 * sanitizer's runtime keeps libc's malloc while these threads exercise ours:
 * private allocation, frees from other threads, threads that exit and leave
 * their arenas to newcomers, and malloc_stats reading every arena at once.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chapters before 06 have neither of these: the driver uses them when linked in. */
extern __typeof__(posix_memalign) posix_memalign __attribute__((weak));
extern __typeof__(malloc_usable_size) malloc_usable_size __attribute__((weak));

enum { WORKERS = 4, OPS = 20000, SLOTS = 200, HANDOFF = 64, SHORT_LIVED = 40 };

static void fail(const char *what)
{
    fprintf(stderr, "race_driver: %s\n", what);
    exit(1);
}

static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Blocks passed between threads through a mutex-guarded mailbox: the
 * mailbox orders the hand-off, the allocator must order everything else. */
static pthread_mutex_t mailbox_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *mailbox[HANDOFF];

static unsigned char *swap_mailbox(size_t i, unsigned char *p)
{
    pthread_mutex_lock(&mailbox_lock);
    unsigned char *old = mailbox[i];
    mailbox[i] = p;
    pthread_mutex_unlock(&mailbox_lock);
    return old;
}

static void check_and_free(unsigned char *p)
{
    if (p == NULL)
        return;
    size_t size = (size_t)p[0] * 16 + 1;
    for (size_t i = 1; i < size; i++)
        if (p[i] != p[0])
            fail("a block's contents changed");
    free(p);
}

static unsigned char *make_block(uint64_t *rng)
{
    unsigned char tag = (unsigned char)(1 + next_random(rng) % 255);
    size_t size = (size_t)tag * 16 + 1;
    unsigned char *p = malloc(size);
    if (p == NULL)
        fail("malloc returned NULL");
    memset(p, tag, size);
    return p;
}

static void *worker(void *arg)
{
    uint64_t rng = 0x9E3779B97F4A7C15ull * ((uint64_t)(intptr_t)arg + 1);
    unsigned char *own[SLOTS] = {0};
    for (int op = 0; op < OPS; op++) {
        uint64_t r = next_random(&rng);
        size_t slot = r % SLOTS;
        switch ((r >> 32) % 4) {
        case 0: /* private malloc and free */
            check_and_free(own[slot]);
            own[slot] = make_block(&rng);
            break;
        case 1: { /* realloc keeps the contents */
            unsigned char *p = own[slot] ? own[slot] : make_block(&rng);
            size_t size = (size_t)p[0] * 16 + 1;
            unsigned char *q = realloc(p, size + 4096);
            if (q == NULL)
                fail("realloc returned NULL");
            for (size_t i = 1; i < size; i++)
                if (q[i] != q[0])
                    fail("realloc lost contents");
            own[slot] = realloc(q, size);
            if (own[slot] == NULL)
                fail("realloc returned NULL");
            break;
        }
        case 2: /* give a block away, free whatever was there */
            check_and_free(swap_mailbox(r % HANDOFF, make_block(&rng)));
            break;
        default: /* calloc and malloc_usable_size */
            free(own[slot]);
            own[slot] = NULL;
            unsigned char *z = calloc(1 + r % 300, 8);
            if (z == NULL)
                fail("calloc failed");
            if (malloc_usable_size != NULL && malloc_usable_size(z) < 8)
                fail("malloc_usable_size is too small");
            for (size_t i = 0; i < 8; i++)
                if (z[i] != 0)
                    fail("calloc memory is not zero");
            free(z);
            void *aligned = NULL;
            if ((posix_memalign != NULL && posix_memalign(&aligned, (size_t)64 << (r % 6), 100) != 0) ||
                (uintptr_t)aligned % ((size_t)64 << (r % 6)) != 0)
                fail("posix_memalign failed");
            free(aligned);   /* free(NULL) when there is no posix_memalign */
        }
    }
    for (int i = 0; i < SLOTS; i++)
        check_and_free(own[i]);
    return NULL;
}

/* Threads that allocate a little, leave one block in the mailbox and exit,
 * so their arenas are handed on while other threads still free into them. */
static void *short_lived(void *arg)
{
    uint64_t rng = 0xD1B54A32D192ED03ull * ((uint64_t)(intptr_t)arg + 1);
    for (int i = 0; i < 50; i++)
        check_and_free(make_block(&rng));
    check_and_free(swap_mailbox(next_random(&rng) % HANDOFF, make_block(&rng)));
    return NULL;
}

static void *churn(void *arg)
{
    (void)arg;
    for (int i = 0; i < SHORT_LIVED; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, short_lived, (void *)(intptr_t)i) != 0)
            fail("pthread_create failed");
        pthread_join(t, NULL);
        if (i % 10 == 0)
            malloc_stats();
    }
    return NULL;
}

int main(void)
{
    pthread_t workers[WORKERS], churner;
    for (int i = 0; i < WORKERS; i++)
        if (pthread_create(&workers[i], NULL, worker, (void *)(intptr_t)i) != 0)
            fail("pthread_create failed");
    if (pthread_create(&churner, NULL, churn, NULL) != 0)
        fail("pthread_create failed");
    for (int i = 0; i < WORKERS; i++)
        pthread_join(workers[i], NULL);
    pthread_join(churner, NULL);
    for (int i = 0; i < HANDOFF; i++)
        check_and_free(swap_mailbox((size_t)i, NULL));
    puts("race_driver: done");
    return 0;
}
