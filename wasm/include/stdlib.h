/* stdlib.h for the tree widget: diagnostics.c's obb_fatal calls abort, which the widget
   never reaches (it reports a verdict instead); ../freestanding.c traps. */
#ifndef OBBW_STDLIB_H
#define OBBW_STDLIB_H
#include <stddef.h>
_Noreturn void abort(void);
#endif
