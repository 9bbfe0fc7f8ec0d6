#line 966 "docs/03-buddies.md"
/* diagnostics.c: text without malloc, and what a misused pointer gets. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#line 978 "docs/03-buddies.md"
void obb_text_str(struct obb_text *t, const char *s)
{
    while (*s != '\0' && t->at < t->end)
        *t->at++ = *s++;
}

/* Digits are produced backwards into a small buffer, then appended in
   order. */
static void put_digits(struct obb_text *t, uintmax_t v, unsigned base)
{
    char digits[24];
    int i = (int)sizeof digits - 1;
    digits[i] = '\0';
    do {
        digits[--i] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    obb_text_str(t, digits + i);
}

void obb_text_uint(struct obb_text *t, uintmax_t v)
{
    put_digits(t, v, 10);
}

void obb_text_pointer(struct obb_text *t, const void *p)
{
    obb_text_str(t, "0x");
    put_digits(t, (uintptr_t)p, 16);
}
#line 1013 "docs/03-buddies.md"
_Noreturn void obb_fatal(const char *caller, const void *p,
                         const char *problem)
{
    char line[256];
    struct obb_text t = { line, line + sizeof line - 1 };
    obb_text_str(&t, "obb: ");
    obb_text_str(&t, caller);
    obb_text_str(&t, "(");
    obb_text_pointer(&t, p);
    obb_text_str(&t, "): ");
    obb_text_str(&t, problem);
    *t.at++ = '\n';
    ssize_t ignored = write(2, line, (size_t)(t.at - line));
    (void)ignored;
    abort();
}

const char *obb_verdict_text(enum obb_verdict v)
{
    switch (v) {
    case OBB_NOT_ALLOCATED:
        return "block is not allocated (double free?)";
    case OBB_NOT_A_BLOCK:
        return "pointer is not the start of a block";
    default:
        return "pointer is valid";
    }
}
