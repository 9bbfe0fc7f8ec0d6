/* remote_misuse.c: double frees of a block that another thread allocated are
 * still caught when its frees go through the owner's remote list: judged at
 * the drain, by the owner or (its owner gone) by the freeing thread, they end
 * the program with SIGABRT and one line naming the pointer and a call. When
 * both frees wait on the list, the drain takes the newest first and reports
 * the older: after a realloc that moved the block and a free of the old
 * pointer, the line names realloc.
 * since: the-owner-takes-no-lock
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "misuse.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static void *handed;
static int go_on;

/* The owner: allocates a block, hands it over, waits, then allocates again
 * (which drains its remote list). */
static void *owner(void *arg)
{
    (void)arg;
    opaque(malloc(64));   /* kept: the region stays when p is freed */
    void *p = malloc(64);
    memset(p, 0x5a, 64);
    pthread_mutex_lock(&lock);
    handed = p;
    pthread_cond_broadcast(&changed);
    while (!go_on)
        pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    free(malloc(64));
    return NULL;
}

static void *take(void)
{
    pthread_mutex_lock(&lock);
    while (handed == NULL)
        pthread_cond_wait(&changed, &lock);
    void *p = handed;
    pthread_mutex_unlock(&lock);
    return p;
}

static void release_owner(pthread_t t)
{
    pthread_mutex_lock(&lock);
    go_on = 1;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    pthread_join(t, NULL);
}

static void run(int which)
{
    pthread_t t;
    pthread_create(&t, NULL, owner, NULL);
    void *p = take();
    note(p);
    if (which == 0) {          /* freed twice while its owner waits */
        free(opaque(p));
        free(opaque(p));
    } else if (which == 1) {   /* moved by realloc, then freed */
        void *q = realloc(opaque(p), 4096);
        (void)q;
        free(opaque(p));
    } else {                   /* the owner has gone: its arena is an orphan */
        release_owner(t);
        free(opaque(p));
        free(opaque(p));
        return;
    }
    release_owner(t);          /* its next malloc drains the list */
}

/* The child must die of SIGABRT with our line naming the pointer (checked
 * by misuse.h) and the call. */
static int expect(const char *name, int which, const char *call)
{
    must_say = call;
    return expect_abort("remote_misuse", name, run, which, 1);
}

int main(void)
{
    if (getenv("OBB_EXPECT_OURS") == NULL) {
        printf("remote_misuse: checks our library's messages only\n");
        return 0;
    }
    int failed = 0;
    failed |= expect("double free, owner waiting", 0, "free");
    failed |= expect("realloc, then free", 1, "realloc");
    failed |= expect("double free, owner gone", 2, "free");
    return failed;
}
