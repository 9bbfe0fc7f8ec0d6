/* realloc_grow_shrink.c: realloc keeps contents when growing from 16 B to 64 MiB and when shrinking back, in steps that cross every block size; every byte is checked at every step.
 * since: pages-from-the-kernel
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char pattern(size_t i) { return (unsigned char)(i * 131 + (i >> 9) + 7); }

static int check(const unsigned char *p, size_t n, size_t size)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != pattern(i)) {
            fprintf(stderr, "realloc_grow_shrink: byte %zu of %zu lost after realloc to %zu\n", i, n, size);
            return 1;
        }
    return 0;
}

int main(void)
{
    size_t size = 16, filled = 0;
    unsigned char *p = malloc(size);
    if (p == NULL)
        return 1;
    /* Grow: 16, 24, 32, 48, 64, ... up to 64 MiB (each step x1.5 or x4/3). */
    while (size < ((size_t)64 << 20)) {
        for (size_t i = filled; i < size; i++)
            p[i] = pattern(i);
        filled = size;
        size_t next = size + size / 2;
        if (next > ((size_t)64 << 20))
            next = (size_t)64 << 20;
        p = realloc(p, next);
        if (p == NULL) {
            fprintf(stderr, "realloc_grow_shrink: realloc to %zu failed\n", next);
            return 1;
        }
        if (check(p, filled, next))
            return 1;
        size = next;
    }
    for (size_t i = filled; i < size; i++)
        p[i] = pattern(i);
    /* Shrink: back down by a third each step, checking every byte that remains. */
    while (size > 16) {
        size_t next = size - size / 3;
        if (next < 16)
            next = 16;
        p = realloc(p, next);
        if (p == NULL) {
            fprintf(stderr, "realloc_grow_shrink: shrinking realloc to %zu failed\n", next);
            return 1;
        }
        if (check(p, next, next))
            return 1;
        size = next;
    }
    free(p);
    /* A block between two others: growth cannot simply extend it. */
    unsigned char *a = malloc(100), *b = malloc(100), *c = malloc(100);
    memset(b, 0x5a, 100);
    b = realloc(b, 10000);
    for (int i = 0; i < 100; i++)
        if (b[i] != 0x5a) {
            fprintf(stderr, "realloc_grow_shrink: hemmed-in block lost byte %d\n", i);
            return 1;
        }
    free(a);
    free(b);
    free(c);
    puts("realloc_grow_shrink: ok");
    return 0;
}
