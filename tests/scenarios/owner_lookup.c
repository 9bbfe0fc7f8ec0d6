/* owner_lookup.c: finds the arena that owns a pointer two ways, by scanning
 * every arena's regions (what the original allocator did) and by one load from
 * a table indexed by the address (chapter 05's region table, which chapter 07
 * uses), checks both agree, and prints nanoseconds per lookup as the number of
 * arenas grows. A model of the heap, not the library: it runs the same with
 * any malloc.
 * since: an-arena-per-thread
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define REGION_ORDER 22                       /* 4 MiB regions, as in chapter 05 */
#define REGION_BYTES ((uintptr_t)1 << REGION_ORDER)
#define ADDRESS_BITS 47                       /* user space on x86-64 */
enum { REGIONS_PER_ARENA = 8, LOOKUPS = 1 << 20 };

struct model_arena;
struct model_region {
    struct model_arena *arena;              /* whose lock guards the region */
    struct model_region *next;              /* the list the scan walks */
};

/* One slot per region-sized piece of the address space, as in chapter 05. */
static struct model_region **table;
struct model_arena {
    struct model_region *regions;
};

static struct model_arena *owner_by_scan(struct model_arena *arenas, int count, uintptr_t p)
{
    for (int a = 0; a < count; a++)
        for (struct model_region *r = arenas[a].regions; r != NULL; r = r->next)
            if (p - (uintptr_t)r < REGION_BYTES)
                return &arenas[a];
    return NULL;
}

static struct model_arena *owner_by_table(uintptr_t p)
{
    return table[p >> REGION_ORDER]->arena;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int measure(int count)
{
    size_t regions = (size_t)count * REGIONS_PER_ARENA;
    size_t bytes = (regions + 1) * REGION_BYTES;
    char *space = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    struct model_arena *arenas = calloc((size_t)count, sizeof *arenas);
    uintptr_t *pointers = malloc(LOOKUPS * sizeof *pointers);
    if (space == MAP_FAILED || arenas == NULL || pointers == NULL) {
        fprintf(stderr, "owner_lookup: out of memory\n");
        return 1;
    }
    uintptr_t base = ((uintptr_t)space + REGION_BYTES - 1) & ~(REGION_BYTES - 1);
    if (table == NULL) {
        table = mmap(NULL, sizeof *table << (ADDRESS_BITS - REGION_ORDER), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (table == MAP_FAILED) {
            fprintf(stderr, "owner_lookup: cannot map the table\n");
            return 1;
        }
    }
    /* Region i belongs to arena i % count, as when threads take turns growing. */
    for (size_t i = 0; i < regions; i++) {
        struct model_region *r = (struct model_region *)(base + i * REGION_BYTES);
        struct model_arena *a = &arenas[i % (size_t)count];
        r->arena = a;
        table[(uintptr_t)r >> REGION_ORDER] = r;
        r->next = a->regions;
        a->regions = r;
    }
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < LOOKUPS; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        pointers[i] = base + (x % regions) * REGION_BYTES + 16 * ((x >> 40) % 65536);
    }
    for (int i = 0; i < LOOKUPS; i += 97)
        if (owner_by_scan(arenas, count, pointers[i]) != owner_by_table(pointers[i])) {
            fprintf(stderr, "owner_lookup: the two lookups disagree\n");
            return 1;
        }

    uintptr_t sink = 0;
    double t0 = seconds();
    for (int i = 0; i < LOOKUPS; i++)
        sink += (uintptr_t)owner_by_table(pointers[i]);
    double t1 = seconds();
    int scans = count >= 64 ? LOOKUPS / 64 : LOOKUPS;   /* keep the slow side short */
    for (int i = 0; i < scans; i++)
        sink += (uintptr_t)owner_by_scan(arenas, count, pointers[i]);
    double t2 = seconds();
    printf("%5d arenas, %5zu regions: scan %9.1f ns, table %5.1f ns per lookup%s\n",
           count, regions, (t2 - t1) * 1e9 / scans, (t1 - t0) * 1e9 / LOOKUPS,
           sink == 42 ? " " : "");
    for (size_t i = 0; i < regions; i++)
        table[(base + i * REGION_BYTES) >> REGION_ORDER] = NULL;
    munmap(space, bytes);
    free(arenas);
    free(pointers);
    return 0;
}

int main(void)
{
    static const int counts[] = {1, 8, 64, 512};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (measure(counts[i]) != 0)
            return 1;
    return 0;
}
