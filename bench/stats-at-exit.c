/* stats-at-exit.c: preloaded after a counting library by bench/measure-one.sh,
 * it calls malloc_stats() when each process of the measured command exits, so
 * that the allocator's report and counters are printed for a program that was
 * never written to ask for them. A heading line names the process, because a
 * shell script's processes each print their own report.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Programs such as ls close standard error before they exit (gnulib's
   close_stdout), so keep a copy of it from the start. */
static int saved_stderr = -1;

__attribute__((constructor)) static void keep_stderr(void)
{
    saved_stderr = fcntl(2, F_DUPFD_CLOEXEC, 10);
}

__attribute__((destructor)) static void report_at_exit(void)
{
    if (saved_stderr >= 0)
        dup2(saved_stderr, 2);
    char line[160];
    int n = snprintf(line, sizeof line, "obb: ---- %s (pid %d) exits\n",
                     program_invocation_short_name, (int)getpid());
    if (n > 0 && write(2, line, (size_t)n) < 0)
        return;
    malloc_stats();
}
