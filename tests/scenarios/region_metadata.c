/* region_metadata.c: a region's own metadata (its tree's nodes at the region's base, its header 256 KiB in) is no block: free, realloc and malloc_usable_size of either end the program with SIGABRT and our one line naming the pointer. The addresses are found from a block the program holds, as a hostile program would.
 * since: regions-and-big-blocks
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "misuse.h"

#define REGION_SIZE ((uintptr_t)4 << 20)
#define HEADER_OFFSET ((uintptr_t)256 << 10)

static void run(int which)
{
    char *p = malloc(64);
    memset(p, 0, 64);
    char *base = (char *)((uintptr_t)p & ~(REGION_SIZE - 1));
    char *header = base + HEADER_OFFSET;
    size_t n = 0;
    switch (which) {
    case 0: note(base); free(opaque(base)); break;
    case 1: note(header); free(opaque(header)); break;
    case 2: note(base); n = malloc_usable_size(opaque(base)); break;
    case 3: note(header); n = malloc_usable_size(opaque(header)); break;
    case 4: note(base); p = realloc(opaque(base), 16); break;
    case 5: note(header); p = realloc(opaque(header), 100000); break;
    }
    dprintf(2, "usable size %zu, realloc %p\n", n, (void *)p);
}

int main(void)
{
    static const char *names[] = {
        "free of the nodes", "free of the header", "usable size of the nodes",
        "usable size of the header", "realloc of the nodes", "realloc of the header",
    };
    if (getenv("OBB_EXPECT_OURS") == NULL) {
        puts("region_metadata: the addresses it misuses are this library's; not run on another malloc");
        return 0;
    }
    int failures = 0;
    for (int which = 0; which < 6; which++)
        failures += expect_abort("region_metadata", names[which], run, which, 1);
    return failures != 0;
}
