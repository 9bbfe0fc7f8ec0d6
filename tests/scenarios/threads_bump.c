/* threads_bump.c: eight threads allocate 20,000 blocks each at the same time
 * and fill each block with a mark of its own; no two blocks overlap, of the
 * same thread or of two.
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

/* Byte j of block i of thread t: a hash, so that two blocks given overlapping
 * memory, even by one thread, cannot both keep their marks. */
static unsigned char mark(int t, int i, size_t j)
{
    uint32_t x = (uint32_t)t * 2654435761u ^ (uint32_t)i * 2246822519u ^ (uint32_t)j * 3266489917u;
    x ^= x >> 15;
    x *= 2246822519u;
    x ^= x >> 13;
    return (unsigned char)x;
}

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
        for (size_t j = 0; j < size; j++)
            p[j] = mark(job->id, i, j);
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

    /* Had two blocks been given overlapping memory, the later one's marks
     * would have overwritten the earlier one's. */
    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < BLOCKS; i++) {
            for (size_t j = 0; j < jobs[t].sizes[i]; j++) {
                if (jobs[t].blocks[i][j] != mark(t, i, j)) {
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
