/* rss_small_blocks.c: a million blocks of 16 to 1,024 bytes (over 500 MiB), every byte written, then all freed: the resident set comes back within 16 MiB of where it started (glibc needs malloc_trim for that; our library must do it by itself).
 * since: regions-and-big-blocks
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The resident set in bytes: the second number of /proc/self/statm, in pages. */
static size_t resident(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, pages = 0;
    if (f == NULL || fscanf(f, "%lu %lu", &size, &pages) != 2) {
        fprintf(stderr, "rss_small_blocks: cannot read /proc/self/statm\n");
        exit(1);
    }
    fclose(f);
    return pages * (size_t)sysconf(_SC_PAGESIZE);
}

int main(void)
{
    enum { COUNT = 1000000 };
    size_t start = resident();
    char **blocks = malloc(COUNT * sizeof *blocks);
    if (blocks == NULL)
        return 1;
    unsigned x = 12345;
    for (int i = 0; i < COUNT; i++) {
        x = x * 1103515245u + 12345u;
        size_t size = 16 + (x >> 8) % 1009;
        blocks[i] = malloc(size);
        if (blocks[i] == NULL) {
            fprintf(stderr, "rss_small_blocks: malloc failed\n");
            return 1;
        }
        memset(blocks[i], i & 0xff, size);
    }
    size_t peak = resident();
    for (int i = 0; i < COUNT; i++)
        free(blocks[i]);
    free(blocks);
    if (getenv("OBB_EXPECT_OURS") == NULL) {
        /* glibc keeps freed small chunks until asked. Looked up, not linked:
         * the program calls nothing that the library under test lacks. */
        int (*trim)(size_t) = (int (*)(size_t))dlsym(RTLD_DEFAULT, "malloc_trim");
        if (trim != NULL)
            trim(0);
    }
    size_t end = resident();
    printf("resident: start %zu MiB, peak %zu MiB, end %zu MiB\n", start >> 20, peak >> 20, end >> 20);
    if (peak < start + ((size_t)200 << 20)) {
        fprintf(stderr, "rss_small_blocks: the blocks were never resident?\n");
        return 1;
    }
    if (end > start + ((size_t)16 << 20)) {
        fprintf(stderr, "rss_small_blocks: %zu MiB still resident after free\n", (end - start) >> 20);
        return 1;
    }
    return 0;
}
