/* shadow.c: the address range of every live block, to catch overlaps.
 *
 * A treap (a binary search tree kept balanced by random priorities) of
 * [start, end) ranges ordered by start, in a static pool. Live blocks
 * never overlap, so a new range [s, e) overlaps one only if the live
 * range with the greatest start below e ends after s: one walk down.
 *
 * One lock guards it. A thread removes a block before it frees it and
 * adds a block after malloc returned it, so an address can be in the
 * shadow twice only if the allocator handed it out twice. No one calls
 * the allocator with the lock held: the calls themselves still race.
 */
#include <pthread.h>
#include "fuzz.h"

#define POOL 16384      /* threads' blocks + queue + a fork child's */

struct node {
    uintptr_t start, end;
    enum api origin;
    uint32_t priority;
    uint32_t left, right;   /* indices in pool; 0 is no node */
};

static struct node pool[POOL];
static uint32_t root, unused_nodes, next_fresh = 1;
static uint32_t priorities = 2463534242u;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t new_node(void)
{
    uint32_t n = unused_nodes;
    if (n != 0)
        unused_nodes = pool[n].left;
    else if (next_fresh < POOL)
        n = next_fresh++;
    priorities ^= priorities << 13;     /* xorshift32 */
    priorities ^= priorities >> 17;
    priorities ^= priorities << 5;
    if (n != 0)
        pool[n] = (struct node){ .priority = priorities };
    return n;
}

/* Split tree n into the nodes starting below key and the rest. */
static void split(uint32_t n, uintptr_t key, uint32_t *below,
                  uint32_t *rest)
{
    if (n == 0) {
        *below = *rest = 0;
    } else if (pool[n].start < key) {
        split(pool[n].right, key, &pool[n].right, rest);
        *below = n;
    } else {
        split(pool[n].left, key, below, &pool[n].left);
        *rest = n;
    }
}

/* Join two trees, every start in a below every start in b. */
static uint32_t join(uint32_t a, uint32_t b)
{
    if (a == 0 || b == 0)
        return a | b;
    if (pool[a].priority > pool[b].priority) {
        pool[a].right = join(pool[a].right, b);
        return a;
    }
    pool[b].left = join(a, pool[b].left);
    return b;
}

/* The live range with the greatest start below key, or 0. */
static uint32_t last_below(uintptr_t key)
{
    uint32_t best = 0;
    for (uint32_t n = root; n != 0;)
        if (pool[n].start < key) {
            best = n;
            n = pool[n].right;
        } else {
            n = pool[n].left;
        }
    return best;
}

/* A block of 0 bytes still has an address no other block may have. */
static uintptr_t end_of(const struct block *b)
{
    return (uintptr_t)b->p + (b->usable > 0 ? b->usable : 1);
}

void shadow_add(struct thread *t, const struct block *b)
{
    uintptr_t start = (uintptr_t)b->p, end = end_of(b);
    pthread_mutex_lock(&lock);
    uint32_t other = last_below(end);
    if (other != 0 && pool[other].end > start) {
        struct node o = pool[other];
        pthread_mutex_unlock(&lock);
        fail(t, "returned [%p, +%zu), which overlaps the live block "
             "[%p, +%zu) from %s", (void *)b->p, b->usable,
             (void *)o.start, (size_t)(o.end - o.start),
             api_names[o.origin]);
    }
    uint32_t n = new_node(), lower, upper;
    if (n == 0) {
        pthread_mutex_unlock(&lock);
        fail(t, "the shadow is full (a bug of the fuzzer)");
    }
    pool[n].start = start;
    pool[n].end = end;
    pool[n].origin = b->origin;
    split(root, start, &lower, &upper);
    root = join(join(lower, n), upper);
    pthread_mutex_unlock(&lock);
}

void shadow_remove(const struct block *b)
{
    uintptr_t start = (uintptr_t)b->p;
    uint32_t lower, middle, upper;
    pthread_mutex_lock(&lock);
    split(root, start, &lower, &upper);
    split(upper, start + 1, &middle, &upper);
    if (middle != 0) {          /* exactly one node: starts are unique */
        pool[middle].left = unused_nodes;
        unused_nodes = middle;
    }
    root = join(lower, upper);
    pthread_mutex_unlock(&lock);
}

/* Is address the start or inside of a live block? */
bool shadow_covers(const void *address)
{
    uintptr_t a = (uintptr_t)address;
    pthread_mutex_lock(&lock);
    uint32_t n = last_below(a + 1);
    bool covered = n != 0 && pool[n].end > a;
    pthread_mutex_unlock(&lock);
    return covered;
}

/* fork copies the tree as one thread left it: hold the lock across it. */
void shadow_lock(void)
{
    pthread_mutex_lock(&lock);
}

void shadow_unlock(void)
{
    pthread_mutex_unlock(&lock);
}

void shadow_after_fork_child(void)
{
    pthread_mutex_init(&lock, NULL);
}
