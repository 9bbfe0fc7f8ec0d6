/* misuse.h: what the scenarios that misuse the allocator on purpose share.
 * Each misuse runs in a child process, which must die of SIGABRT; under our
 * library (OBB_EXPECT_OURS is set) its stderr must also hold our one line,
 * "obb: ...", naming the pointer the child noted just before the misuse.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Tell the parent (on stderr, a pipe) which pointer the child is about to misuse. */
static void note(const void *p)
{
    dprintf(2, "pointer %p\n", p);
}

/* Hide a pointer from GCC, which rightly warns about every misuse. */
static void *opaque(void *p)
{
    void *volatile v = p;
    return v;
}

/* Words our line must also hold, if a scenario sets them (NULL: any reason). */
static const char *must_say;

/* Read everything the child writes to the pipe. */
static void read_all(int fd, char *text, size_t size)
{
    size_t got = 0;
    ssize_t n;
    while ((n = read(fd, text + got, size - 1 - got)) > 0)
        got += (size_t)n;
    text[got] = '\0';
}

/* Our line must name the pointer the child noted; print it for the log. */
static int check_line(const char *scenario, const char *name, char *text)
{
    char pointer[40] = "";
    sscanf(text, "pointer %39s", pointer);
    char *line = strstr(text, "obb: ");
    char *newline = line != NULL ? strchr(line, '\n') : NULL;
    if (newline != NULL)
        *newline = '\0';
    if (line == NULL || pointer[0] == '\0' || strstr(line, pointer) == NULL) {
        fprintf(stderr, "%s: %s: no obb: line naming %s on stderr: %s\n",
                scenario, name, pointer, text);
        return 1;
    }
    if (must_say != NULL && strstr(line, must_say) == NULL) {
        fprintf(stderr, "%s: %s: the obb: line does not say \"%s\": %s\n",
                scenario, name, must_say, line);
        return 1;
    }
    printf("%-30s %s\n", name, line);
    return 0;
}

/* Run misuse(which) in a child; 0 if the child ended as it must. glibc does not
 * abort on every misuse (it may crash instead): glibc_aborts says whether it does
 * on this one. Ours must abort on all of them. */
static int expect_abort(const char *scenario, const char *name, void (*misuse)(int),
                        int which, int glibc_aborts)
{
    int ours = getenv("OBB_EXPECT_OURS") != NULL;
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        misuse(which);
        /* Reaching here means the mistake went unnoticed. */
        dprintf(pipefd[1], "UNNOTICED\n");
        _exit(0);
    }
    close(pipefd[1]);
    char text[4096];
    read_all(pipefd[0], text, sizeof text);
    close(pipefd[0]);
    int status;
    waitpid(child, &status, 0);
    if ((ours || glibc_aborts) && !(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT)) {
        fprintf(stderr, "%s: %s: the child did not die of SIGABRT (status %#x): %s\n",
                scenario, name, status, text);
        return 1;
    }
    if (!WIFSIGNALED(status)) {
        fprintf(stderr, "%s: %s: the child survived: %s\n", scenario, name, text);
        return 1;
    }
    if (ours)
        return check_line(scenario, name, text);
    printf("%-30s signal %d\n", name, WTERMSIG(status));
    return 0;
}
