/* tree-widget.c: the chapter's own tree, compiled to WebAssembly for the page.
 *
 * Hack. The chapter's tree.c and diagnostics.c are #included, not linked: the widget
 * names the states with the chapter's own tables (left_fill, right_fill) and enum,
 * which are static in tree.c. The build (wasm/build.ts) passes their paths in the
 * snapshot as OBBW_TREE_C and OBBW_DIAGNOSTICS_C; wasm/include/ stands in for the libc
 * headers they include. Nothing of the chapter is changed or re-implemented here.
 *
 * The page speaks in offsets from the region's start, never in pointers.
 */
#include OBBW_TREE_C
#include OBBW_DIAGNOSTICS_C

#define EXPORT(name) __attribute__((export_name(#name))) name

/* The reader picks a region of 256 B to 4 KiB: a tree of depth 4 to 8. */
#define WIDGET_MIN_ORDER 8
#define WIDGET_MAX_ORDER 12

static unsigned char region[(size_t)1 << WIDGET_MAX_ORDER] __attribute__((aligned(4096)));
static unsigned char nodes[(size_t)1 << (WIDGET_MAX_ORDER - OBB_MIN_ORDER)];
static struct obb_tree tree;
static int last_verdict = OBB_VALID;

/* A fresh region of 2^order bytes: every node free, as the kernel's zeroed pages give. */
int EXPORT(obbw_init)(unsigned order)
{
    if (order < WIDGET_MIN_ORDER || order > WIDGET_MAX_ORDER)
        return -1;
    memset(nodes, 0, sizeof nodes);
    obb_tree_init(&tree, region, order, nodes);
    return 0;
}

static int offset_of_pointer(const void *p)
{
    return p == NULL ? -1 : (int)((const unsigned char *)p - region);
}

static bool in_region(unsigned offset)
{
    return offset < ((size_t)1 << tree.order);
}

/* malloc(size): the block's offset, or -1 when the tree has no room. */
int EXPORT(obbw_malloc)(unsigned size)
{
    return offset_of_pointer(obb_tree_alloc(&tree, size));
}

/* free(region + offset): the tree's verdict; -1 for an offset outside the region, which
   the library's obb_region_of refuses before the tree is asked. */
int EXPORT(obbw_free)(unsigned offset)
{
    if (!in_region(offset))
        return -1;
    return last_verdict = (int)obb_tree_free(&tree, region + offset);
}

/* The block's usable size, or 0 when the tree's verdict (obbw_verdict) is not valid. */
unsigned EXPORT(obbw_usable)(unsigned offset)
{
    size_t usable = 0;
    if (!in_region(offset))
        return 0;
    last_verdict = (int)obb_tree_find(&tree, region + offset, &usable);
    return (unsigned)usable;
}

/* realloc as the chapter's obb_arena_realloc does it, minus the lock and errno: the same
   block when it is big enough, else a new one, the bytes copied, the old one freed.
   Returns the new offset, or -1 (then obbw_verdict says whether the pointer was bad). */
int EXPORT(obbw_realloc)(unsigned offset, unsigned size)
{
    unsigned have = obbw_usable(offset);
    if (have == 0)
        return -1;
    if (size <= have)
        return (int)offset;
    void *q = obb_tree_alloc(&tree, size);
    if (q == NULL)
        return -1;
    memcpy(q, region + offset, have);
    last_verdict = (int)obb_tree_free(&tree, region + offset);
    return offset_of_pointer(q);
}

int EXPORT(obbw_verdict)(void) { return last_verdict; }
const char *EXPORT(obbw_verdict_text)(int v) { return obb_verdict_text((enum obb_verdict)v); }

/* The nibbles, where the page reads them: node n is byte n / 2, low nibble if n is even. */
const unsigned char *EXPORT(obbw_nodes)(void) { return nodes; }
unsigned EXPORT(obbw_node_bytes)(void) { return (unsigned)obb_tree_bytes(tree.order); }
unsigned EXPORT(obbw_min_order)(void) { return OBB_MIN_ORDER; }

/* The chapter's states, so the page can name them: how many, which is free, which is
   allocated, and what each says of its halves (EMPTY, PART or FULL: 0, 1, 2). */
unsigned EXPORT(obbw_states)(void) { return sizeof left_fill; }
unsigned EXPORT(obbw_free_state)(void) { return FREE; }
unsigned EXPORT(obbw_allocated_state)(void) { return ALLOCATED; }
unsigned EXPORT(obbw_left_fill)(unsigned s) { return s < sizeof left_fill ? left_fill[s] : 0; }
unsigned EXPORT(obbw_right_fill)(unsigned s) { return s < sizeof right_fill ? right_fill[s] : 0; }
