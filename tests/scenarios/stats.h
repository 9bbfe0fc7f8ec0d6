/* stats.h: what the scenarios that read malloc_stats share. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* malloc_stats writes to standard error: catch what it prints in a file
 * (made and unlinked at once; mkstemp does not allocate) and return it in
 * a static buffer the caller may cut up, or NULL if stderr could not be
 * redirected or nothing was printed. */
static char *capture_malloc_stats(void)
{
    static char text[1 << 16];
    char name[] = "/tmp/obb-malloc-stats.XXXXXX";
    int file = mkstemp(name);
    if (file >= 0)
        unlink(name);
    int saved = dup(2);
    if (file < 0 || saved < 0)
        return NULL;
    fflush(stdout);
    fflush(stderr);
    dup2(file, 2);
    malloc_stats();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    ssize_t n = pread(file, text, sizeof text - 1, 0);
    close(file);
    if (n <= 0)
        return NULL;
    text[n] = '\0';
    return text;
}
