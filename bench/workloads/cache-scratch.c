/* cache-scratch.c: passive false sharing, in the spirit of Hoard's
 * cache-scratch test.
 *
 * The main thread allocates one small object per worker, one after the other,
 * so they are likely to sit side by side in one cache line, and hands each
 * worker its object.  The worker frees it at once, then over and over
 * allocates an object of the same size, writes to it many times and frees it.
 * An allocator that gives the freed object straight back to the worker that
 * freed it keeps the workers writing into the same cache line, which then
 * bounces between the cores: nobody shared anything on purpose, the allocator
 * did it for them.  An allocator that keeps each thread's memory apart makes
 * the writes independent.
 *
 * usage: cache-scratch [iterations (default 200000)] [threads (2)]
 *                      [writes per object (500)]
 */
#include "common.h"

#define OBJECT 8

struct worker {
    unsigned char *given;
    long iterations, writes;
    uint64_t sum;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    xfree(w->given, OBJECT);
    for (long i = 0; i < w->iterations; i++) {
        volatile unsigned char *p = xmalloc(OBJECT);
        for (int b = 0; b < OBJECT; b++)
            p[b] = (unsigned char)i;
        for (long k = 0; k < w->writes; k++)
            p[k % OBJECT] += 1;
        uint64_t v = 0;
        for (int b = 0; b < OBJECT; b++)
            v = v * 257 + p[b];
        w->sum = mix(w->sum, v);
        xfree((void *)p, OBJECT);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    bench_start();
    long iterations = param(argc, argv, 1, "OBB_BENCH_SIZE", 200000);
    long nthreads = param(argc, argv, 2, "OBB_BENCH_THREADS", 2);
    long writes = param(argc, argv, 3, "OBB_BENCH_WRITES", 500);
    struct worker *w = xmalloc(sizeof *w * (size_t)nthreads);
    for (long i = 0; i < nthreads; i++)
        w[i] = (struct worker){
            .given = xmalloc(OBJECT), .iterations = iterations, .writes = writes,
        };
    run_workers(work, w, sizeof *w, nthreads);
    uint64_t sum = 0;
    for (long i = 0; i < nthreads; i++)
        sum += w[i].sum;
    xfree(w, sizeof *w * (size_t)nthreads);
    bench_report(sum);
    return 0;
}
