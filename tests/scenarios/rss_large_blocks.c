/* rss_large_blocks.c: 512 MiB in 8 MiB blocks, every page written, then all freed: the resident set comes back within 16 MiB of where it started.
 * since: regions-and-big-blocks
 */
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
        fprintf(stderr, "rss_large_blocks: cannot read /proc/self/statm\n");
        exit(1);
    }
    fclose(f);
    return pages * (size_t)sysconf(_SC_PAGESIZE);
}

int main(void)
{
    enum { COUNT = 64, BLOCK = 8 << 20 };
    static char *blocks[COUNT];
    size_t start = resident();
    for (int i = 0; i < COUNT; i++) {
        blocks[i] = malloc(BLOCK);
        if (blocks[i] == NULL) {
            fprintf(stderr, "rss_large_blocks: malloc failed\n");
            return 1;
        }
        memset(blocks[i], i + 1, BLOCK);
    }
    size_t peak = resident();
    for (int i = 0; i < COUNT; i++)
        free(blocks[i]);
    size_t end = resident();
    printf("resident: start %zu MiB, peak %zu MiB, end %zu MiB\n", start >> 20, peak >> 20, end >> 20);
    if (peak < start + ((size_t)400 << 20)) {
        fprintf(stderr, "rss_large_blocks: the blocks were never resident?\n");
        return 1;
    }
    if (end > start + ((size_t)16 << 20)) {
        fprintf(stderr, "rss_large_blocks: %zu MiB still resident after free\n", (end - start) >> 20);
        return 1;
    }
    return 0;
}
