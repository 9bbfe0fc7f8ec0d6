/* threads_bump.c: eight threads allocate 20,000 blocks each at the same time
 * and fill each with their own mark; no two blocks overlap.
 * since: pages-from-the-kernel
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 8, BLOCKS = 20000 };

struct job {
    int id;
    unsigned char *blocks[BLOCKS];
    size_t sizes[BLOCKS];
};

static struct job jobs[THREADS];

static void *work(void *arg)
{
    struct job *job = arg;
    uint32_t x = 2463534242u + (uint32_t)job->id;   /* xorshift32 */
    for (int i = 0; i < BLOCKS; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        size_t size = 1 + x % 512;
        unsigned char *p = malloc(size);
        if (p == NULL || (uintptr_t)p % 16 != 0) {
            fprintf(stderr, "threads_bump: thread %d: bad block of %zu\n", job->id, size);
            exit(1);
        }
        memset(p, job->id + 1, size);
        job->blocks[i] = p;
        job->sizes[i] = size;
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t].id = t;
        if (pthread_create(&threads[t], NULL, work, &jobs[t]) != 0) {
            fprintf(stderr, "threads_bump: pthread_create failed\n");
            return 1;
        }
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);

    /* Had two threads been given overlapping memory, the later memset would
     * have overwritten the earlier thread's mark. */
    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < BLOCKS; i++) {
            for (size_t j = 0; j < jobs[t].sizes[i]; j++) {
                if (jobs[t].blocks[i][j] != t + 1) {
                    fprintf(stderr, "threads_bump: thread %d's block %d was overwritten\n", t, i);
                    return 1;
                }
            }
            free(jobs[t].blocks[i]);
        }
    }
    printf("threads_bump: ok\n");
    return 0;
}
