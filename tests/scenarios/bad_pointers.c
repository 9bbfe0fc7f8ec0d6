/* bad_pointers.c: double frees and frees of pointers malloc never returned (stack, interior, libc data, string literal) end the program with SIGABRT; under our library with one line on stderr naming the pointer.
 * since: the-whole-c-api
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
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

/* Hide a pointer from GCC, which rightly warns about every line of run(). */
static void *opaque(void *p)
{
    void *volatile v = p;
    return v;
}

static void run(int which)
{
    char local[64];
    memset(local, 0, sizeof local);
    char *p = malloc(64);
    memset(p, 0, 64);
    switch (which) {
    case 0: note(p); free(opaque(p)); free(opaque(p)); break;                  /* double free */
    case 1: note(local + 16); free(opaque(local + 16)); break;                 /* stack address */
    case 2: note(p + 16); free(opaque(p + 16)); break;                         /* interior pointer */
    case 3: note(stdout); free(opaque(stdout)); break;                         /* libc's data */
    case 4: note("literal"); free(opaque((void *)"literal")); break;           /* a string literal */
    case 5: note(local); p = realloc(opaque(local), 100); break;               /* realloc of the stack */
    case 6: {                                                                  /* inside a large block */
        char *q = malloc(1 << 20);
        memset(q, 0, 8192);
        note(q + 4096);
        free(opaque(q + 4096));
        break;
    }
    case 7: {                                                                  /* large double free */
        char *q = malloc(1 << 20);
        note(q);
        free(opaque(q));
        free(opaque(q));
        break;
    }
    }
}

int main(void)
{
    static const char *names[] = {
        "double free", "stack address", "interior pointer", "libc data", "string literal",
        "realloc of a stack address", "interior of a large block", "double free of a large block",
    };
    int ours = getenv("OBB_EXPECT_OURS") != NULL;
    int failures = 0;
    for (int which = 0; which < 8; which++) {
        int pipefd[2];
        if (pipe(pipefd) != 0)
            return 1;
        fflush(stdout);
        pid_t child = fork();
        if (child == 0) {
            dup2(pipefd[1], 2);
            close(pipefd[0]);
            run(which);
            /* Reaching here means the mistake went unnoticed. */
            dprintf(pipefd[1], "UNNOTICED\n");
            _exit(0);
        }
        close(pipefd[1]);
        char text[4096];
        size_t got = 0;
        ssize_t n;
        while ((n = read(pipefd[0], text + got, sizeof text - 1 - got)) > 0)
            got += (size_t)n;
        text[got] = '\0';
        close(pipefd[0]);
        int status;
        waitpid(child, &status, 0);
        /* glibc crashes instead of aborting on these two: only ours must abort. */
        int must_abort = ours || (which != 5 && which != 7);
        if (must_abort && !(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT)) {
            fprintf(stderr, "bad_pointers: %s: the child did not die of SIGABRT (status %#x): %s\n",
                    names[which], status, text);
            failures++;
            continue;
        }
        if (!WIFSIGNALED(status)) {
            fprintf(stderr, "bad_pointers: %s: the child survived: %s\n", names[which], text);
            failures++;
            continue;
        }
        if (ours) {
            /* The child printed its pointer with %p; our line must name it. */
            char pointer[40] = "";
            sscanf(text, "pointer %39s", pointer);
            char *line = strstr(text, "obb: ");
            char *newline = line != NULL ? strchr(line, '\n') : NULL;
            if (newline != NULL)
                *newline = '\0';
            if (line == NULL || pointer[0] == '\0' || strstr(line, pointer) == NULL) {
                fprintf(stderr, "bad_pointers: %s: no obb: line naming %s on stderr: %s\n",
                        names[which], pointer, text);
                failures++;
            } else {
                printf("%-30s %s\n", names[which], line);
            }
        } else {
            printf("%-30s signal %d\n", names[which], WTERMSIG(status));
        }
    }
    return failures != 0;
}
