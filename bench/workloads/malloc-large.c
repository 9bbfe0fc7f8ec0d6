/* malloc-large.c: big blocks, few of them live, in the spirit of mimalloc's
 * malloc-large test.
 *
 * Eight slots hold blocks of 5 to 25 MiB.  Each step frees the block in a
 * random slot and allocates a new one of a random size, writing one word on
 * every page of it, as a program filling a buffer would.  Requests this big
 * are usually passed straight to the kernel as their own mappings, so the
 * test measures what an allocator does with them: map and unmap every time,
 * or keep some around for the next request.
 *
 * usage: malloc-large [steps (default 400)]
 */
#include "common.h"

#define SLOTS 8
#define MIB ((size_t)1 << 20)
#define PAGE 4096

struct slot {
    unsigned char *p;
    size_t n;
    uint64_t stamp;
};

static void touch(struct slot *s)
{
    for (size_t off = 0; off < s->n; off += PAGE)
        memcpy(s->p + off, &s->stamp, sizeof s->stamp);
    s->p[s->n - 1] = (unsigned char)s->stamp;
}

static uint64_t verify(const struct slot *s)
{
    /* Every page checked would double the work; the first, the last and one
     * in the middle catch a block that moved or overlaps another. */
    size_t pages = (s->n + PAGE - 1) / PAGE;
    size_t probe[3] = {0, (pages / 2) * PAGE, (pages - 1) * PAGE};
    for (int i = 0; i < 3; i++) {
        uint64_t v;
        memcpy(&v, s->p + probe[i], sizeof v);
        if (v != s->stamp)
            die("large block %p lost page %zu", (void *)s->p, probe[i] / PAGE);
    }
    if (s->p[s->n - 1] != (unsigned char)s->stamp)
        die("large block %p lost its last byte", (void *)s->p);
    return mix(s->stamp, s->n);
}

int main(int argc, char **argv)
{
    bench_start();
    long steps = param(argc, argv, 1, "OBB_BENCH_SIZE", 400);
    uint64_t seed = 0x1a46e;
    uint64_t sum = 0;
    struct slot slots[SLOTS] = {{0}};
    for (long i = 0; i < steps; i++) {
        struct slot *s = &slots[rng_below(&seed, SLOTS)];
        if (s->p != NULL) {
            sum += verify(s);
            xfree(s->p, s->n);
        }
        /* A multiple of 16, so the last page's stamp never covers the last byte. */
        s->n = (5 * MIB + rng_below(&seed, 20 * MIB + 1)) & ~(size_t)15;
        s->stamp = rng_next(&seed);
        s->p = xmalloc(s->n);
        touch(s);
    }
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].p != NULL) {
            sum += verify(&slots[i]);
            xfree(slots[i].p, slots[i].n);
        }
    bench_report(sum);
    return 0;
}
