/* producer_consumer.c: producer threads allocate and fill blocks, consumer
 * threads check and free them, so every free happens on a thread other than
 * the one that allocated the block.
 * since: an-arena-per-thread
 * timeout: 120
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PRODUCERS = 4, CONSUMERS = 4, BLOCKS_EACH = 100000, QUEUE = 1024 };

struct item {
    unsigned char *p;
    size_t size;
    unsigned char tag;
    pthread_t producer;
};

static struct item queue[QUEUE];
static size_t head, tail, count;
static int producers_left = PRODUCERS;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;

static void fail(const char *what, const void *p, size_t size)
{
    fprintf(stderr, "producer_consumer: %s (block %p, %zu bytes)\n", what, p, size);
    exit(1);
}

static void put(struct item it)
{
    pthread_mutex_lock(&lock);
    while (count == QUEUE)
        pthread_cond_wait(&not_full, &lock);
    queue[tail] = it;
    tail = (tail + 1) % QUEUE;
    count++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&lock);
}

/* Returns 0 when every producer has finished and the queue is empty. */
static int take(struct item *it)
{
    pthread_mutex_lock(&lock);
    while (count == 0 && producers_left > 0)
        pthread_cond_wait(&not_empty, &lock);
    if (count == 0) {
        pthread_mutex_unlock(&lock);
        return 0;
    }
    *it = queue[head];
    head = (head + 1) % QUEUE;
    count--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&lock);
    return 1;
}

static void *producer(void *arg)
{
    uint64_t rng = 0x2545F4914F6CDD1Dull * (uint64_t)((intptr_t)arg + 1);
    for (int i = 0; i < BLOCKS_EACH; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        struct item it;
        it.size = (rng % 10 == 0) ? 1 + (rng >> 8) % 16384 : 1 + (rng >> 8) % 512;
        it.tag = (unsigned char)(1 + (rng >> 32) % 255);
        it.producer = pthread_self();
        it.p = malloc(it.size);
        if (it.p == NULL)
            fail("malloc returned NULL", NULL, it.size);
        if ((uintptr_t)it.p % 16 != 0)
            fail("block is not 16-byte aligned", it.p, it.size);
        memset(it.p, it.tag, it.size);
        put(it);
    }
    pthread_mutex_lock(&lock);
    producers_left--;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *consumer(void *arg)
{
    long *freed = arg;
    struct item it;
    while (take(&it)) {
        if (pthread_equal(it.producer, pthread_self()))
            fail("a consumer was handed its own block", it.p, it.size);
        for (size_t i = 0; i < it.size; i++)
            if (it.p[i] != it.tag)
                fail("block contents changed between producer and consumer", it.p, it.size);
        free(it.p);
        (*freed)++;
    }
    return NULL;
}

int main(void)
{
    pthread_t producers[PRODUCERS], consumers[CONSUMERS];
    long freed[CONSUMERS] = {0};
    for (int i = 0; i < CONSUMERS; i++)
        if (pthread_create(&consumers[i], NULL, consumer, &freed[i]) != 0)
            fail("pthread_create failed", NULL, 0);
    for (int i = 0; i < PRODUCERS; i++)
        if (pthread_create(&producers[i], NULL, producer, (void *)(intptr_t)i) != 0)
            fail("pthread_create failed", NULL, 0);
    for (int i = 0; i < PRODUCERS; i++)
        pthread_join(producers[i], NULL);
    long total = 0;
    for (int i = 0; i < CONSUMERS; i++) {
        pthread_join(consumers[i], NULL);
        total += freed[i];
    }
    if (total != (long)PRODUCERS * BLOCKS_EACH) {
        fprintf(stderr, "producer_consumer: %ld blocks freed, expected %ld\n",
                total, (long)PRODUCERS * BLOCKS_EACH);
        return 1;
    }
    return 0;
}
