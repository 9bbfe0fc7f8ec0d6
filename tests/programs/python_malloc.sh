#!/usr/bin/env bash
# since: pages-from-the-kernel
# timeout: 120
# CPython with PYTHONMALLOC=malloc, so that every object, not only the big
# ones, comes from malloc; a few threads allocate at the same time.
set -euo pipefail
export PYTHONMALLOC=malloc PYTHONHASHSEED=0 LC_ALL=C
python3 -c '
import hashlib, json, re, threading, collections

def work(seed, out):
    rows = [{"id": i, "name": "item%d" % (i * seed % 997), "tags": list(range(i % 7))}
            for i in range(10000)]
    text = json.dumps(rows, sort_keys=True)
    out[seed] = hashlib.sha256(text.encode()).hexdigest()

results = {}
threads = [threading.Thread(target=work, args=(s, results)) for s in range(1, 5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for seed in sorted(results):
    print(seed, results[seed])

words = re.findall(r"[a-z]+", open("/usr/include/stdlib.h").read().lower())
print(collections.Counter(words).most_common(5))
print(sum(len(str(2**n)) for n in range(3000)))
'
