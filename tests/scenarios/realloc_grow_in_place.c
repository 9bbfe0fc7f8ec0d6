/* realloc_grow_in_place.c: realloc shrinks a block where it is and gives back what it no longer needs (malloc_usable_size falls to the smallest block), and a block whose freed right halves nobody has taken since grows back without moving (chapter 06: a left half merges with its free buddy), keeping its bytes; at sizes from 32 B to 256 KiB.
 * since: the-whole-c-api
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int failures;

static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 13 + 5);
}

int main(void)
{
    for (size_t size = 32; size <= ((size_t)256 << 10); size *= 4) {
        unsigned char *p = malloc(size);
        if (p == NULL) {
            fprintf(stderr, "realloc_grow_in_place: malloc(%zu) failed\n", size);
            return 1;
        }
        for (size_t i = 0; i < 16; i++)
            p[i] = pattern(i);
        /* Shrinking splits the block down its left edge: p stays, and every
         * right half it gave up is free. Growing back merges them again. */
        uintptr_t at = (uintptr_t)p;   /* compared after realloc, never used */
        unsigned char *small = realloc(p, 16);
        if ((uintptr_t)small != at || malloc_usable_size(small) != 16) {
            fprintf(stderr, "realloc_grow_in_place: %zu -> 16 bytes moved the block or kept %zu\n",
                    size, malloc_usable_size(small));
            failures++;
            free(small);
            continue;
        }
        unsigned char *again = realloc(small, size);
        if ((uintptr_t)again != at) {
            fprintf(stderr, "realloc_grow_in_place: 16 -> %zu bytes moved the block\n", size);
            failures++;
            free(again);
            continue;
        }
        for (size_t i = 0; i < 16; i++)
            if (again[i] != pattern(i)) {
                fprintf(stderr, "realloc_grow_in_place: byte %zu lost growing to %zu\n", i, size);
                failures++;
                break;
            }
        free(again);
    }
    if (failures != 0)
        return 1;
    puts("realloc_grow_in_place: ok");
    return 0;
}
