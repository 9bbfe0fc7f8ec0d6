/* realloc_content.c: realloc(NULL, n) allocates, growing and shrinking keep
 * the bytes that fit, and a block grown step by step to 8 MiB keeps them all.
 * since: pages-from-the-kernel
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void fail(const char *what, size_t size)
{
    fprintf(stderr, "realloc_content: %s (size %zu)\n", what, size);
    exit(1);
}

static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 31 + (i >> 8));
}

static void fill(unsigned char *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        p[i] = pattern(i);
}

static void expect(const unsigned char *p, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (p[i] != pattern(i))
            fail("a byte changed", size);
}

int main(void)
{
    unsigned char *p = realloc(NULL, 100);
    if (p == NULL || (uintptr_t)p % 16 != 0)
        fail("realloc(NULL, 100) did not allocate an aligned block", 100);
    fill(p, 0, 100);

    /* Grow by a few bytes, then by doubling, up to 8 MiB. */
    size_t size = 100;
    while (size < ((size_t)8 << 20)) {
        size_t bigger = size < 4096 ? size + 13 : size * 2;
        p = realloc(p, bigger);
        if (p == NULL || (uintptr_t)p % 16 != 0)
            fail("realloc did not return an aligned block", bigger);
        expect(p, size);
        fill(p, size, bigger);
        size = bigger;
    }

    /* Shrink: the bytes that still fit are kept. */
    p = realloc(p, 1000);
    if (p == NULL)
        fail("shrinking realloc returned NULL", 1000);
    expect(p, 1000);
    p = realloc(p, 10);
    if (p == NULL)
        fail("shrinking realloc returned NULL", 10);
    expect(p, 10);
    free(p);

    printf("realloc_content: ok\n");
    return 0;
}
