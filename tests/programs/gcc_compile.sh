#!/usr/bin/env bash
# since: buddies
# gcc_compile.sh: `gcc -O2 -c` of one of our own scenarios: the driver, cc1 and as
# all run on the allocator. The object file is deterministic; print its checksum
# and the symbols it defines. (No -g: debug info would name the temporary directory.)
set -euo pipefail
export LC_ALL=C
cp "$OBB_ROOT/tests/scenarios/random_ops.c" .
gcc -std=gnu11 -O2 -Wall -Wextra -c random_ops.c -o random_ops.o
sha256sum < random_ops.o
nm --defined-only random_ops.o
