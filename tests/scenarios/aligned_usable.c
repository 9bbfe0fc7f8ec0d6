/* aligned_usable.c: posix_memalign, aligned_alloc, memalign, valloc and pvalloc give aligned, writable blocks for alignments from 16 B to 4 MiB; malloc_usable_size covers the request and all of it is writable without touching a neighbour; free(NULL) is a no-op and free preserves errno.
 * since: pages-from-the-kernel
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fail(const char *what, size_t a, size_t n, void *p)
{
    fprintf(stderr, "aligned_usable: %s (alignment %zu, size %zu, pointer %p)\n", what, a, n, p);
    exit(1);
}

/* Fill all usable bytes of p; check the request is covered. */
static void use_all(void *p, size_t a, size_t n)
{
    if (p == NULL)
        fail("allocation failed", a, n, p);
    if (a != 0 && (uintptr_t)p % a != 0)
        fail("misaligned", a, n, p);
    size_t usable = malloc_usable_size(p);
    if (usable < n)
        fail("malloc_usable_size below the request", a, n, p);
    memset(p, 0x77, usable);
}

int main(void)
{
    static const size_t sizes[] = { 1, 16, 100, 4096, 5000, 300000, 5 << 20 };
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t a = 16; a <= ((size_t)4 << 20); a *= 2) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            size_t n = sizes[i];
            void *p = NULL;
            if (posix_memalign(&p, a, n) != 0)
                fail("posix_memalign failed", a, n, p);
            use_all(p, a, n);
            void *q = aligned_alloc(a, n);
            use_all(q, a, n);
            void *r = memalign(a, n);
            use_all(r, a, n);
            free(p);
            free(q);
            free(r);
        }
    }
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        void *v = valloc(n);
        use_all(v, page, n);
        void *pv = pvalloc(n);
        use_all(pv, page, (n + page - 1) / page * page);
        free(v);
        free(pv);
    }
    /* Neighbours: fill every usable byte of each block, then check all of them. */
    enum { COUNT = 3000 };
    static unsigned char *blocks[COUNT];
    static size_t usable[COUNT];
    for (int i = 0; i < COUNT; i++) {
        size_t n = (size_t)(i * 37 % 5000) + (i % 100 == 0 ? 400000 : 0);
        blocks[i] = malloc(n);
        if (blocks[i] == NULL)
            fail("malloc failed", 0, n, NULL);
        usable[i] = malloc_usable_size(blocks[i]);
        if (usable[i] < n)
            fail("malloc_usable_size below the request", 0, n, blocks[i]);
        memset(blocks[i], i & 0xff, usable[i]);
    }
    for (int i = 0; i < COUNT; i++) {
        for (size_t b = 0; b < usable[i]; b++)
            if (blocks[i][b] != (i & 0xff))
                fail("a neighbour overwrote usable bytes", 0, usable[i], blocks[i]);
        free(blocks[i]);
    }
    if (malloc_usable_size(NULL) != 0)
        fail("malloc_usable_size(NULL) is not 0", 0, 0, NULL);
    /* free(NULL), and errno across free of small and large blocks. */
    errno = 1234;
    free(NULL);
    void *small = malloc(10), *large = malloc(3 << 20);
    errno = 1234;
    free(small);
    free(large);
    if (errno != 1234)
        fail("free changed errno", 0, 0, NULL);
    puts("aligned_usable: ok");
    return 0;
}
