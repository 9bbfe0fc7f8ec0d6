/* fork_under_load.c: a fork must not wait behind other threads' allocations.
 * Four threads allocate and free small blocks as fast as they can while
 * main forks 40 times; each child allocates from a new thread and exits.
 * The program's own prepare handler, registered after the allocator's, runs
 * just before the allocator's, and notes how many calls the workers have
 * completed; the child, whose memory is a copy taken at the fork itself,
 * counts again. The difference is the calls the workers completed while the
 * allocator was taking its locks for the fork. A fork that waits for locks
 * their owners keep taking again sees thousands; a fork that stops new calls
 * before it waits sees only the calls already under way, a few per worker.
 * The worst fork is left out, in case the forking thread lost the processor
 * between the two prepare handlers.
 * since: buddies
 * timeout: 120
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { WORKERS = 4, SLOTS = 512, FORKS = 40, CHILD_SECONDS = 20 };
/* At most four calls per worker per fork: a free and a malloc under way,
 * and the pair before them, counted only after its memset. */
enum { LIMIT = 4 * WORKERS * (FORKS - 1) };

struct counter {
    atomic_ulong calls;
    char pad[64 - sizeof(atomic_ulong)];   /* a cache line each */
};

static struct counter done[WORKERS];
static atomic_int stop;
static unsigned long before;      /* total() in the prepare handler */
static unsigned long *seen;       /* per fork, written by its child */

static unsigned long total(void)
{
    unsigned long sum = 0;
    for (int i = 0; i < WORKERS; i++)
        sum += atomic_load(&done[i].calls);
    return sum;
}

static void prepare(void) { before = total(); }

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    uint64_t rng = 0x9E3779B97F4A7C15ull * (uint64_t)(id + 1);
    void *slots[SLOTS] = { 0 };
    while (!atomic_load(&stop)) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        unsigned i = rng % SLOTS;
        size_t size = 1 + (rng >> 32) % 2048;
        free(slots[i]);
        slots[i] = malloc(size);
        if (slots[i] == NULL)
            abort();
        memset(slots[i], 0x5a, size < 64 ? size : 64);
        atomic_fetch_add_explicit(&done[id].calls, 2, memory_order_relaxed);
    }
    for (int i = 0; i < SLOTS; i++)
        free(slots[i]);
    return NULL;
}

static void *child_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        void *volatile p = malloc(1 + (size_t)i * 7);
        if (p == NULL)
            return (void *)1;
        memset((void *)p, i, 1 + (size_t)i * 7);
        free((void *)p);
    }
    return NULL;
}

static int child(int round)
{
    seen[round] = total() - before;   /* the workers' counts at the fork */
    pthread_t t;
    void *result;
    if (pthread_create(&t, NULL, child_thread, NULL) != 0)
        return 2;
    pthread_join(t, &result);
    return result == NULL ? 0 : 3;
}

/* Waits for the child for at most CHILD_SECONDS; kills it if it hangs. */
static int wait_for(pid_t pid)
{
    for (int tick = 0; tick < CHILD_SECONDS * 1000; tick++) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
        nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return 1;
}

int main(void)
{
    seen = mmap(NULL, FORKS * sizeof *seen, PROT_READ | PROT_WRITE,
                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (seen == MAP_FAILED)
        return 1;
    pthread_atfork(prepare, NULL, NULL);
    pthread_t workers[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        if (pthread_create(&workers[i], NULL, worker, (void *)(intptr_t)i)) {
            fprintf(stderr, "fork_under_load: pthread_create failed\n");
            return 1;
        }
    while (total() < 100000)   /* let the workers build up their heaps */
        sched_yield();
    int failed = 0;
    for (int round = 0; round < FORKS && !failed; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(CHILD_SECONDS + 5);
            _exit(child(round));
        }
        if (pid < 0 || wait_for(pid) != 0) {
            fprintf(stderr, "fork_under_load: fork %d failed\n", round);
            failed = 1;
        }
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(workers[i], NULL);
    if (failed)
        return 1;
    unsigned long sum = 0, worst = 0;
    for (int round = 0; round < FORKS; round++) {
        sum += seen[round];
        worst = seen[round] > worst ? seen[round] : worst;
    }
    printf("calls completed while a fork took the locks: %lu in the "
           "worst fork, %lu in the other %d (limit %d)\n",
           worst, sum - worst, FORKS - 1, LIMIT);
    if (sum - worst > LIMIT) {
        fprintf(stderr, "fork_under_load: other threads kept allocating "
                "while fork waited for their locks\n");
        return 1;
    }
    return 0;
}
