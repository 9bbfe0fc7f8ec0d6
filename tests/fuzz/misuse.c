/* misuse.c: free, realloc and malloc_usable_size of what is not a block,
 * each in a child of its own.
 *
 * The allocator promises to report a pointer it did not hand out, where
 * its design can tell, and to abort rather than corrupt memory: in free,
 * and in the two other calls that take a block, realloc and
 * malloc_usable_size (when the run may call them: -a). Each misuse runs
 * in a child of fork, so that both outcomes are seen: a report (the child
 * dies of SIGABRT, "obb: realloc(0x...): ..." on its stderr) and its
 * absence (the call returns). Between misuses the parent makes ordinary
 * calls, so each child inherits a different heap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

unsigned long misuse_count[3];
unsigned long misuse_calls[API_COUNT];
static const char *const kind_names[] = {
    "a block already freed", "a pointer inside a block",
    "the allocator's metadata",
};

/* A block just freed in the child, or one freed earlier by the parent
   whose address no live block has taken since. */
static bool freed_block(struct thread *t, unsigned char **target,
                        bool *free_first)
{
    *free_first = t->nheld > 0 && chance(t, 500);
    if (*free_first) {
        *target = t->held[below(t, t->nheld)].p;
        return true;
    }
    *target = t->freed[below(t, FREED_KEPT)];
    return *target != NULL && !shadow_covers(*target);
}

/* Inside a held block: mostly at a multiple of 16 bytes, where a block
   could start, sometimes anywhere. */
static bool interior(struct thread *t, unsigned char **target)
{
    const struct block *b = &t->held[below(t, t->nheld)];
    if (b->usable < 2)
        return false;
    size_t k = b->usable > 16 && chance(t, 700)
             ? 16 * (1 + below(t, (b->usable - 1) / 16))
             : 1 + below(t, b->usable - 1);
    *target = b->p + k;
    return true;
}

/* Where the chapter keeps a region's metadata (-R, -M): from the
   region-aligned base below a held block. */
static bool metadata(struct thread *t, unsigned char **target)
{
    if (settings.nmeta == 0)
        return false;
    uintptr_t p = (uintptr_t)t->held[below(t, t->nheld)].p;
    uintptr_t base = p & ~(uintptr_t)(settings.region - 1);
    size_t offset = settings.meta[below(t, settings.nmeta)];
    *target = (unsigned char *)base + offset;
    return !shadow_covers(*target);
}

/* Keep GCC from seeing the misuse: it would rightly warn. */
static void *opaque(void *p)
{
    void *volatile v = p;
    return v;
}

static void write_text(const char *s)
{
    ssize_t ignored = write(2, s, strlen(s));
    (void)ignored;
}

/* The call that misuses the pointer: free, realloc or malloc_usable_size,
   alike, but free for a call the run may not make. */
static enum api misuse_call(struct thread *t)
{
    static const enum api calls[] = {
        API_FREE, API_REALLOC, API_USABLE_SIZE,
    };
    enum api call = calls[below(t, 3)];
    return settings.use[call] ? call : API_FREE;
}

static _Noreturn void misuse_child(unsigned char *target, bool free_first,
                                   enum api call, size_t size, int err)
{
    dup2(err, 2);
    signal(SIGABRT, SIG_DFL);   /* the abort is the expected end */
    alarm(10);                  /* a call that loops is no report */
    if (free_first) {
        free(opaque(target));
        write_text("fuzz: the first free returned\n");
    }
    if (call == API_REALLOC)
        opaque(realloc(opaque(target), size));
    else if (call == API_USABLE_SIZE)
        opaque((void *)malloc_usable_size(opaque(target)));
    else
        free(opaque(target));
    write_text("fuzz: ");
    write_text(api_names[call]);
    write_text(" returned\n");
    _exit(0);
}

static size_t read_all(int fd, char *text, size_t size)
{
    size_t got = 0;
    ssize_t n;
    while (got < size - 1
           && (n = read(fd, text + got, size - 1 - got)) != 0)
        if (n > 0)
            got += (size_t)n;
        else if (errno != EINTR)
            break;
    text[got] = '\0';
    return got;
}

static void expect_report(struct thread *t, unsigned kind,
                          unsigned char *target, bool free_first)
{
    enum api call = misuse_call(t);
    /* Not 0: realloc(p, 0) is free(p), which reports as "free". */
    size_t size = 1 + below(t, 4096);
    const char *before = free_first ? " (freed once just before)" : "";
    if (call == API_REALLOC)
        doing(t, "realloc(%p, %zu) of %s%s", (void *)target, size,
              kind_names[kind], before);
    else
        doing(t, "%s(%p) of %s%s", api_names[call], (void *)target,
              kind_names[kind], before);
    int pipefd[2];
    if (pipe(pipefd) != 0)
        fail(t, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        fail(t, "fork: %s", strerror(errno));
    if (pid == 0) {
        close(pipefd[0]);
        misuse_child(target, free_first, call, size, pipefd[1]);
    }
    close(pipefd[1]);
    char text[2048], how[64], want[64];
    read_all(pipefd[0], text, sizeof text);
    close(pipefd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            fail(t, "waitpid: %s", strerror(errno));
    status_text(status, how, sizeof how);
    if (free_first && strstr(text, "the first free returned") == NULL)
        fail(t, "the first free, of a live block, failed: the child %s; "
             "its stderr: %s", how, text);
    snprintf(want, sizeof want, "obb: %s(%p): ", api_names[call],
             (void *)target);
    const char *line = strstr(text, want);
    bool aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
    if (!aborted || line == NULL || line[strlen(want)] < ' ')
        fail(t, "was not reported: the child %s; its stderr: %s", how,
             text[0] != '\0' ? text : "(nothing)\n");
    misuse_count[kind]++;
    misuse_calls[call]++;
}

void misuse_run(struct thread *t)
{
    for (unsigned kind = 0; !stopping(t); kind = (kind + 1) % 3) {
        run(t, 50);             /* the next child inherits another heap */
        if ((settings.misuse & (1u << kind)) == 0 || t->nheld == 0)
            continue;
        unsigned char *target = NULL;
        bool free_first = false, found;
        if (kind == 0)
            found = freed_block(t, &target, &free_first);
        else if (kind == 1)
            found = interior(t, &target);
        else
            found = metadata(t, &target);
        if (found)
            expect_report(t, kind, target, free_first);
    }
}
