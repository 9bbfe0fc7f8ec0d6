/* unistd.h for the tree widget: diagnostics.c's obb_fatal writes to stderr, which a page
   does not have; ../freestanding.c's write reports failure. */
#ifndef OBBW_UNISTD_H
#define OBBW_UNISTD_H
#include <stddef.h>
typedef long ssize_t;
ssize_t write(int fd, const void *buf, size_t n);
#endif
