/* stale_after_memalign.c: a pointer already freed, whose memory an aligned allocation (memalign) has taken since at another address, is reported when passed to free, realloc or malloc_usable_size (chapter 03: the block's header still said "used", and the stale pointer freed the aligned block under the program's feet).
 * since: buddies
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "misuse.h"

/* A freed block of `size` bytes, then memalign(align, asked): in chapter
 * 03 the first two take the freed block itself and return an address
 * inside it; the last maps an aligned block elsewhere in every chapter. */
static const struct { size_t size, align, asked; } cases[] = {
    { 100, 32, 50 }, { 100, 64, 20 }, { 16, 4096, 16 },
};
#define NCASES (sizeof cases / sizeof cases[0])

static const char *const calls[] = { "free", "realloc", "malloc_usable_size" };
#define NCALLS (sizeof calls / sizeof calls[0])

static char *stale;     /* set by the parent before each child */

static void misuse(int call)
{
    note(stale);
    if (call == 0)
        free(opaque(stale));
    else if (call == 1)
        stale = realloc(opaque(stale), 10);
    else
        dprintf(2, "usable %zu\n", malloc_usable_size(opaque(stale)));
}

int main(void)
{
    /* Held throughout, so that the last case's stale block is not aligned to a page. */
    char *keep = opaque(malloc(16));
    memset(keep, 1, 16);
    int failures = 0;
    unsigned applied = 0;
    for (size_t i = 0; i < NCASES; i++) {
        stale = malloc(cases[i].size);
        memset(stale, 0x5a, cases[i].size);
        free(opaque(stale));
        char *q = memalign(cases[i].align, cases[i].asked);
        if (q == NULL) {
            fprintf(stderr, "memalign(%zu, %zu) failed\n", cases[i].align, cases[i].asked);
            return 1;
        }
        memset(q, 0, cases[i].asked);
        printf("case %zu: freed %p, memalign(%zu, %zu) returned %p\n", i, (void *)stale,
               cases[i].align, cases[i].asked, (void *)q);
        if (q != stale) {       /* the same address is a live pointer again */
            applied++;
            for (size_t c = 0; c < NCALLS; c++) {
                char name[80];
                snprintf(name, sizeof name, "case %zu: %s", i, calls[c]);
                failures += expect_abort("stale_after_memalign", name, misuse, (int)c, 0);
            }
        }
        free(q);
    }
    free(opaque(keep));
    /* The page-aligned case returns another address in every chapter. */
    if (applied == 0) {
        fprintf(stderr, "stale_after_memalign: no case left a stale pointer to try\n");
        return 1;
    }
    return failures != 0;
}
