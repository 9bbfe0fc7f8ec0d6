/* bad_pointers.c: double frees (also of a block that has merged with its buddy) and frees of pointers malloc never returned (stack, interior, libc data, string literal) end the program with SIGABRT; under our library with one line on stderr naming the pointer.
 * since: buddies
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "misuse.h"

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
    case 8: {                                         /* double free of a block that merged with its buddy */
        char *a = opaque(malloc(16)), *b = opaque(malloc(16));
        free(opaque(a));
        free(opaque(b));
        note(b);
        free(opaque(b));
        break;
    }
    }
}

int main(void)
{
    static const char *names[] = {
        "double free", "stack address", "interior pointer", "libc data", "string literal",
        "realloc of a stack address", "interior of a large block", "double free of a large block",
        "double free after a merge",
    };
    int failures = 0;
    for (int which = 0; which < 9; which++) {
        /* glibc crashes instead of aborting on 5 and 7. */
        int glibc_aborts = which != 5 && which != 7;
        failures += expect_abort("bad_pointers", names[which], run, which, glibc_aborts);
    }
    return failures != 0;
}
