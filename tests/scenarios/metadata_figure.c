/* metadata_figure.c: builds three heaps of 200,000 blocks and prints the allocator's
 * metadata figures from malloc_stats for each: sizes log-uniform from 16 to 127 bytes
 * and from 16 to 4,095 bytes with every third block freed as soon as it is allocated
 * (a heap that churns: later requests reuse the holes), and 16 to 127 bytes with every
 * third block freed after all are allocated (holes that stay). Under our library it
 * checks that the counts malloc_stats reports are the ones the program computed: the
 * live blocks, the bytes in them (each request rounded up to a power of two, at least
 * 16), and the per-block figure derived from the nodes in use.
 * since: one-byte-a-block
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "stats.h"

#define BLOCKS 200000

static uint64_t state = 88172645463325252u;
static uint64_t next_random(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* Log-uniform from 16 up to 2^top - 1: as many blocks of 16-31 bytes as of 32-63, ... */
static size_t random_size(unsigned top)
{
    unsigned k = 4 + (unsigned)(next_random() % (top - 4));
    size_t low = (size_t)1 << k;
    return low + (size_t)(next_random() % low);
}

/* The block a buddy allocator with 16-byte leaves gives for size bytes. */
static size_t block_of(size_t size)
{
    size_t block = 16;
    while (block < size)
        block *= 2;
    return block;
}

struct figures {
    size_t live, block_bytes, nodes, in_use_bytes;
    char per_block[32];   /* "in use N.NN" as printed */
};

/* Reads our malloc_stats lines: prints them, and fills *f. */
static int read_stats(char *text, struct figures *f)
{
    int found = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strstr(line, "live blocks") == NULL && strstr(line, "metadata") == NULL)
            continue;
        puts(line);
        found += sscanf(line, "obb: live blocks %zu, bytes in them %zu", &f->live,
                        &f->block_bytes) == 2;
        found += sscanf(line, "obb: metadata in use %zu bytes (%zu nodes)",
                        &f->in_use_bytes, &f->nodes) == 2;
        found += sscanf(line, "obb: metadata per live block: in use %31[0-9.]",
                        f->per_block) == 1;
    }
    return found == 3 ? 0 : -1;
}

/* Our report, checked against what this program knows it holds. */
static int check_ours(size_t live, size_t block_bytes)
{
    char *text = capture_malloc_stats();
    if (text == NULL) {
        fprintf(stderr, "metadata_figure: malloc_stats printed nothing\n");
        return 1;
    }
    struct figures f = { 0 };
    if (read_stats(text, &f) != 0) {
        fprintf(stderr, "metadata_figure: malloc_stats has no metadata lines\n");
        return 1;
    }
    char expected[32];
    size_t hundredths = ((f.nodes + 1) / 2 * 100 + live / 2) / live;
    snprintf(expected, sizeof expected, "%zu.%02zu", hundredths / 100, hundredths % 100);
    if (f.live != live || f.block_bytes != block_bytes ||
        f.in_use_bytes != (f.nodes + 1) / 2 || strcmp(f.per_block, expected) != 0 ||
        f.nodes < 2 * live - 1) {
        fprintf(stderr, "metadata_figure: malloc_stats says %zu blocks of %zu bytes, "
                "%zu nodes, %s a block; the program holds %zu blocks of %zu bytes "
                "(%s a block)\n", f.live, f.block_bytes, f.nodes, f.per_block, live,
                block_bytes, expected);
        return 1;
    }
    return 0;
}

static int workload(const char *name, unsigned top, int free_at_end)
{
    static void *blocks[BLOCKS];
    size_t requested = 0, live = 0, block_bytes = 0;
    for (int i = 0; i < BLOCKS; i++) {
        size_t size = random_size(top);
        blocks[i] = malloc(size);
        if (blocks[i] == NULL) {
            fprintf(stderr, "metadata_figure: malloc(%zu) failed\n", size);
            return 1;
        }
        memset(blocks[i], 1, size);
        if (i % 3 == 0 && !free_at_end) {
            free(blocks[i]);
            blocks[i] = NULL;
        } else if (i % 3 != 0) {
            requested += size;
            block_bytes += block_of(size);
            live++;
        }
    }
    for (int i = 0; free_at_end && i < BLOCKS; i += 3) {
        free(blocks[i]);
        blocks[i] = NULL;
    }
    printf("workload %s: %zu live blocks, %zu bytes requested (%.1f per block)\n",
           name, live, requested, (double)requested / (double)live);
    if (getenv("OBB_EXPECT_OURS") != NULL && check_ours(live, block_bytes) != 0)
        return 1;
    fflush(stdout);
    for (int i = 0; i < BLOCKS; i++)
        free(blocks[i]);
    return 0;
}

/* Each workload runs in a child of its own, so that each starts from an empty heap. */
int main(void)
{
    /* stdout's buffer is static, so that the program's only blocks are its own. */
    static char out[BUFSIZ];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    static const struct { const char *name; unsigned top; int free_at_end; } workloads[] = {
        { "16..127 bytes, every third freed at once", 7, 0 },
        { "16..4095 bytes, every third freed at once", 12, 0 },
        { "16..127 bytes, every third freed at the end", 7, 1 },
    };
    for (int i = 0; i < 3; i++) {
        fflush(stdout);
        pid_t child = fork();
        if (child == 0)
            _exit(workload(workloads[i].name, workloads[i].top, workloads[i].free_at_end));
        int status;
        if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "metadata_figure: workload %s failed\n", workloads[i].name);
            return 1;
        }
    }
    return 0;
}
