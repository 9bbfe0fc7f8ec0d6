#line 938 "docs/04-one-byte-a-block.md"
/* stats.c: malloc_stats, the allocator's own report, printed without
   allocating. */
#define _GNU_SOURCE
#include <malloc.h>
#include <unistd.h>
#include "internal.h"

#line 954 "docs/04-one-byte-a-block.md"
/* Append num / den with two decimals, rounded. */
static void put_ratio(struct obb_text *t, uintmax_t num, uintmax_t den)
{
    if (den == 0) {
        obb_text_str(t, "-");
        return;
    }
    uintmax_t hundredths = (num * 100 + den / 2) / den;
    obb_text_uint(t, hundredths / 100);
    obb_text_str(t, ".");
    obb_text_str(t, hundredths % 100 < 10 ? "0" : "");
    obb_text_uint(t, hundredths % 100);
}

/* Write the line built in buf to standard error and start a new one. */
static void put_line(struct obb_text *t, char *buf)
{
    *t->at++ = '\n';
    ssize_t ignored = write(2, buf, (size_t)(t->at - buf));
    (void)ignored;
    t->at = buf;
}

/* With -DOBB_COUNT, one line per block size the tree was asked for. */
static void put_counters(struct obb_text *t, char *buf)
{
#ifdef OBB_COUNT
    static const char *const names[OBB_COUNT_KINDS] = {
        "calls ", ", from hints ", ", descents ", ", nodes visited ",
        ", found nothing ",
    };
    for (unsigned order = 0; order <= OBB_REGION_ORDER; order++) {
        if (__atomic_load_n(&obb_counts[0][order], __ATOMIC_RELAXED) == 0)
            continue;
        obb_text_str(t, "obb: tree, blocks of ");
        obb_text_uint(t, (uintmax_t)1 << order);
        obb_text_str(t, " bytes: ");
        for (int k = 0; k < OBB_COUNT_KINDS; k++) {
            obb_text_str(t, names[k]);
            obb_text_uint(t, __atomic_load_n(&obb_counts[k][order],
                                             __ATOMIC_RELAXED));
        }
        put_line(t, buf);
    }
#else
    (void)t, (void)buf;
#endif
}
#line 764 "docs/05-regions-and-big-blocks.md"
/* One line per region: where it is, its blocks, its free bytes, its
   resident nodes. */
static void put_region(struct obb_text *t, char *buf, const void *base,
                       const struct obb_census *c, size_t tree_resident)
{
    obb_text_str(t, "obb: region ");
    obb_text_pointer(t, base);
    obb_text_str(t, ": ");
    obb_text_uint(t, c->blocks);
    obb_text_str(t, " blocks of ");
    obb_text_uint(t, c->block_bytes);
    obb_text_str(t, " bytes, ");
    obb_text_uint(t, c->free_bytes);
    obb_text_str(t, " bytes free, tree pages ");
    obb_text_uint(t, tree_resident);
    obb_text_str(t, " bytes");
    put_line(t, buf);
}
#line 749 "docs/05-regions-and-big-blocks.md"
/* How many large blocks there are, and how much they map. */
static void put_large(struct obb_text *t, char *buf)
{
    struct obb_large_stats large;
    obb_large_count(&large);
    obb_text_str(t, "obb: large blocks ");
    obb_text_uint(t, large.requests - large.frees);
    obb_text_str(t, " in ");
    obb_text_uint(t, large.bytes);
    obb_text_str(t, " mapped bytes");
    put_line(t, buf);
}
#line 1159 "docs/10-the-owner-takes-no-lock.md"
/* What the report carries from one arena to the next. */
struct report {
    struct obb_text *t;
    char *buf;
    struct obb_census all;
    size_t reserved, resident;
    unsigned arenas;
};

static const char *const whose[] = {
    [OBB_ORPHAN] = ": (free for the next new thread)",
    [OBB_OWNED] = ": (a live thread's)",
    [OBB_CLAIMED] = ": (being settled by another thread)",
    [OBB_SEALED] = ": (sealed: caught halfway by a fork)",
};

static size_t relaxed(const size_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* The blocks other threads freed into a, and what came back. */
static void put_remote(struct obb_text *t, char *buf,
                       const struct obb_arena *a)
{
    obb_text_str(t, "obb: frees from other threads ");
    obb_text_uint(t, relaxed(&a->pushed));
    obb_text_str(t, ", taken back ");
    obb_text_uint(t, relaxed(&a->taken));
    obb_text_str(t, " in ");
    obb_text_uint(t, relaxed(&a->drains));
    obb_text_str(t, " drains, pushes retried ");
    obb_text_uint(t, relaxed(&a->retries));
    put_line(t, buf);
}

static void put_arena(struct obb_arena *a, unsigned number, int state,
                      void *context)
{
    struct report *rep = context;
    struct obb_text *t = rep->t;
    obb_text_str(t, "Arena ");
    obb_text_uint(t, number);
    obb_text_str(t, whose[state]);
    put_line(t, rep->buf);
    pthread_mutex_lock(&a->lock);   /* the list of regions stays */
    for (struct obb_region *r = a->regions; r != NULL; r = r->next) {
        struct obb_census c = { 0 };
        obb_tree_census(&r->tree, &c);
        size_t tree_bytes = obb_tree_bytes(r->tree.order);
        size_t tree_resident = obb_os_resident(r->tree.nodes, tree_bytes);
        c.blocks -= 2;   /* the tree's nodes and the region header */
        c.block_bytes -=
            tree_bytes + ((size_t)1 << obb_log2_ceil(sizeof *r));
        put_region(t, rep->buf, r->tree.base, &c, tree_resident);
        rep->all.blocks += c.blocks;
        rep->all.block_bytes += c.block_bytes;
        rep->all.nodes += c.nodes;
        rep->reserved += tree_bytes;
        rep->resident += tree_resident;
    }
    size_t regions = a->region_count;
    pthread_mutex_unlock(&a->lock);
    obb_text_str(t, "obb: ");
    obb_text_uint(t, regions);
    obb_text_str(t, " regions; requests ");
    obb_text_uint(t, relaxed(&a->requests));
    obb_text_str(t, ", frees ");
    obb_text_uint(t, relaxed(&a->frees));
    put_line(t, rep->buf);
    put_remote(t, rep->buf, a);
    rep->arenas++;
}
#line 415 "docs/08-threads-come-and-go.md"

void malloc_stats(void)
{
    char buf[256];
    struct obb_text t = { buf, buf + sizeof buf - 1 };
    struct report r = { .t = &t, .buf = buf };
    obb_arenas_visit(put_arena, &r);
    struct obb_census all = r.all;
    size_t reserved = r.reserved, resident = r.resident;
    obb_text_str(&t, "Total (all ");
    obb_text_uint(&t, r.arenas);
    obb_text_str(&t, " arenas):");
    put_line(&t, buf);
    put_large(&t, buf);
    #line 787 "docs/05-regions-and-big-blocks.md"
    obb_text_str(&t, "obb: live blocks ");
    obb_text_uint(&t, all.blocks);
    obb_text_str(&t, ", bytes in them ");
    obb_text_uint(&t, all.block_bytes);
    put_line(&t, buf);
    obb_text_str(&t, "obb: metadata in use ");
    obb_text_uint(&t, (all.nodes + 1) / 2);
    obb_text_str(&t, " bytes (");
    obb_text_uint(&t, all.nodes);
    obb_text_str(&t, " nodes), resident ");
    obb_text_uint(&t, resident);
    obb_text_str(&t, " bytes of ");
    obb_text_uint(&t, reserved);
    obb_text_str(&t, " reserved");
    put_line(&t, buf);
    obb_text_str(&t, "obb: metadata per live block: in use ");
    put_ratio(&t, (all.nodes + 1) / 2, all.blocks);
    obb_text_str(&t, ", resident ");
    put_ratio(&t, resident, all.blocks);
    obb_text_str(&t, " (glibc's 8-byte header: 8.00)");
    put_line(&t, buf);
    obb_text_str(&t, "obb: metadata per 100 heap bytes: in use ");
    put_ratio(&t, (all.nodes + 1) / 2 * 100, all.block_bytes);
    obb_text_str(&t, ", resident ");
    put_ratio(&t, resident * 100, all.block_bytes);
    obb_text_str(&t, ", 8-byte headers ");
    put_ratio(&t, all.blocks * 8 * 100, all.block_bytes);
    put_line(&t, buf);
    put_counters(&t, buf);
#line 430 "docs/08-threads-come-and-go.md"
}
