/* count_driver.c: a known number of small allocations, then malloc_stats, for
 * tests/counters.test.ts: with -DOBB_COUNT the report's counters must account
 * for every one of them. Prints the number of mallocs it made.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#define BLOCKS 20000

int main(void)
{
    static void *blocks[BLOCKS];
    static char out[BUFSIZ];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    unsigned long seed = 12345, mallocs = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < BLOCKS; i++) {
            seed = seed * 6364136223846793005ul + 1442695040888963407ul;
            size_t size = 1 + (seed >> 33) % 4000;
            if (blocks[i] != NULL && (seed >> 20) % 3 == 0) {
                free(blocks[i]);
                blocks[i] = NULL;
            }
            if (blocks[i] == NULL) {
                blocks[i] = malloc(size);
                if (blocks[i] == NULL)
                    return 1;
                mallocs++;
            }
        }
    }
    fflush(stdout);
    malloc_stats();
    printf("mallocs %lu\n", mallocs);
    return 0;
}
