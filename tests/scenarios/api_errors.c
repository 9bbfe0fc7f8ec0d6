/* api_errors.c: every allocation function at sizes near SIZE_MAX and above 2^50 returns NULL (or an error) with ENOMEM, calloc and reallocarray in both argument orders, failed realloc keeps the block, posix_memalign leaves *p alone on failure, and bad alignments give EINVAL.
 * since: pages-from-the-kernel
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

/* Hide a pointer from GCC, which warns about the very calls this test makes. */
static void *opaque(void *p)
{
    void *volatile v = p;
    return v;
}

static void expect_null(const char *what, void *p, int err)
{
    if (p != NULL || errno != err) {
        fprintf(stderr, "api_errors: %s gave %p, errno %d (want NULL, errno %d)\n", what, p, errno, err);
        failures++;
    }
}

static void expect_code(const char *what, int got, int want)
{
    if (got != want) {
        fprintf(stderr, "api_errors: %s returned %d (want %d)\n", what, got, want);
        failures++;
    }
}

int main(void)
{
    /* volatile: GCC would reject some of these calls at compile time. */
    volatile size_t huge[] = { SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 4096, SIZE_MAX / 2 + 1,
                               ((size_t)1 << 50) + 1, (size_t)1 << 51, (size_t)1 << 62 };
    char *keep = malloc(100);
    memset(keep, 0x3c, 100);
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        size_t n = huge[i];
        char what[96];
        errno = 0; snprintf(what, sizeof what, "malloc(%zu)", n); expect_null(what, malloc(n), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "calloc(%zu, 1)", n); expect_null(what, calloc(n, 1), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "calloc(1, %zu)", n); expect_null(what, calloc(1, n), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "calloc(%zu, 16)", n); expect_null(what, calloc(n, 16), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "calloc(16, %zu)", n); expect_null(what, calloc(16, n), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "realloc(p, %zu)", n); expect_null(what, realloc(opaque(keep), n), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "reallocarray(p, %zu, 2)", n); expect_null(what, reallocarray(opaque(keep), n, 2), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "reallocarray(p, 2, %zu)", n); expect_null(what, reallocarray(opaque(keep), 2, n), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "aligned_alloc(64, %zu)", n); expect_null(what, aligned_alloc(64, n), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "memalign(4096, %zu)", n); expect_null(what, memalign(4096, n), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "valloc(%zu)", n); expect_null(what, valloc(n), ENOMEM);
        errno = 0; snprintf(what, sizeof what, "pvalloc(%zu)", n); expect_null(what, pvalloc(n), ENOMEM);
        void *untouched = (void *)&failures;
        void *q = untouched;
        snprintf(what, sizeof what, "posix_memalign(&q, 32, %zu)", n);
        expect_code(what, posix_memalign(&q, 32, n), ENOMEM);
        if (q != untouched) {
            fprintf(stderr, "api_errors: %s changed *p\n", what);
            failures++;
        }
    }
    /* The product overflows although both factors are modest. */
    errno = 0; expect_null("calloc(2^33 - 1, 2^33 - 1)", calloc(huge[0] >> 31, huge[0] >> 31), ENOMEM);
    errno = 0; expect_null("reallocarray(p, 2^26, 2^25)", reallocarray(opaque(keep), (size_t)1 << 26, (size_t)1 << 25), ENOMEM);
    for (int i = 0; i < 100; i++)
        if ((unsigned char)keep[i] != 0x3c) {
            fprintf(stderr, "api_errors: a failed realloc changed the block\n");
            return 1;
        }
    /* Bad alignments. */
    void *q = NULL;
    expect_code("posix_memalign(&q, 24, 100)", posix_memalign(&q, 24, 100), EINVAL);
    expect_code("posix_memalign(&q, 4, 100)", posix_memalign(&q, 4, 100), EINVAL);
    expect_code("posix_memalign(&q, 0, 100)", posix_memalign(&q, 0, 100), EINVAL);
    if (q != NULL) {
        fprintf(stderr, "api_errors: posix_memalign changed *p on EINVAL\n");
        failures++;
    }
    if (getenv("OBB_EXPECT_OURS") != NULL) {   /* glibc before 2.38 accepts any alignment */
        errno = 0;
        expect_null("aligned_alloc(24, 100)", aligned_alloc(24, 100), EINVAL);
    }
    errno = 0; expect_null("memalign(SIZE_MAX, 100)", memalign(SIZE_MAX, 100), EINVAL);
    /* And the allocator still works. */
    char *after = malloc(1000);
    if (after == NULL) {
        fprintf(stderr, "api_errors: malloc failed after the errors\n");
        return 1;
    }
    memset(after, 1, 1000);
    free(after);
    free(opaque(keep));
    if (failures == 0)
        puts("api_errors: ok");
    return failures != 0;
}
