#!/usr/bin/env bash
# sort_parallel.sh: `sort --parallel=2` of a 100 MB file of random lines; sort
# hands its buffer to two sorting threads, which allocate and free at once.
# Prints the line count and a checksum of the sorted output.
# since: an-arena-per-thread
# timeout: 300
set -eu
input="$OBB_CACHE/threads-sort-100M.txt"
if [ ! -f "$input" ]; then
    mkdir -p "$OBB_CACHE"
    partial="$(mktemp "$OBB_CACHE/threads-sort-100M.XXXXXX")"
    # A fixed-seed generator, so every machine sorts the same 100 MB.
    awk 'BEGIN {
        x = 12345; bytes = 0; srand(1)
        while (bytes < 100000000) {
            x = (x * 1103515245 + 12345) % 2147483648
            line = sprintf("%010d %x %d", x, x * 7 % 1000003, x % 977)
            print line; bytes += length(line) + 1
        }
    }' > "$partial"
    mv -f "$partial" "$input"
fi
LC_ALL=C sort --parallel=2 -S 64M "$input" > sorted.txt
wc -l < sorted.txt
md5sum < sorted.txt
