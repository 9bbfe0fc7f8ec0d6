/* metadata_figure.c: builds two heaps of 200,000 blocks (16..127 bytes, and 16..4095 bytes, log-uniform), frees every third block, and prints the allocator's metadata figures from malloc_stats for each.
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

static int workload(const char *name, unsigned top)
{
    static void *blocks[BLOCKS];
    size_t requested = 0, live = 0;
    for (int i = 0; i < BLOCKS; i++) {
        size_t size = random_size(top);
        blocks[i] = malloc(size);
        if (blocks[i] == NULL) {
            fprintf(stderr, "metadata_figure: malloc(%zu) failed\n", size);
            return 1;
        }
        memset(blocks[i], 1, size);
        if (i % 3 == 0) {
            free(blocks[i]);
            blocks[i] = NULL;
        } else {
            requested += size;
            live++;
        }
    }
    printf("workload %s: %zu live blocks, %zu bytes requested (%.1f per block)\n",
           name, live, requested, (double)requested / (double)live);

    if (getenv("OBB_EXPECT_OURS") != NULL) {
        /* malloc_stats writes to standard error: catch it in a file. */
        char name[] = "metadata_figure.XXXXXX";
        int fd = mkstemp(name);
        if (fd < 0)
            return 1;
        fflush(stdout);
        fflush(stderr);
        int saved = dup(2);
        dup2(fd, 2);
        malloc_stats();
        dup2(saved, 2);
        close(saved);
        char text[8192];
        ssize_t n = pread(fd, text, sizeof text - 1, 0);
        close(fd);
        unlink(name);
        if (n <= 0) {
            fprintf(stderr, "metadata_figure: malloc_stats printed nothing\n");
            return 1;
        }
        text[n] = '\0';
        int found = 0;
        for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n"))
            if (strstr(line, "live blocks") != NULL || strstr(line, "metadata") != NULL) {
                puts(line);
                found++;
            }
        if (found < 3) {
            fprintf(stderr, "metadata_figure: no metadata lines in malloc_stats output\n");
            return 1;
        }
    }
    fflush(stdout);
    for (int i = 0; i < BLOCKS; i++)
        free(blocks[i]);
    return 0;
}

/* Each workload runs in a child of its own, so that each starts from an empty heap. */
int main(void)
{
    static const struct { const char *name; unsigned top; } workloads[] = {
        { "16..127 bytes", 7 },
        { "16..4095 bytes", 12 },
    };
    for (int i = 0; i < 2; i++) {
        fflush(stdout);
        pid_t child = fork();
        if (child == 0)
            _exit(workload(workloads[i].name, workloads[i].top));
        int status;
        if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "metadata_figure: workload %s failed\n", workloads[i].name);
            return 1;
        }
    }
    return 0;
}
