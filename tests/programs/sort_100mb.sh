#!/usr/bin/env bash
# since: buddies
# timeout: 300
# sort_100mb.sh: GNU sort of a 100 MB generated file, numeric and text keys, all
# in memory: a few huge buffers and millions of line records.
set -euo pipefail
input="$OBB_CACHE/buddy-sort-100M-v1.txt"
if [ ! -f "$input" ]; then
    mkdir -p "$OBB_CACHE"
    partial="$(mktemp "$OBB_CACHE/buddy-sort-100M.XXXXXX")"
    # A fixed linear congruential generator: every machine sorts the same bytes.
    env -u LD_PRELOAD awk 'BEGIN {
        x = 42; bytes = 0
        while (bytes < 100000000) {
            x = (x * 1103515245 + 12345) % 2147483648
            line = sprintf("%d %s%x %d", x % 100000, substr("buddyblocknibblearena", x % 17 + 1, 4), x, x % 7919)
            print line; bytes += length(line) + 1
        }
    }' > "$partial"
    mv -f "$partial" "$input"
fi
export LC_ALL=C
# All in memory, or not at all: sort asks malloc for its buffer and, refused,
# retries smaller and spills sorted runs to temporary files, which would give
# the same checksum. Temporary files go to a folder that does not exist, so a
# spill (a malloc that refuses big requests) fails the run.
sort -S 1G -T "$PWD/no-temporary-files" -k1,1n -k2,2 "$input" | md5sum
