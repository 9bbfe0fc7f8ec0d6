/* out_of_memory.c: requests that cannot be met (SIZE_MAX, sizes near it, and
 * calloc products that overflow, in either argument order) return NULL with
 * errno == ENOMEM and leave the allocator working.
 * since: pages-from-the-kernel
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

/* Keep the compiler from reasoning about sizes it can see: GCC knows that
 * malloc(SIZE_MAX) is silly and warns; we want to make the call anyway. */
static size_t opaque(size_t n)
{
    volatile size_t v = n;
    return v;
}

static void expect_enomem(void *p, const char *what)
{
    int saved = errno;
    if (p != NULL) {
        fprintf(stderr, "out_of_memory: %s returned a block\n", what);
        failures++;
    } else if (saved != ENOMEM) {
        fprintf(stderr, "out_of_memory: %s set errno %d (%s), not ENOMEM\n",
                what, saved, strerror(saved));
        failures++;
    }
}

int main(void)
{
    size_t max = opaque(SIZE_MAX);
    size_t half = opaque((SIZE_MAX >> 1) + 1);   /* 2^63 on a 64-bit machine */

    errno = 0;
    expect_enomem(malloc(max), "malloc(SIZE_MAX)");
    errno = 0;
    expect_enomem(malloc(max - 15), "malloc(SIZE_MAX - 15)");
    errno = 0;
    expect_enomem(malloc(max - 4096), "malloc(SIZE_MAX - 4096)");
    errno = 0;
    expect_enomem(malloc(half), "malloc(2^63)");

    errno = 0;
    expect_enomem(calloc(half, 2), "calloc(2^63, 2)");
    errno = 0;
    expect_enomem(calloc(2, half), "calloc(2, 2^63)");
    errno = 0;
    expect_enomem(calloc(max, max), "calloc(SIZE_MAX, SIZE_MAX)");
    errno = 0;
    expect_enomem(calloc(opaque(1) << 40, opaque(1) << 40), "calloc(2^40, 2^40)");

    /* A failed realloc leaves the old block alone. */
    char *p = malloc(32);
    if (p == NULL) {
        fprintf(stderr, "out_of_memory: malloc(32) failed\n");
        return 1;
    }
    strcpy(p, "still here");
    errno = 0;
    char *r = realloc(p, max);
    expect_enomem(r, "realloc(p, SIZE_MAX)");
    if (r == NULL) {
        /* GCC cannot tell that p lives on when realloc fails. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuse-after-free"
        if (strcmp(p, "still here") != 0) {
            fprintf(stderr, "out_of_memory: a failed realloc changed the block\n");
            failures++;
        }
        free(p);
#pragma GCC diagnostic pop
    } else {
        free(r);
    }

    /* And the allocator still works afterwards. */
    void *q = malloc(100);
    if (q == NULL) {
        fprintf(stderr, "out_of_memory: malloc(100) failed after the failures\n");
        failures++;
    }
    free(q);

    if (failures != 0)
        return 1;
    printf("out_of_memory: ok\n");
    return 0;
}
