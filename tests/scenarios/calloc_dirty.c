/* calloc_dirty.c: calloc returns zeros in memory the program dirtied in the three ways a calloc that skips "fresh" memory could miss: a block that realloc grew (in place or not) and shrank, aligned blocks from posix_memalign and its kin, and blocks one thread dirtied and another freed.
 * since: pages-from-the-kernel
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCKS = 400, ROUNDS = 4 };

static int failures;

/* calloc as many blocks of each size as fit where the dirty ones were; all zero. */
static void expect_zeros(const char *after)
{
    static const size_t sizes[] = { 16, 48, 100, 256, 1000, 4096, 20000, 70000, 200000 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        unsigned char *blocks[BLOCKS / 8];
        for (int i = 0; i < BLOCKS / 8; i++) {
            blocks[i] = calloc(1, sizes[k]);
            if (blocks[i] == NULL) {
                fprintf(stderr, "calloc_dirty: calloc(1, %zu) failed after %s\n", sizes[k], after);
                failures++;
                return;
            }
            for (size_t j = 0; j < sizes[k]; j++)
                if (blocks[i][j] != 0) {
                    fprintf(stderr, "calloc_dirty: calloc(1, %zu) byte %zu is %#x after %s\n",
                            sizes[k], j, blocks[i][j], after);
                    failures++;
                    break;
                }
        }
        for (int i = 0; i < BLOCKS / 8; i++)
            free(blocks[i]);
    }
}

/* Grow blocks by realloc, writing every byte they may hold at each step, then
 * shrink them, which gives the dirty tails back (in place, from chapter 06). */
static void dirty_by_realloc(void)
{
    unsigned char *blocks[BLOCKS / 8];
    for (int i = 0; i < BLOCKS / 8; i++) {
        unsigned char *p = malloc(16);
        for (size_t size = 16; size <= 200000; size *= 3) {
            p = realloc(p, size);
            memset(p, 0xa5, malloc_usable_size(p));
        }
        blocks[i] = realloc(p, 16);
    }
    for (int i = 0; i < BLOCKS / 8; i++)
        free(blocks[i]);
}

/* The same at the edge of what a buddy allocator has ever handed out: small
 * blocks until one starts on a 256 KiB boundary (the left edge of memory
 * nobody has had yet, when the descent goes left first), then that one grown
 * to 200 KB, which chapter 06 does in place, dirtied and shrunk again. */
static void dirty_at_the_edge(void)
{
    static void *filler[100000];
    int n = 0;
    unsigned char *edge = NULL;
    while (n < 100000) {
        unsigned char *p = malloc(16);
        if (p == NULL)
            exit(1);
        if ((uintptr_t)p % ((uintptr_t)256 << 10) == 0) {
            edge = p;
            break;
        }
        filler[n++] = p;
    }
    if (edge != NULL) {
        edge = realloc(edge, 200000);
        memset(edge, 0x96, malloc_usable_size(edge));
        edge = realloc(edge, 16);
        expect_zeros("growth at the edge");
        free(edge);
    }
    for (int i = 0; i < n; i++)
        free(filler[i]);
}

static void dirty_by_memalign(void)
{
    void *blocks[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
        size_t align = (size_t)32 << (i % 10), size = (size_t)(i * 97 % 5000);
        void *p;
        switch (i % 3) {
        case 0: p = posix_memalign(&p, align, size) == 0 ? p : NULL; break;
        case 1: p = aligned_alloc(align, size); break;
        default: p = memalign(align, size); break;
        }
        if (p == NULL) {
            fprintf(stderr, "calloc_dirty: aligned allocation of %zu at %zu failed\n", size, align);
            exit(1);
        }
        memset(p, 0x5a, malloc_usable_size(p));
        blocks[i] = p;
    }
    for (int i = 0; i < BLOCKS; i++)
        free(blocks[i]);
}

/* One thread dirties blocks; another frees them. */
static unsigned char *handed[BLOCKS];

static void *dirty_and_hand_over(void *unused)
{
    (void)unused;
    for (int i = 0; i < BLOCKS; i++) {
        size_t size = 16 + (size_t)(i * 211 % 3000);
        handed[i] = malloc(size);
        if (handed[i] == NULL)
            exit(1);
        memset(handed[i], 0xc3, malloc_usable_size(handed[i]));
    }
    return NULL;
}

static void *free_them(void *unused)
{
    (void)unused;
    for (int i = 0; i < BLOCKS; i++)
        free(handed[i]);
    return NULL;
}

static void dirty_by_remote_free(void)
{
    pthread_t owner, other;
    if (pthread_create(&owner, NULL, dirty_and_hand_over, NULL) != 0)
        exit(1);
    pthread_join(owner, NULL);
    if (pthread_create(&other, NULL, free_them, NULL) != 0)
        exit(1);
    pthread_join(other, NULL);
}

int main(void)
{
    for (int round = 0; round < ROUNDS; round++) {
        dirty_at_the_edge();
        dirty_by_realloc();
        expect_zeros("realloc growth");
        dirty_by_memalign();
        expect_zeros("aligned allocation");
        dirty_by_remote_free();
        expect_zeros("a free from another thread");
    }
    if (failures != 0)
        return 1;
    puts("calloc_dirty: ok");
    return 0;
}
