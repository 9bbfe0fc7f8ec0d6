/* test1.c: the seed's manual test: malloc, calloc, realloc and free keep what
 * is written, hand out zeroed and 16-byte-aligned memory, and say so.
 * since: pages-from-the-kernel
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "test1: FAILED: %s\n", what);
        failures++;
    }
}

static int aligned16(const void *p)
{
    return ((uintptr_t)p & 15) == 0;
}

int main(void)
{
    /* malloc: write a pattern, read it back. */
    unsigned char *a = malloc(1000);
    check(a != NULL, "malloc(1000) returned NULL");
    if (a == NULL)
        return 1;
    check(aligned16(a), "malloc(1000) is not 16-byte aligned");
    for (int i = 0; i < 1000; i++)
        a[i] = (unsigned char)(i * 7);
    for (int i = 0; i < 1000; i++)
        check(a[i] == (unsigned char)(i * 7), "malloc'd memory lost a byte");

    /* calloc: every byte is zero. */
    int *z = calloc(500, sizeof *z);
    check(z != NULL, "calloc(500, 4) returned NULL");
    if (z == NULL)
        return 1;
    check(aligned16(z), "calloc is not 16-byte aligned");
    for (int i = 0; i < 500; i++)
        check(z[i] == 0, "calloc'd memory is not zero");

    /* realloc: growing keeps the old contents. */
    unsigned char *b = realloc(a, 100000);
    check(b != NULL, "realloc to 100000 returned NULL");
    if (b == NULL)
        return 1;
    check(aligned16(b), "realloc is not 16-byte aligned");
    for (int i = 0; i < 1000; i++)
        check(b[i] == (unsigned char)(i * 7), "realloc lost the old contents");
    memset(b + 1000, 0xab, 100000 - 1000);

    /* Many small blocks, all aligned and all distinct. */
    char *small[64];
    for (int i = 0; i < 64; i++) {
        small[i] = malloc((size_t)i + 1);
        check(small[i] != NULL && aligned16(small[i]), "small malloc failed or misaligned");
        if (small[i] != NULL)
            memset(small[i], i, (size_t)i + 1);
    }
    for (int i = 0; i < 64; i++)
        for (int j = 0; small[i] != NULL && j <= i; j++)
            check(small[i][j] == i, "two small blocks overlap");

    for (int i = 0; i < 64; i++)
        free(small[i]);
    free(b);
    free(z);
    free(NULL);

    if (failures != 0) {
        fprintf(stderr, "test1: %d check(s) failed\n", failures);
        return 1;
    }
    printf("test1: malloc, calloc, realloc and free work\n");
    return 0;
}
