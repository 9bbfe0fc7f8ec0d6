/* lock_cost.c: the uncontended price of a lock next to the price of a call:
 * times ten million malloc(32)/free pairs in one thread and ten million
 * pthread_mutex_lock/unlock pairs, and prints nanoseconds per pair (the
 * figures chapter 09 quotes). It checks only that every malloc succeeds.
 * since: what-the-lock-costs
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { PAIRS = 10000000 };

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void)
{
    /* A mutex the compiler cannot prove private, so the calls stay. */
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    void *volatile sink;

    double t0 = seconds();
    for (int i = 0; i < PAIRS; i++) {
        void *p = malloc(32);
        if (p == NULL) {
            fprintf(stderr, "lock_cost: malloc failed\n");
            return 1;
        }
        sink = p;
        free(p);
    }
    double t1 = seconds();
    for (int i = 0; i < PAIRS; i++) {
        pthread_mutex_lock(&lock);
        sink = &lock;
        pthread_mutex_unlock(&lock);
    }
    double t2 = seconds();
    (void)sink;
    printf("malloc(32) + free: %6.1f ns per pair\n", (t1 - t0) * 1e9 / PAIRS);
    printf("lock + unlock:     %6.1f ns per pair\n", (t2 - t1) * 1e9 / PAIRS);
    return 0;
}
