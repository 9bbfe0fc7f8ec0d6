#line 271 "docs/02-pages-from-the-kernel.md"
#define _GNU_SOURCE
#line 284 "docs/02-pages-from-the-kernel.md"
#include <errno.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>
#include "internal.h"
#line 273 "docs/02-pages-from-the-kernel.md"

#line 294 "docs/02-pages-from-the-kernel.md"
/* Map `bytes` (a multiple of the page size) of fresh, zeroed memory,
 * readable and writable, backed by no file. */
void *obb_os_map(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        /* mmap may say EINVAL or EAGAIN; malloc must say ENOMEM. */
        errno = ENOMEM;
        return NULL;
    }
    return p;
}

/* Give a mapping (or a page-aligned part of one) back to the kernel. */
void obb_os_unmap(void *p, size_t bytes)
{
    munmap(p, bytes);
}
#line 325 "docs/02-pages-from-the-kernel.md"
/* The page size never changes while we run, so ask once. */
size_t obb_os_page_size(void)
{
    static atomic_size_t page_size;
    size_t size = atomic_load_explicit(&page_size,
                                       memory_order_relaxed);
    if (size == 0) {
        size = (size_t)sysconf(_SC_PAGESIZE);
        atomic_store_explicit(&page_size, size, memory_order_relaxed);
    }
    return size;
}
#line 552 "docs/03-buddies.md"

/* Map bytes (rounded up to pages) aligned to align (a power of two; 0
   for a page), with extra mmap flags. NULL with errno ENOMEM on failure. */
static void *map_aligned(size_t bytes, size_t align, int flags)
{
    size_t page = obb_os_page_size();
    size_t extra = align > page ? align : 0;
    bytes = (bytes + page - 1) & ~(page - 1);
    if (bytes == 0 || bytes + extra < bytes) {
        errno = ENOMEM;
        return NULL;
    }
    unsigned char *p = mmap(NULL, bytes + extra, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
    if (p == MAP_FAILED) {
        errno = ENOMEM;
        return NULL;
    }
    if (extra) {                     /* trim to an aligned start */
        size_t head = (size_t)(-(uintptr_t)p & (align - 1));
        if (head)
            munmap(p, head);
        if (extra - head)
            munmap(p + head + bytes, extra - head);
        p += head;
    }
    return p;
}

/* Reserve address space: pages become memory when first touched. */
void *obb_os_reserve(size_t bytes, size_t align)
{
    return map_aligned(bytes, align, MAP_NORESERVE);
}
#line 916 "docs/04-one-byte-a-block.md"

/* How many bytes of the page-aligned range [p, p + bytes) are in memory. */
size_t obb_os_resident(const void *p, size_t bytes)
{
    size_t page = obb_os_page_size(), pages = bytes / page, resident = 0;
    unsigned char vector[4096];
    for (size_t i = 0; i < pages; i += sizeof vector) {
        size_t n = pages - i < sizeof vector ? pages - i : sizeof vector;
        if (mincore((char *)p + i * page, n * page, vector) != 0)
            break;
        for (size_t j = 0; j < n; j++)
            resident += vector[j] & 1;
    }
    return resident * page;
}
#line 337 "docs/05-regions-and-big-blocks.md"

/* Map bytes aligned to align, accounted for as usual. */
void *obb_os_map_aligned(size_t bytes, size_t align)
{
    return map_aligned(bytes, align, 0);
}
#line 293 "docs/06-the-whole-c-api.md"

/* Extend the mapping at p from old_bytes to new_bytes without moving it,
   if the address space after it is free. */
bool obb_os_grow(void *p, size_t old_bytes, size_t new_bytes)
{
    return mremap(p, old_bytes, new_bytes, 0) != MAP_FAILED;
}
#line 154 "docs/08-threads-come-and-go.md"

/* The pages of [p, p + bytes) hold nothing we need: the kernel takes them
   back, and the next touch of each finds a fresh page of zeros. */
void obb_os_discard(void *p, size_t bytes)
{
    madvise(p, bytes, MADV_DONTNEED);
}
