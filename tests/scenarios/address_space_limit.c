/* address_space_limit.c: the allocator works under a limit on address space
 * (RLIMIT_AS, what `ulimit -v 100000` sets), which counts every mapping,
 * reserved or not. With the limit at 100,000 KiB, set by the program itself
 * before its first malloc: a few thousand blocks of every size, small and
 * large, written, resized and freed; then allocation until the limit is
 * reached, which must end in NULL with errno ENOMEM; then, with everything
 * freed, the same work again.
 * since: regions-and-big-blocks
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

enum { LIMIT_KIB = 100000, BLOCKS = 4000, HOARD = 1 << 16 };

static void fail(const char *what)
{
    fprintf(stderr, "address_space_limit: %s\n", what);
    exit(1);
}

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Sizes from 1 byte to 1 MiB, most of them small. */
static size_t size_from(uint64_t r)
{
    unsigned shift = (unsigned)(r % 21);
    return 1 + (size_t)((r >> 8) & (((uint64_t)1 << shift) - 1));
}

static void fill(unsigned char *p, size_t n, unsigned char tag)
{
    memset(p, tag, n);
}

static void check(const unsigned char *p, size_t n, unsigned char tag)
{
    for (size_t i = 0; i < n; i += 1 + i / 8)
        if (p[i] != tag)
            fail("a block lost its contents");
}

/* Allocate, grow, check and free blocks of every size: at most ~30 MB. */
static void work(uint64_t seed)
{
    static unsigned char *blocks[BLOCKS];
    static size_t sizes[BLOCKS];
    uint64_t x = seed;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < BLOCKS; i++) {
            size_t n = size_from(next(&x));
            if (i % 64 != 0 && n > 4096)
                n = 1 + n % 4096;   /* a few big ones, many small */
            blocks[i] = malloc(n);
            if (blocks[i] == NULL)
                fail("malloc failed well inside the limit");
            sizes[i] = n;
            fill(blocks[i], n, (unsigned char)i);
        }
        for (int i = 0; i < BLOCKS; i += 3) {
            size_t n = sizes[i] + sizes[i] / 2 + 1;
            unsigned char *q = realloc(blocks[i], n);
            if (q == NULL)
                fail("realloc failed well inside the limit");
            check(q, sizes[i], (unsigned char)i);
            fill(q, n, (unsigned char)i);
            blocks[i] = q;
            sizes[i] = n;
        }
        for (int i = 0; i < BLOCKS; i++) {
            check(blocks[i], sizes[i], (unsigned char)i);
            free(blocks[i]);
        }
    }
}

/* Allocate 64 KiB blocks until malloc says no; it must say ENOMEM. */
static void exhaust(void)
{
    static void *hoard[HOARD];
    int n = 0;
    for (; n < HOARD; n++) {
        errno = 0;
        hoard[n] = malloc(64 * 1024);
        if (hoard[n] == NULL)
            break;
        memset(hoard[n], 1, 64);
    }
    if (n == HOARD)
        fail("4 GiB allocated under a limit of 100 MB");
    if (errno != ENOMEM)
        fail("malloc failed at the limit without errno ENOMEM");
    if (n < 256)
        fail("the limit was reached after less than 16 MiB");
    int reached = n;
    while (n-- > 0)
        free(hoard[n]);
    printf("address_space_limit: %d blocks of 64 KiB before ENOMEM\n",
           reached);
}

int main(void)
{
    struct rlimit limit = { LIMIT_KIB * 1024L, LIMIT_KIB * 1024L };
    if (setrlimit(RLIMIT_AS, &limit) != 0)
        fail("setrlimit failed");
    work(1);
    exhaust();
    work(2);
    return 0;
}
