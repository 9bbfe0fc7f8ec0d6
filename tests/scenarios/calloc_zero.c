/* calloc_zero.c: calloc returns zeroed memory, also when it reuses blocks that were dirtied and freed, and rejects n*size overflow in both argument orders.
 * since: pages-from-the-kernel
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 4
#define COUNT 1000

static size_t size_of(int i)
{
    static const size_t sizes[] = { 1, 8, 16, 24, 40, 100, 128, 500, 1000, 4096, 5000, 70000, 300000 };
    return sizes[i % (int)(sizeof sizes / sizeof sizes[0])];
}

int main(void)
{
    static unsigned char *blocks[COUNT];
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < COUNT; i++) {
            size_t size = size_of(i + round);
            blocks[i] = (round % 2) ? calloc(size, 1) : calloc(1, size);
            if (blocks[i] == NULL) {
                fprintf(stderr, "calloc_zero: calloc(%zu) failed\n", size);
                return 1;
            }
            for (size_t b = 0; b < size; b++)
                if (blocks[i][b] != 0) {
                    fprintf(stderr, "calloc_zero: round %d block %d byte %zu of %zu is %d\n",
                            round, i, b, size, blocks[i][b]);
                    return 1;
                }
            memset(blocks[i], 0xa5, size);   /* dirty it for the next round */
        }
        for (int i = 0; i < COUNT; i++)
            free(blocks[i]);
    }
    /* Overflow of n * size, both ways round. */
    volatile size_t big = (SIZE_MAX / 2) + 2;   /* volatile: keep GCC from rejecting the call */
    errno = 0;
    if (calloc(big, 2) != NULL || errno != ENOMEM) {
        fprintf(stderr, "calloc_zero: calloc(big, 2) did not fail with ENOMEM\n");
        return 1;
    }
    errno = 0;
    if (calloc(2, big) != NULL || errno != ENOMEM) {
        fprintf(stderr, "calloc_zero: calloc(2, big) did not fail with ENOMEM\n");
        return 1;
    }
    puts("calloc_zero: ok");
    return 0;
}
