/* thread_churn.c: 2,000 short threads, created and joined one after another,
 * each allocate, check and free blocks and hand one small block back to main;
 * the resident set and the number of arenas malloc_stats reports stay small.
 * since: threads-come-and-go
 * timeout: 120
 */
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stats.h"

enum { THREADS = 2000, WARM_UP = 100, BLOCKS = 100 };

/* Bounds stated in the chapter: growth of the resident set between thread
 * 100 and thread 2,000, and arenas left once every thread has gone. */
#define RSS_GROWTH_LIMIT (8L << 20)
#define ARENA_LIMIT 4

static void fail(const char *what)
{
    fprintf(stderr, "thread_churn: %s\n", what);
    exit(1);
}

static long resident_bytes(void)
{
    char buf[128];
    int fd = open("/proc/self/statm", O_RDONLY);
    if (fd < 0)
        fail("cannot open /proc/self/statm");
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        fail("cannot read /proc/self/statm");
    buf[n] = '\0';
    long size, resident;
    if (sscanf(buf, "%ld %ld", &size, &resident) != 2)
        fail("cannot parse /proc/self/statm");
    return resident * sysconf(_SC_PAGESIZE);
}

static void *short_life(void *arg)
{
    uint64_t rng = 0x9E3779B97F4A7C15ull * ((uint64_t)(intptr_t)arg + 1);
    unsigned char *blocks[BLOCKS];
    size_t sizes[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        sizes[i] = i == 0 ? (1u << 20) : 1 + rng % 8192;
        blocks[i] = malloc(sizes[i]);
        if (blocks[i] == NULL)
            fail("malloc returned NULL");
        memset(blocks[i], i + 1, sizes[i]);
    }
    for (int i = 0; i < BLOCKS; i++) {
        for (size_t j = 0; j < sizes[i]; j++)
            if (blocks[i][j] != (unsigned char)(i + 1))
                fail("block contents changed");
        free(blocks[i]);
    }
    /* One small block outlives the thread: main frees it at the end. */
    unsigned char *kept = malloc(64);
    if (kept == NULL)
        fail("malloc returned NULL");
    memset(kept, 0x5A, 64);
    return kept;
}

/* Counts the "Arena N:" sections malloc_stats writes to stderr (glibc's
 * format, which our library's malloc_stats follows). */
static int arenas_reported(void)
{
    const char *text = capture_malloc_stats();
    if (text == NULL)
        fail("malloc_stats printed nothing we could read");
    int arenas = 0;
    for (const char *line = text; line != NULL && *line != '\0';) {
        if (strncmp(line, "Arena ", 6) == 0)
            arenas++;
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return arenas;
}

int main(void)
{
    static unsigned char *kept[THREADS];
    long warm = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_t t;
        if (i == WARM_UP)
            warm = resident_bytes();
        if (pthread_create(&t, NULL, short_life, (void *)(intptr_t)i) != 0)
            fail("pthread_create failed");
        if (pthread_join(t, (void **)&kept[i]) != 0)
            fail("pthread_join failed");
    }
    long growth = resident_bytes() - warm;
    for (int i = 0; i < THREADS; i++) {
        for (int j = 0; j < 64; j++)
            if (kept[i][j] != 0x5A)
                fail("a block that outlived its thread changed");
        free(kept[i]);
    }
    int arenas = arenas_reported();
    printf("resident set grew by %ld KiB over %d threads; %d arenas\n",
           growth >> 10, THREADS - WARM_UP, arenas);
    if (growth > RSS_GROWTH_LIMIT) {
        fprintf(stderr, "thread_churn: resident set grew by %ld KiB (limit %ld KiB)\n",
                growth >> 10, RSS_GROWTH_LIMIT >> 10);
        return 1;
    }
    if (arenas < 1 || arenas > ARENA_LIMIT) {
        fprintf(stderr, "thread_churn: malloc_stats reports %d arenas (expected 1..%d)\n",
                arenas, ARENA_LIMIT);
        return 1;
    }
    return 0;
}
