#!/usr/bin/env bash
# since: regions-and-big-blocks
# ls_sort_address_limit.sh: `ls -l` and `sort` under `ulimit -v 100000`, a limit
# on address space (RLIMIT_AS, 100,000 KiB) that counts reserved mappings too.
# A region table reserved whole (256 MiB) made every malloc fail here, and ls
# and sort said "memory exhausted"; glibc's malloc runs both.
set -euo pipefail
export LC_ALL=C
ulimit -v 100000
ls -l /usr/bin | sha256sum
seq 1 500000 | sort -r | sha256sum
seq 1 200000 | sort -n -k1,1 -t: | tail -n 3
