/* random_ops.c: 200,000 random malloc/realloc/free calls; every live block carries its own pattern, checked in full before it is freed or resized.
 * since: buddies
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define OPS 200000

struct slot { unsigned char *p; size_t size; uint32_t seed; };

static uint64_t state = 0x9e3779b97f4a7c15u;
static uint64_t next_random(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* Mostly small sizes, some medium, a few large (up to 2 MiB). */
static size_t random_size(void)
{
    uint64_t r = next_random();
    switch (r % 64) {
    case 0: return (size_t)(r >> 8) % (2u << 20) + 1;
    case 1: case 2: case 3: case 4: return (size_t)(r >> 8) % 65536 + 1;
    case 5: return 0;
    default: return (size_t)(r >> 8) % 512 + 1;
    }
}

/* The pattern of byte i of a block: its seed mixed with i, eight bytes at a time. */
static uint64_t word(const struct slot *s, size_t w)
{
    return (s->seed * 0x9e3779b97f4a7c15u) ^ (w * 0xff51afd7ed558ccdu);
}

static unsigned char byte_at(const struct slot *s, size_t i)
{
    uint64_t v = word(s, i / 8);
    return (unsigned char)(v >> (8 * (i % 8)));
}

static void fill(struct slot *s, size_t from)
{
    size_t i = from;
    for (; i < s->size && i % 8 != 0; i++)
        s->p[i] = byte_at(s, i);
    for (; i + 8 <= s->size; i += 8) {
        uint64_t v = word(s, i / 8);
        memcpy(s->p + i, &v, 8);     /* little-endian: same bytes as byte_at */
    }
    for (; i < s->size; i++)
        s->p[i] = byte_at(s, i);
}

static void verify(const struct slot *s, size_t n, int op)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, s->p + i, 8);
        if (v != word(s, i / 8))
            break;
    }
    for (; i < n; i++)
        if (s->p[i] != byte_at(s, i)) {
            fprintf(stderr, "random_ops: op %d: byte %zu of a %zu-byte block at %p was overwritten\n",
                    op, i, s->size, (void *)s->p);
            exit(1);
        }
}

int main(void)
{
    static struct slot slots[SLOTS];
    for (int op = 0; op < OPS; op++) {
        struct slot *s = &slots[next_random() % SLOTS];
        uint64_t what = next_random() % 3;
        if (s->p == NULL) {
            s->size = random_size();
            s->seed = (uint32_t)next_random();
            s->p = malloc(s->size);
            if (s->p == NULL && s->size != 0) {
                fprintf(stderr, "random_ops: malloc(%zu) failed\n", s->size);
                return 1;
            }
            if (s->p == NULL)
                s->p = malloc(1), s->size = 0;
            fill(s, 0);
        } else if (what == 0) {
            size_t size = random_size() + 1;
            verify(s, s->size, op);
            unsigned char *q = realloc(s->p, size);
            if (q == NULL) {
                fprintf(stderr, "random_ops: realloc(%zu) failed\n", size);
                return 1;
            }
            s->p = q;
            size_t kept = s->size < size ? s->size : size;
            s->size = kept;
            verify(s, kept, op);
            s->size = size;
            fill(s, kept);
        } else {
            verify(s, s->size, op);
            free(s->p);
            s->p = NULL;
        }
    }
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].p != NULL) {
            verify(&slots[i], slots[i].size, OPS);
            free(slots[i].p);
        }
    puts("random_ops: ok");
    return 0;
}
