/* fork_threads.c: fork while four other threads allocate and free; each child
 * frees blocks those threads made, allocates, starts a thread of its own and
 * must exit 0 within ten seconds; a child that deadlocks is a failure.
 * since: threads-come-and-go
 * timeout: 120
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { WORKERS = 4, SLOTS = 256, FORKS = 200, CHILD_SECONDS = 10 };

/* A published block: the worker fills it before storing the pointer, so
 * whoever takes it out of the slot finds the pattern (size, tag) intact. */
static _Atomic(unsigned char *) slots[WORKERS][SLOTS];
static atomic_int stop;

static size_t size_of(uint64_t r) { return 1 + r % 3000; }

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    uint64_t rng = 0x9E3779B97F4A7C15ull * (uint64_t)(id + 1);
    while (!atomic_load(&stop)) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        free(atomic_exchange(&slots[id][rng % SLOTS], NULL));
        size_t size = size_of(rng >> 16);
        unsigned char *p = malloc(size + 2);
        if (p == NULL)
            abort();
        p[0] = (unsigned char)(size & 0xff);
        p[1] = (unsigned char)(size >> 8);
        memset(p + 2, 0xA5, size);
        free(atomic_exchange(&slots[id][rng % SLOTS], p));
    }
    return NULL;
}

static void *child_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        void *p = malloc(1 + i * 7);
        if (p == NULL)
            return (void *)1;
        memset(p, i, 1 + i * 7);
        free(p);
    }
    return NULL;
}

/* Runs in the child, where only this thread exists. */
static int child(void)
{
    for (int w = 0; w < WORKERS; w++) {
        for (int s = 0; s < SLOTS; s++) {
            unsigned char *p = atomic_exchange(&slots[w][s], NULL);
            if (p == NULL)
                continue;
            size_t size = p[0] | (size_t)p[1] << 8;
            for (size_t i = 0; i < size; i++)
                if (p[2 + i] != 0xA5)
                    return 2;
            free(p);
        }
    }
    void *blocks[100];
    for (int i = 0; i < 100; i++) {
        blocks[i] = malloc((size_t)(i + 1) * 100);
        if (blocks[i] == NULL)
            return 3;
        memset(blocks[i], i, (size_t)(i + 1) * 100);
    }
    void *big = malloc(4 << 20);
    if (big == NULL)
        return 4;
    memset(big, 1, 4 << 20);
    free(big);
    for (int i = 0; i < 100; i++)
        free(blocks[i]);
    pthread_t t;
    void *result;
    if (pthread_create(&t, NULL, child_thread, NULL) != 0)
        return 5;
    pthread_join(t, &result);
    return result == NULL ? 0 : 6;
}

/* Waits for the child for at most CHILD_SECONDS; kills it if it hangs. */
static int wait_for(pid_t pid, int round)
{
    struct timespec tick = {0, 1000000};
    for (long waited = 0; waited < CHILD_SECONDS * 1000L; waited++) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
            fprintf(stderr, "fork_threads: child %d ended badly (status 0x%x)\n",
                    round, status);
            return 1;
        }
        if (r < 0 && errno != EINTR) {
            perror("fork_threads: waitpid");
            return 1;
        }
        nanosleep(&tick, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    fprintf(stderr, "fork_threads: child %d still running after %d s: deadlock\n",
            round, CHILD_SECONDS);
    return 1;
}

int main(void)
{
    pthread_t workers[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        if (pthread_create(&workers[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            fprintf(stderr, "fork_threads: pthread_create failed\n");
            return 1;
        }
    int failed = 0;
    for (int round = 0; round < FORKS && !failed; round++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork_threads: fork");
            failed = 1;
        } else if (pid == 0) {
            alarm(CHILD_SECONDS + 5); /* a second guard should the parent die */
            _exit(child());
        } else {
            failed = wait_for(pid, round);
        }
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(workers[i], NULL);
    for (int w = 0; w < WORKERS; w++)
        for (int s = 0; s < SLOTS; s++)
            free(atomic_exchange(&slots[w][s], NULL));
    return failed;
}
