/* large_underflow.c: a write just before a large block (an underflow, the classic bug of an index that reaches -1) does not change what the allocator believes about the block: malloc_usable_size stays the same, free unmaps the block and nothing else, and every other block keeps its contents. Each of the 8 words before the block is tried in a child process.
 * since: one-byte-a-block
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum { SMALL = 64, LARGE = 8 };

/* Is the page holding p mapped? Before a block there may be nothing at all. */
static int mapped(const void *p)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char vec;
    return mincore((void *)((uintptr_t)p & ~(uintptr_t)(page - 1)), page, &vec) == 0;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 31 + i * 7);
}

static int intact(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed * 31 + i * 7))
            return 0;
    return 1;
}

/* In a child: write to the word `back` words before a large block, free it. */
static int underflow(int back)
{
    unsigned char *small[SMALL], *large[LARGE];
    size_t large_size[LARGE];
    for (int i = 0; i < SMALL; i++)
        fill(small[i] = malloc(1000), 1000, (unsigned)i);
    for (int i = 0; i < LARGE; i++) {
        large_size[i] = ((size_t)1 << 20) + (size_t)i * 40000;
        fill(large[i] = malloc(large_size[i]), large_size[i], (unsigned)i);
    }
    size_t size = ((size_t)3 << 20) / 2;
    unsigned char *block = malloc(size);
    fill(block, size, 99);
    size_t usable = malloc_usable_size(block);
    void *volatile hidden = block;   /* GCC rightly warns about what follows */
    size_t *word = (size_t *)hidden - back;
    size_t saved = 0;
    int reachable = mapped(word);
    if (reachable) {   /* a size 4 MiB bigger, or a pointer 4 MiB further */
        saved = *word;
        *word = saved + ((size_t)4 << 20);
    }
    if (malloc_usable_size(block) != usable) {
        fprintf(stderr, "large_underflow: word -%d: usable size %zu, was %zu\n", back,
                malloc_usable_size(block), usable);
        return 1;
    }
    free(block);
    if (reachable && mapped(word))
        *word = saved;   /* the program's own memory: put it back */
    for (int i = 0; i < SMALL; i++)
        if (!intact(small[i], 1000, (unsigned)i)) {
            fprintf(stderr, "large_underflow: word -%d: small block %d changed\n", back, i);
            return 1;
        }
    for (int i = 0; i < LARGE; i++)
        if (!intact(large[i], large_size[i], (unsigned)i)) {
            fprintf(stderr, "large_underflow: word -%d: large block %d changed\n", back, i);
            return 1;
        }
    for (int i = 0; i < SMALL; i++)
        free(small[i]);
    for (int i = 0; i < LARGE; i++)
        free(large[i]);
    return 0;
}

int main(void)
{
    int failures = 0;
    for (int back = 1; back <= 8; back++) {
        fflush(stdout);
        pid_t child = fork();
        if (child == 0)
            _exit(underflow(back));
        int status;
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "large_underflow: word -%d before the block: the child %s %d\n", back,
                    WIFSIGNALED(status) ? "died of signal" : "exited with", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            failures++;
        }
    }
    if (failures != 0)
        return 1;
    puts("large_underflow: ok");
    return 0;
}
