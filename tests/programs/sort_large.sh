#!/usr/bin/env bash
# since: pages-from-the-kernel
# timeout: 120
# GNU sort on a 30 MB generated file: in memory with several threads, then
# again with a small buffer so that it spills runs to disk and merges them.
set -euo pipefail

cache="${OBB_CACHE:-${TMPDIR:-/tmp}/obb-cache}"
input="$cache/sort-input-v1.txt"
mkdir -p "$cache"

# The input is made once, outside the allocator under test (it is not what
# we are testing), with a fixed linear congruential generator so that every
# machine makes the same bytes. Runs may be concurrent: write a private file
# and rename it into place, which is atomic.
if [ ! -f "$input" ]; then
  tmp="$input.tmp.$$"
  env -u LD_PRELOAD -u PYTHONMALLOC python3 - "$tmp" <<'PY'
import sys
words = ["buddy", "block", "nibble", "arena", "region", "page", "heap",
         "split", "merge", "free", "used", "full", "thread", "lock"]
x = 20240601
with open(sys.argv[1], "w") as out:
    lines = []
    for i in range(1_000_000):
        x = (x * 6364136223846793005 + 1442695040888963407) % 2**64
        a = words[(x >> 20) % len(words)]
        b = words[(x >> 30) % len(words)]
        lines.append(f"{a}-{b} {(x >> 33) % 1000000} {x >> 40:x}\n")
        if len(lines) == 10_000:
            out.writelines(lines)
            lines.clear()
    out.writelines(lines)
PY
  mv "$tmp" "$input"
fi

export LC_ALL=C
echo "input: $(wc -l < "$input") lines"
sort --parallel=4 "$input" | sha256sum
sort --parallel=2 -S 4M -T . -k2,2n -k1,1 "$input" | sha256sum
sort -u -k1,1 "$input" > unique.txt
wc -l < unique.txt
head -n 3 unique.txt
