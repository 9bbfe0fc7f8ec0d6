/* memory_after_threads.c: memory that nobody uses goes back to the kernel.
 * 1. Sixteen threads, alive at once, each allocate and write about 2.5 MiB
 *    of small blocks, free them all and exit: the resident set must grow
 *    by less than 8 MiB (their arenas' empty regions go back).
 * 2. The main thread writes 32 MiB of 1 KiB blocks and frees all but one in
 *    256, so that every region keeps a live block: malloc_trim(0) must
 *    return 1, give back most of the free pages, and leave the live blocks
 *    intact; freeing the rest and trimming again gives back nearly all,
 *    and malloc works as before.
 * since: threads-come-and-go
 */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 16, THREAD_BYTES = 2600 << 10, BLOCKS = 32768, KEEP = 256 };

static pthread_barrier_t all_allocated;

static void fail(const char *what, long kib)
{
    fprintf(stderr, "memory_after_threads: %s (%ld KiB)\n", what, kib);
    exit(1);
}

static long resident_kib(void)
{
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL || fscanf(f, "%ld %ld", &size, &resident) != 2)
        fail("cannot read /proc/self/statm", 0);
    fclose(f);
    return resident * 4;
}

static void *thread(void *arg)
{
    (void)arg;
    void *blocks[8192];
    size_t used = 0;
    int n = 0;
    while (used < THREAD_BYTES && n < 8192) {
        size_t size = 16 + (size_t)n * 2654435761u % 2032;
        blocks[n] = malloc(size);
        if (blocks[n] == NULL)
            fail("malloc failed", 0);
        memset(blocks[n], n, size);
        used += size;
        n++;
    }
    pthread_barrier_wait(&all_allocated);
    while (n-- > 0)
        free(blocks[n]);
    return NULL;
}

static void threads_come_and_go(void)
{
    long before = resident_kib();
    pthread_t t[THREADS];
    pthread_barrier_init(&all_allocated, NULL, THREADS);
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, thread, NULL) != 0)
            fail("pthread_create failed", 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    long kept = resident_kib() - before;
    printf("memory_after_threads: %d threads gone, %ld KiB kept\n",
           THREADS, kept);
    if (kept >= 8192)
        fail("the threads' memory stayed resident", kept);
}

static unsigned char *blocks[BLOCKS];

static void check_kept(void)
{
    for (int i = 0; i < BLOCKS; i += KEEP)
        for (int j = 0; j < 1024; j++)
            if (blocks[i][j] != (unsigned char)(i / KEEP))
                fail("malloc_trim changed a live block", 0);
}

static void trim_on_demand(void)
{
    long before = resident_kib();
    for (int i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc(1024);
        if (blocks[i] == NULL)
            fail("malloc failed", 0);
        memset(blocks[i], i / KEEP, 1024);
    }
    for (int i = 0; i < BLOCKS; i++)
        if (i % KEEP != 0)
            free(blocks[i]);
    long written = resident_kib() - before;
    if (malloc_trim(0) != 1)
        fail("malloc_trim(0) did not return 1 with free pages", written);
    long trimmed = resident_kib() - before;
    printf("memory_after_threads: 32 MiB written, 1/%d kept: %ld KiB "
           "resident, %ld KiB after malloc_trim\n", KEEP, written, trimmed);
    if (trimmed > written / 4)
        fail("malloc_trim gave back less than three quarters", trimmed);
    check_kept();
    for (int i = 0; i < BLOCKS; i += KEEP)
        free(blocks[i]);
    malloc_trim(0);
    long left = resident_kib() - before;
    if (left > 2048)
        fail("freed and trimmed, the heap stayed resident", left);
    void *p = malloc(100);   /* still works */
    if (p == NULL)
        fail("malloc failed after malloc_trim", 0);
    memset(p, 1, 100);
    free(p);
}

int main(void)
{
    threads_come_and_go();
    trim_on_demand();
    return 0;
}
