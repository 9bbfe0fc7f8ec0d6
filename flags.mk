# The compiler and its flags: for the book's library (every chapter's snapshot, ./libmalloc.so)
# and for the programs that test and measure it. One file, read by make (the Makefile includes
# it) and by TypeScript (tangle/snapshot.ts parses its NAME = value lines), so the two cannot
# differ. The book's own snapshot Makefile (chapter 02) says the same LIBRARY_CFLAGS as CFLAGS,
# for a reader who builds a downloaded snapshot alone; tests/snapshot.test.ts holds them equal.
CC = gcc
LIBRARY_CFLAGS = -std=c11 -O2 -g -fPIC -shared -pthread -Wall -Wextra -Werror
PROGRAM_CFLAGS = -std=gnu11 -O2 -g -pthread -Wall -Wextra -Werror
