/* check.c: patterns, the blocks a thread holds, and how failure is told.
 *
 * Every block carries a pattern of its own over all its usable bytes:
 * painted when the block arrives, checked before it is freed, resized or
 * handed over. A block that lost its pattern was written by someone else:
 * another block that overlaps it, or the allocator's own bookkeeping.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

const char *const api_names[API_COUNT] = {
    "malloc", "free", "calloc", "realloc", "reallocarray",
    "posix_memalign", "aligned_alloc", "memalign", "valloc", "pvalloc",
    "malloc_usable_size",
};

/* The thread this is, for the crash handler. */
static __thread struct thread *self;

void set_self(struct thread *t)
{
    self = t;
}

/* Eight bytes of a block's pattern, the w-th word from its start. */
static uint64_t word(const struct block *b, size_t w)
{
    return (b->tag * 0x9e3779b97f4a7c15u) ^ (w * 0xff51afd7ed558ccdu);
}

static unsigned char byte_at(const struct block *b, size_t i)
{
    return (unsigned char)(word(b, i / 8) >> (8 * (i % 8)));
}

/* Blocks are 16-byte aligned, so word w sits at p + 8w: whole words in
   the middle keep this as fast as memset. Little-endian, like byte_at. */
void paint(const struct block *b, size_t from, size_t to)
{
    size_t i = from;
    for (; i < to && i % 8 != 0; i++)
        b->p[i] = byte_at(b, i);
    for (; i + 8 <= to; i += 8) {
        uint64_t v = word(b, i / 8);
        memcpy(b->p + i, &v, 8);
    }
    for (; i < to; i++)
        b->p[i] = byte_at(b, i);
}

static size_t first_wrong(const struct block *b, size_t from, size_t to)
{
    size_t i = from;
    for (; i < to && i % 8 != 0; i++)
        if (b->p[i] != byte_at(b, i))
            return i;
    for (; i + 8 <= to; i += 8) {
        uint64_t v;
        memcpy(&v, b->p + i, 8);
        if (v != word(b, i / 8))
            break;
    }
    for (; i < to; i++)
        if (b->p[i] != byte_at(b, i))
            return i;
    return to;
}

void verify(struct thread *t, const struct block *b, size_t from, size_t to,
            const char *when)
{
    size_t i = first_wrong(b, from, to);
    if (i < to)
        fail(t, "%s: byte %zu of the block at %p (%zu bytes from %s) "
             "is 0x%02x, not 0x%02x", when, i, (void *)b->p, b->size,
             api_names[b->origin], b->p[i], byte_at(b, i));
}

/* A block of 0 bytes is still a block (C: "as if the size were some
   nonzero value"): its address must be the allocator's memory. An
   address in no mapping is one that a later mapping, the allocator's or
   the program's, can take, and then two objects share it. */
static void check_owned(struct thread *t, void *p)
{
    size_t page = (size_t)getpagesize();
    unsigned char in_core;
    void *start = (void *)((uintptr_t)p & ~(uintptr_t)(page - 1));
    if (mincore(start, page, &in_core) != 0 && errno == ENOMEM)
        fail(t, "returned %p for 0 bytes, an address in no mapping", p);
}

/* A call returned p for size bytes: check it and record it as live.
   The caller paints it (realloc first checks what it kept). */
struct block accept(struct thread *t, void *p, size_t size, size_t align,
                    enum api origin)
{
    if (p == NULL)
        fail(t, "returned NULL (errno %d: %s)", errno, strerror(errno));
    if ((uintptr_t)p % align != 0)
        fail(t, "returned %p, which is not aligned to %zu", p, align);
    struct block b = { p, size, size, rnd(t), origin };
    if (settings.use[API_USABLE_SIZE]) {
        t->calls[API_USABLE_SIZE]++;
        b.usable = malloc_usable_size(p);
        if (b.usable < size)
            fail(t, "returned %p, whose malloc_usable_size is %zu",
                 p, b.usable);
    }
    if (b.usable == 0)
        check_owned(t, p);
    shadow_add(t, &b);
    return b;
}

void hold(struct thread *t, struct block b)
{
    t->held[t->nheld++] = b;
    t->held_bytes += b.usable;
}

/* Forget held block i (it is being freed or handed over). */
struct block let_go(struct thread *t, size_t i)
{
    struct block b = t->held[i];
    t->held[i] = t->held[--t->nheld];
    t->held_bytes -= b.usable;
    return b;
}

/* An impossible request must fail: NULL, and errno (or the returned
   error, for posix_memalign) says why. */
void expect_refusal(struct thread *t, void *p, int err, int want)
{
    if (p != NULL)
        fail(t, "returned %p for an impossible request", p);
    if (err != want)
        fail(t, "failed with error %d (%s), not %d (%s)", err,
             strerror(err), want, strerror(want));
    t->refusals++;
}

/* Messages go straight to the file descriptor: stdio would allocate. */
static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

void say(const char *format, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(line, sizeof line, format, ap);
    va_end(ap);
    if (n > 0)
        write_all(1, line, (size_t)n < sizeof line ? (size_t)n
                                                   : sizeof line - 1);
}

/* Name the call under way before making it: a crash inside it, or a
   failed check after it, can then say what the fuzzer was doing. */
void doing(struct thread *t, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vsnprintf(t->what, sizeof t->what, format, ap);
    va_end(ap);
}

static int where(const struct thread *t, char *line, size_t size)
{
    return snprintf(line, size, "fuzz: seed %llu, thread %u%s, step %lu, "
                    "%s", (unsigned long long)settings.seed, t->id,
                    t->in_child ? " (in a child of fork)" : "", t->step,
                    t->what);
}

_Noreturn void fail(struct thread *t, const char *format, ...)
{
    char line[2048];
    int n = where(t, line, sizeof line - 1);
    n += snprintf(line + n, sizeof line - 1 - (size_t)n, ": ");
    va_list ap;
    va_start(ap, format);
    n += vsnprintf(line + n, sizeof line - 1 - (size_t)n, format, ap);
    va_end(ap);
    if ((size_t)n > sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    write_all(2, line, (size_t)n);
    _exit(1);
}

/* A crash (the allocator's abort, a segfault) names the call under way,
   then dies of the same signal. snprintf is not async-signal-safe in
   general; here the process is dying and glibc's does not allocate for
   these formats. */
static void on_crash(int sig)
{
    char line[512];
    int n = 0;
    if (self != NULL)
        n = where(self, line, sizeof line - 40);
    else
        n = snprintf(line, sizeof line - 40, "fuzz: seed %llu",
                     (unsigned long long)settings.seed);
    n += snprintf(line + n, 40, ": killed by SIG%s\n", sigabbrev_np(sig));
    write_all(2, line, (size_t)n);
    signal(sig, SIG_DFL);
    raise(sig);
}

void catch_crashes(void)
{
    static const int signals[] = { SIGABRT, SIGSEGV, SIGBUS, SIGILL,
                                   SIGFPE, SIGALRM };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        signal(signals[i], on_crash);
}

const char *status_text(int status, char *buf, size_t size)
{
    if (WIFEXITED(status))
        snprintf(buf, size, "exited with %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "was killed by SIG%s",
                 sigabbrev_np(WTERMSIG(status)));
    else
        snprintf(buf, size, "stopped (status %#x)", status);
    return buf;
}
