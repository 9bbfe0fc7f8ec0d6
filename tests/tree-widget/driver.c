/* driver.c: the chapter's own tree, run natively, as the reference for the widget.
 *
 * Built with gcc from a chapter snapshot's tree.c and diagnostics.c (tests/tree-widget.test.ts),
 * it reads operations on a region of 2^ORDER bytes from stdin, one a line:
 *     m SIZE           malloc
 *     f OFFSET         free (OFFSET from the region's start)
 *     r OFFSET SIZE    realloc, as the chapter's obb_arena_realloc does it
 * and prints, for each, the result (an offset, or -1), the tree's verdict and the nibbles
 * in hex, one byte after another: the lines the WebAssembly build must print too.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static unsigned char region[4096] __attribute__((aligned(4096)));
static unsigned char nodes[4096 >> OBB_MIN_ORDER];
static struct obb_tree tree;

static long offset_of_pointer(const void *p)
{
    return p == NULL ? -1 : (long)((const unsigned char *)p - region);
}

/* The library's realloc without the lock: the same block if it is big enough, else a new
   one, the bytes copied and the old one freed. */
static long tree_realloc(unsigned long offset, size_t size, enum obb_verdict *v)
{
    size_t have = 0;
    *v = obb_tree_find(&tree, region + offset, &have);
    if (*v != OBB_VALID)
        return -1;
    if (size <= have)
        return (long)offset;
    void *q = obb_tree_alloc(&tree, size);
    if (q == NULL)
        return -1;
    memcpy(q, region + offset, have);
    *v = obb_tree_free(&tree, region + offset);
    return offset_of_pointer(q);
}

static void print_nodes(void)
{
    for (size_t i = 0; i < obb_tree_bytes(tree.order); i++)
        printf("%02x", nodes[i]);
    putchar('\n');
}

int main(int argc, char **argv)
{
    unsigned order = argc > 1 ? (unsigned)atoi(argv[1]) : 8;
    if (order < 8 || order > 12) {
        fprintf(stderr, "driver: ORDER must be 8 to 12\n");
        return 2;
    }
    obb_tree_init(&tree, region, order, nodes);
    setvbuf(stdout, NULL, _IOLBF, 0);   /* a line per call: the test talks to it call by call */
    char op;
    unsigned long a, b;
    char line[128];
    while (fgets(line, sizeof line, stdin) != NULL) {
        enum obb_verdict v = OBB_VALID;
        long result;
        if (sscanf(line, "m %lu", &a) == 1) {
            result = offset_of_pointer(obb_tree_alloc(&tree, a));
        } else if (sscanf(line, "f %lu", &a) == 1) {
            v = obb_tree_free(&tree, region + a);
            result = 0;
        } else if (sscanf(line, "r %lu %lu", &a, &b) == 2) {
            result = tree_realloc(a, b, &v);
        } else if (sscanf(line, " %c", &op) != 1) {
            continue;
        } else {
            fprintf(stderr, "driver: cannot read %s", line);
            return 2;
        }
        printf("%ld %d %s ", result, (int)v, obb_verdict_text(v));
        print_nodes();
    }
    return 0;
}
