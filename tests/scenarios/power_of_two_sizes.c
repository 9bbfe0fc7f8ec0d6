/* power_of_two_sizes.c: every size from 1 to 4096, sizes on both sides of powers of two up to 64 MiB, and malloc(0) give 16-byte aligned, writable, distinct blocks.
 * since: pages-from-the-kernel
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(const char *what, size_t size, void *p)
{
    fprintf(stderr, "power_of_two_sizes: %s (size %zu, pointer %p)\n", what, size, p);
    exit(1);
}

static void check(void *p, size_t size)
{
    if (p == NULL)
        fail("malloc returned NULL", size, p);
    if ((uintptr_t)p % 16 != 0)
        fail("pointer not aligned to 16", size, p);
}

int main(void)
{
    static void *blocks[4097];
    for (size_t size = 1; size <= 4096; size++) {
        blocks[size] = malloc(size);
        check(blocks[size], size);
        memset(blocks[size], (int)(size & 0xff), size);
    }
    for (size_t size = 1; size <= 4096; size++) {
        unsigned char *p = blocks[size];
        if (p[0] != (size & 0xff) || p[size - 1] != (size & 0xff))
            fail("block overwritten by another block", size, p);
        free(p);
    }
    /* Both sides of every power of two from 4 KiB to 64 MiB: the sizes where a
       buddy allocator moves to the next order. Every page is written. */
    for (int k = 12; k <= 26; k++) {
        for (int delta = -1; delta <= 1; delta++) {
            size_t size = ((size_t)1 << k) + (size_t)(ptrdiff_t)delta;
            unsigned char *p = malloc(size);
            check(p, size);
            for (size_t off = 0; off < size; off += 4096)
                p[off] = 3;
            p[size - 1] = 2;
            free(p);
        }
    }
    /* malloc(0): either NULL or a unique pointer that free accepts. */
    void *z1 = malloc(0), *z2 = malloc(0);
    if (z1 != NULL && (uintptr_t)z1 % 16 != 0)
        fail("malloc(0) not aligned", 0, z1);
    if (z1 != NULL && z1 == z2)
        fail("two malloc(0) returned the same pointer", 0, z1);
    free(z1);
    free(z2);
    puts("power_of_two_sizes: ok");
    return 0;
}
