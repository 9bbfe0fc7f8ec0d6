/* realloc_in_place.c: realloc keeps the pointer where every chapter promises it (a block that shrinks, or grows within what malloc_usable_size says it has, small or large), and reallocarray's success path behaves as realloc of count * size: contents kept, errno untouched.
 * since: pages-from-the-kernel
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void fail(const char *what, size_t from, size_t to)
{
    fprintf(stderr, "realloc_in_place: %s (%zu -> %zu bytes)\n", what, from, to);
    failures++;
}

static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 29 + (i >> 10) + 3);
}

static void fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = pattern(i);
}

static int kept(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != pattern(i))
            return 0;
    return 1;
}

/* realloc(p, to) must return p itself, with its first `to` bytes. */
static unsigned char *stays(unsigned char *p, size_t from, size_t to)
{
    unsigned char *q = realloc(p, to);
    if (q == NULL) {
        fail("realloc failed", from, to);
        return p;
    }
    if (q != p)
        fail("the block moved", from, to);
    if (!kept(q, to))
        fail("bytes were lost", from, to);
    return q;
}

int main(void)
{
    /* Sizes from a few bytes to large blocks of their own (several MiB). */
    static const size_t sizes[] = { 24, 100, 1000, 5000, 70000, 300000, (size_t)3 << 20, (size_t)9 << 20 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t size = sizes[k];
        unsigned char *p = malloc(size);
        if (p == NULL) {
            fail("malloc failed", 0, size);
            continue;
        }
        size_t usable = malloc_usable_size(p);
        fill(p, usable);
        p = stays(p, size, size);            /* the same size */
        p = stays(p, size, usable);          /* all the room it has */
        p = stays(p, usable, size);          /* back */
        /* Shrinking: a small block by half; a block above 256 KiB by an eighth,
         * which keeps it above (a large block that shrinks below 256 KiB may
         * move into a region, chapter 06 says). */
        size_t smaller = size <= ((size_t)256 << 10) ? size / 2 : size - size / 8;
        p = stays(p, size, smaller);
        free(p);
    }

    /* reallocarray: realloc of count * size, when the product fits. */
    errno = 0;
    unsigned char *a = reallocarray(NULL, 25, 40);
    if (a == NULL) {
        fail("reallocarray(NULL, 25, 40) failed", 0, 1000);
        return 1;
    }
    fill(a, 1000);
    a = reallocarray(a, 250, 40);
    if (a == NULL || !kept(a, 1000))
        fail("reallocarray(p, 250, 40) lost the block's bytes", 1000, 10000);
    else {
        fill(a, 10000);
        a = reallocarray(a, 5, 40);
        if (a == NULL || !kept(a, 200))
            fail("reallocarray(p, 5, 40) lost the block's bytes", 10000, 200);
    }
    if (errno != 0)
        fail("reallocarray changed errno on success", 0, 0);
    free(a);

    if (failures != 0)
        return 1;
    puts("realloc_in_place: ok");
    return 0;
}
