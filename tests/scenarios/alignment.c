/* alignment.c: every block malloc, calloc and realloc return, for every size
 * from 0 to 4096 and some large ones, is 16-byte aligned and fully writable.
 * since: pages-from-the-kernel
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(const char *what, size_t size)
{
    fprintf(stderr, "alignment: %s (size %zu)\n", what, size);
    exit(1);
}

static void check_block(void *p, size_t size, const char *who)
{
    if (p == NULL)
        fail(who, size);
    if ((uintptr_t)p % 16 != 0)
        fail("block is not 16-byte aligned", size);
    memset(p, 0x5a, size);   /* the whole block must be ours to write */
}

int main(void)
{
    enum { COUNT = 4097 };
    static void *blocks[COUNT];
    for (size_t size = 0; size < COUNT; size++) {
        blocks[size] = malloc(size);
        if (size == 0 && blocks[size] == NULL)
            continue;   /* malloc(0) may return NULL */
        check_block(blocks[size], size, "malloc returned NULL");
    }
    for (size_t size = 0; size < COUNT; size++)
        free(blocks[size]);

    for (size_t size = 1; size < COUNT; size += 37) {
        void *p = calloc(1, size);
        check_block(p, size, "calloc returned NULL");
        void *q = realloc(p, size * 3);
        check_block(q, size * 3, "realloc returned NULL");
        free(q);
    }

    size_t large[] = { 100000, 1 << 20, (1 << 20) + 1, 3 << 20, 70 << 20 };
    for (size_t i = 0; i < sizeof large / sizeof large[0]; i++) {
        void *p = malloc(large[i]);
        check_block(p, large[i], "large malloc returned NULL");
        free(p);
    }
    printf("alignment: ok\n");
    return 0;
}
