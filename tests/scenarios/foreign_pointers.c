/* foreign_pointers.c: free, realloc and malloc_usable_size of pointers into memory this malloc never had (a block of glibc's own heap from __libc_malloc, pages from mmap, a mapping aligned to 4 MiB as chapter 05's regions are, a static array) end the program with SIGABRT and one line on stderr naming the pointer and saying it was "not allocated by this malloc": found from the address alone, without reading the memory before it.
 * since: buddies
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "misuse.h"

/* glibc's own malloc, which a preloaded malloc does not replace. */
extern void *__libc_malloc(size_t size);

#define FOUR_MIB ((size_t)4 << 20)

static _Alignas(64) unsigned char static_bytes[256];

static const char *const calls[] = { "free", "realloc", "malloc_usable_size" };
#define NCALLS 3

static const char *const names[] = {
    "glibc's heap", "an mmap page", "an mmap page + 16", "a 4 MiB-aligned mapping",
    "a 4 MiB-aligned mapping + 16", "a static array + 16",
};
#define NTARGETS (sizeof names / sizeof names[0])

static unsigned char *targets[NTARGETS];

/* which = target * NCALLS + call */
static void misuse(int which)
{
    unsigned char *p = targets[which / NCALLS];
    note(p);
    switch (which % NCALLS) {
    case 0: free(opaque(p)); break;
    case 1: p = realloc(opaque(p), 100); break;
    case 2: dprintf(2, "usable %zu\n", malloc_usable_size(opaque(p))); break;
    }
}

/* A mapping of 4 MiB starting at a multiple of 4 MiB. */
static unsigned char *aligned_mapping(void)
{
    unsigned char *p = mmap(NULL, 2 * FOUR_MIB, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    unsigned char *start = p + (-(uintptr_t)p & (FOUR_MIB - 1));
    /* Not zeros: something a careless check might read as a header. */
    memset(start, 0x11, 4096);
    return start;
}

int main(void)
{
    /* Our heap exists, so that each check has regions and tables to look in. */
    void *ours = opaque(malloc(100));
    memset(ours, 0, 100);
    unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *region_like = aligned_mapping();
    unsigned char *glibc = __libc_malloc(100);
    if (page == MAP_FAILED || region_like == NULL || glibc == NULL) {
        fprintf(stderr, "foreign_pointers: could not make the foreign memory\n");
        return 1;
    }
    memset(glibc, 0x22, 100);
    memset(page, 0x33, 4096);
    memset(static_bytes, 0x44, sizeof static_bytes);
    unsigned char *list[NTARGETS] = {
        glibc, page, page + 16, region_like, region_like + 16, static_bytes + 16,
    };
    memcpy(targets, list, sizeof list);

    must_say = "not allocated by this malloc";
    int failures = 0;
    for (int which = 0; which < (int)(NTARGETS * NCALLS); which++) {
        char name[80];
        snprintf(name, sizeof name, "%s: %s", names[which / NCALLS], calls[which % NCALLS]);
        failures += expect_abort("foreign_pointers", name, misuse, which, 0);
    }
    free(opaque(ours));
    return failures != 0;
}
