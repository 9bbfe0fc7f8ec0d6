/* timeit.c: run one command and report what it cost.
 *
 * The benchmark runner starts every measured program through this wrapper
 * rather than directly, for three reasons:
 *  - wait4() gives the child's own user and system time and its peak resident
 *    set size (ru_maxrss, which also covers the children it waited for, such
 *    as gcc's cc1), without counting the Node.js runner;
 *  - the allocator under test is preloaded into the child only (--preload),
 *    so a broken allocator cannot take the wrapper down with it;
 *  - a run that takes too long is killed, with its whole process group, and
 *    reported as a timeout; so is a run whose resident memory (the child's and
 *    its descendants') grows past --mem-limit, before it can push a shared
 *    machine into the OOM killer.  The limit is on resident memory, not on
 *    address space: an allocator may well reserve far more address space than
 *    it ever touches.
 *
 * usage: timeit --out FILE [--timeout SECONDS] [--mem-limit MIB]
 *               [--preload LIB] [--stdin FILE] -- COMMAND [ARGS...]
 *
 * FILE receives one line of key=value pairs:
 *   wall_ns user_us sys_us maxrss_kib nvcsw exit signal timeout memout
 * (nvcsw: voluntary context switches, each a sleep such as a wait for a contended lock)
 * The child's stdout and stderr are the wrapper's own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fputs("usage: timeit --out FILE [--timeout SECONDS] [--mem-limit MIB] "
          "[--preload LIB] [--stdin FILE] -- COMMAND [ARGS...]\n", stderr);
    exit(125);
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Resident KiB of a process and, through /proc/PID/task/PID/children, of
 * everything it started (gcc's cc1, for one). */
static long resident_kib(pid_t pid, int depth)
{
    char path[64];
    long pages = 0, size = 0;
    snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    if (fscanf(f, "%ld %ld", &size, &pages) != 2)
        pages = 0;
    fclose(f);
    long kib = pages * (sysconf(_SC_PAGESIZE) / 1024);
    if (depth > 8)
        return kib;
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return kib;
    int child;
    while (fscanf(f, "%d", &child) == 1)
        kib += resident_kib(child, depth + 1);
    fclose(f);
    return kib;
}

/* In the child: preload, stdin, then the program itself. */
static void start(char **argv, const char *preload, const char *in)
{
    setpgid(0, 0);
    if (preload != NULL && *preload != '\0')
        setenv("LD_PRELOAD", preload, 1);
    else
        unsetenv("LD_PRELOAD");
    if (in != NULL) {
        int fd = open(in, O_RDONLY);
        if (fd < 0 || dup2(fd, 0) < 0) {
            perror(in);
            _exit(126);
        }
        close(fd);
    }
    execvp(argv[0], argv);
    perror(argv[0]);
    _exit(127);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *preload = NULL, *in = NULL;
    double timeout = 0;
    long mem_mib = 0;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--out") == 0)
            out = argv[++i];
        else if (strcmp(argv[i], "--timeout") == 0)
            timeout = atof(argv[++i]);
        else if (strcmp(argv[i], "--mem-limit") == 0)
            mem_mib = atol(argv[++i]);
        else if (strcmp(argv[i], "--preload") == 0)
            preload = argv[++i];
        else if (strcmp(argv[i], "--stdin") == 0)
            in = argv[++i];
        else
            usage();
    }
    if (out == NULL || i >= argc)
        usage();

    /* SIGCHLD stays blocked so sigtimedwait() can wait for it with a deadline. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);

    long long t0 = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 125;
    }
    if (pid == 0) {
        sigprocmask(SIG_UNBLOCK, &chld, NULL);
        start(argv + i, preload, in);
    }
    setpgid(pid, pid);          /* both sides, so neither order races */

    int timed_out = 0, mem_out = 0;
    long long deadline = timeout > 0 ? t0 + (long long)(timeout * 1e9) : 0;
    for (;;) {
        int status;
        struct rusage ru;
        pid_t got = wait4(pid, &status, WNOHANG, &ru);
        if (got == pid) {
            long long wall = now_ns() - t0;
            FILE *f = fopen(out, "w");
            if (f == NULL) {
                perror(out);
                return 125;
            }
            fprintf(f, "wall_ns=%lld user_us=%lld sys_us=%lld maxrss_kib=%ld nvcsw=%ld exit=%d signal=%d timeout=%d memout=%d\n",
                    wall,
                    (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
                    (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec,
                    ru.ru_maxrss,
                    ru.ru_nvcsw,
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                    WIFSIGNALED(status) ? WTERMSIG(status) : 0,
                    timed_out, mem_out);
            fclose(f);
            return 0;
        }
        if (got < 0 && errno != EINTR) {
            perror("wait4");
            return 125;
        }
        /* With a memory limit, look at the resident size ten times a second. */
        struct timespec wait = {.tv_sec = 1, .tv_nsec = 0};
        if (mem_mib > 0) {
            if (!mem_out && !timed_out && resident_kib(pid, 0) > mem_mib * 1024) {
                kill(-pid, SIGKILL);
                mem_out = 1;
            }
            wait.tv_sec = 0;
            wait.tv_nsec = 100000000;
        }
        if (deadline) {
            long long left = deadline - now_ns();
            if (left <= 0) {
                if (!timed_out && !mem_out) {
                    kill(-pid, SIGKILL);
                    timed_out = 1;
                }
                left = 10000000;        /* reap it: poll every 10 ms */
            }
            if (left < (long long)wait.tv_sec * 1000000000LL + wait.tv_nsec) {
                wait.tv_sec = 0;
                wait.tv_nsec = (long)left;
            }
        }
        sigtimedwait(&chld, NULL, &wait);
    }
}
