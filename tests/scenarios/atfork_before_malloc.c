/* atfork_before_malloc.c: pthread_atfork handlers registered before the
 * program's first malloc. Two checks, each in a child of its own (so that
 * each starts before any malloc of its process) that must finish in time:
 *   - handlers that allocate in prepare, parent and child, then a fork: the
 *     allocator's own prepare handler must not hold its locks while the
 *     program's prepare handler runs (glibc runs prepare handlers in reverse
 *     order of registration), so the allocator must register first;
 *   - 100 registrations, then a malloc: glibc grows its list of handlers with
 *     malloc while it holds its atfork lock, so a malloc that registered its
 *     handlers there would wait for that lock forever.
 * since: buddies
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { SECONDS = 10, REGISTRATIONS = 100 };

static void *volatile kept;

static void touch(void *p, size_t n)
{
    if (p == NULL)
        _exit(3);
    memset(p, 0x5a, n);
}

static void prepare(void) { kept = malloc(100); touch(kept, 100); }
static void parent(void) { free(kept); kept = malloc(300); free(kept); }
static void child(void) { free(kept); kept = malloc(200); touch(kept, 200); }
static void nothing(void) {}

/* Exit status of pid, or -1 if it did not finish within seconds. */
static int wait_for(pid_t pid, int seconds)
{
    for (int tick = 0; tick < seconds * 100; tick++) {
        int status;
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

/* Allocating handlers, registered before the process's first malloc. */
static int allocating_handlers(void)
{
    pthread_atfork(prepare, parent, child);
    void *volatile first = malloc(10);
    touch(first, 10);
    free(first);
    pid_t pid = fork();
    if (pid == 0) {
        void *volatile p = malloc(5000);
        touch(p, 5000);
        free(p);
        _exit(0);
    }
    return pid < 0 ? 2 : wait_for(pid, SECONDS);
}

/* Many registrations before the first malloc. */
static int many_registrations(void)
{
    for (int i = 0; i < REGISTRATIONS; i++)
        pthread_atfork(nothing, nothing, nothing);
    void *volatile first = malloc(10);
    touch(first, 10);
    free(first);
    return 0;
}

static int run(const char *what, int (*check)(void))
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(check());
    int status = pid < 0 ? -2 : wait_for(pid, 2 * SECONDS);
    if (status == 0)
        return 0;
    if (status == -1)
        fprintf(stderr, "atfork_before_malloc: %s: hung (killed after %d s)\n",
                what, 2 * SECONDS);
    else
        fprintf(stderr, "atfork_before_malloc: %s: status %d\n", what, status);
    return 1;
}

int main(void)
{
    int failures = 0;
    failures += run("fork with allocating handlers", allocating_handlers);
    failures += run("malloc after 100 registrations", many_registrations);
    if (failures == 0)
        printf("atfork_before_malloc: both checks passed\n");
    return failures == 0 ? 0 : 1;
}
