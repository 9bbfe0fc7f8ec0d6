#line 711 "docs/04-one-byte-a-block.md"
/* stats.c: malloc_stats, the allocator's own report, printed without allocating. */
#define _GNU_SOURCE
#include <malloc.h>
#include <unistd.h>
#include "internal.h"

#line 725 "docs/04-one-byte-a-block.md"
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
#line 750 "docs/04-one-byte-a-block.md"
void malloc_stats(void)
{
    struct obb_arena *a = &obb_main_arena;
    struct obb_census c = { 0 };
    size_t reserved = 0, resident = 0;
    pthread_mutex_lock(&a->lock);
    if (a->region != NULL) {
        obb_tree_census(&a->region->tree, &c);
        reserved = obb_tree_bytes(a->region->tree.order);
        resident = obb_os_resident(a->region->tree.nodes, reserved);
    }
    pthread_mutex_unlock(&a->lock);

    char buf[256];
    struct obb_text t = { buf, buf + sizeof buf - 1 };
    obb_text_str(&t, "obb: live blocks ");
    obb_text_uint(&t, c.blocks);
    obb_text_str(&t, ", bytes in them ");
    obb_text_uint(&t, c.block_bytes);
    put_line(&t, buf);
    obb_text_str(&t, "obb: metadata in use ");
    obb_text_uint(&t, (c.nodes + 1) / 2);
    obb_text_str(&t, " bytes (");
    obb_text_uint(&t, c.nodes);
    obb_text_str(&t, " nodes), resident ");
    obb_text_uint(&t, resident);
    obb_text_str(&t, " bytes of ");
    obb_text_uint(&t, reserved);
    obb_text_str(&t, " reserved");
    put_line(&t, buf);
    obb_text_str(&t, "obb: metadata per live block: in use ");
    put_ratio(&t, (c.nodes + 1) / 2, c.blocks);
    obb_text_str(&t, ", resident ");
    put_ratio(&t, resident, c.blocks);
    obb_text_str(&t, " (a 24-byte header: 24.00)");
    put_line(&t, buf);
    obb_text_str(&t, "obb: metadata per 100 heap bytes: in use ");
    put_ratio(&t, (c.nodes + 1) / 2 * 100, c.block_bytes);
    obb_text_str(&t, ", resident ");
    put_ratio(&t, resident * 100, c.block_bytes);
    obb_text_str(&t, ", 24-byte headers ");
    put_ratio(&t, c.blocks * 24 * 100, c.block_bytes);
    put_line(&t, buf);
}
