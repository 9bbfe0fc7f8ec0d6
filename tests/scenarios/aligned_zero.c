/* aligned_zero.c: posix_memalign, aligned_alloc and memalign of 0 and 1 bytes, at alignments from 16 B to 16 MiB, return aligned pointers into memory the allocator has mapped, each with malloc_usable_size bytes writable, and every one of them can be freed while other big blocks come and go.
 * since: pages-from-the-kernel
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { ROUNDS = 3, ALIGNS = 21, KINDS = 3, SIZES = 2 };

static int failures;

/* Is the page holding p mapped? mincore fails with ENOMEM on an unmapped range. */
static int mapped(const void *p)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char vec;
    void *start = (void *)((uintptr_t)p & ~(uintptr_t)(page - 1));
    return mincore(start, page, &vec) == 0;
}

static void *aligned(int kind, size_t align, size_t size)
{
    void *p = NULL;
    switch (kind) {
    case 0: if (posix_memalign(&p, align, size) != 0) p = NULL; break;
    case 1: p = aligned_alloc(align, size); break;
    default: p = memalign(align, size); break;
    }
    return p;
}

/* A block of 0 bytes is still a block: its address must be the allocator's, or the
 * allocator's record of it may be another mapping's. */
static void check(void *p, int kind, size_t align, size_t size)
{
    static const char *names[KINDS] = { "posix_memalign", "aligned_alloc", "memalign" };
    if (p == NULL || (uintptr_t)p % align != 0 || !mapped(p)) {
        fprintf(stderr, "aligned_zero: %s(%zu, %zu) = %p: %s\n", names[kind], align, size, p,
                p == NULL ? "failed" : (uintptr_t)p % align != 0 ? "misaligned" : "not in mapped memory");
        failures++;
        return;
    }
    size_t usable = malloc_usable_size(p);
    if (usable < size) {
        fprintf(stderr, "aligned_zero: %s(%zu, %zu): usable size %zu\n", names[kind], align, size, usable);
        failures++;
    }
    memset(p, 0xa5, usable);
}

int main(void)
{
    static void *blocks[ROUNDS][ALIGNS][KINDS][SIZES];
    static void *big[ROUNDS][ALIGNS];
    for (int round = 0; round < ROUNDS; round++) {
        for (int a = 0; a < ALIGNS; a++) {
            size_t align = (size_t)16 << a;   /* 16 B ... 16 MiB */
            for (int kind = 0; kind < KINDS; kind++)
                for (int s = 0; s < SIZES; s++) {
                    blocks[round][a][kind][s] = aligned(kind, align, (size_t)s);
                    check(blocks[round][a][kind][s], kind, align, (size_t)s);
                }
            /* Big blocks mapped between them, some freed at once: their mappings may
             * land where a wrongly recorded zero-byte block claims to be. */
            big[round][a] = malloc(((size_t)300 << 10) + ((size_t)a << 18));
            if (big[round][a] == NULL) {
                fprintf(stderr, "aligned_zero: malloc of a big block failed\n");
                return 1;
            }
            if (a % 2 == 0) {
                free(big[round][a]);
                big[round][a] = NULL;
            }
        }
    }
    for (int round = 0; round < ROUNDS; round++)
        for (int a = 0; a < ALIGNS; a++) {
            free(big[round][a]);
            for (int kind = 0; kind < KINDS; kind++)
                for (int s = 0; s < SIZES; s++)
                    free(blocks[round][a][kind][s]);
        }
    if (failures != 0)
        return 1;
    puts("aligned_zero: ok");
    return 0;
}
