/* pthread.h for the tree widget: internal.h names pthread_mutex_t in struct obb_arena, which
   the widget never builds. The tree itself takes no lock, so a type is all it needs. */
#ifndef OBBW_PTHREAD_H
#define OBBW_PTHREAD_H
typedef struct { int unused; } pthread_mutex_t;
#define PTHREAD_MUTEX_INITIALIZER { 0 }
#endif
