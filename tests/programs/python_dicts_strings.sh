#!/usr/bin/env bash
# since: buddies
# python_dicts_strings.sh: CPython with PYTHONMALLOC=malloc, so every object comes
# from malloc, building and dropping dicts, lists and strings of every size; a
# buddy allocator splits and merges on nearly every call. Prints digests.
set -euo pipefail
export PYTHONMALLOC=malloc PYTHONHASHSEED=0 LC_ALL=C
python3 - <<'PY'
import hashlib
h = hashlib.sha256()
for round in range(6):
    d = {}
    for i in range(60000):
        key = "k%d-%s" % (i, "x" * (i % 50))
        d[key] = [i, str(i) * (i % 7), {"n": i, "s": key[::-1]}]
    for i in range(0, 60000, 3):
        del d["k%d-%s" % (i, "x" * (i % 50))]
    words = sorted(d, key=lambda k: (len(k), k))
    text = "".join(w.upper() for w in words[::97])
    h.update(text.encode())
    big = ["a" * n for n in range(0, 20000, 7)]
    h.update(str(sum(map(len, big))).encode())
    del d, words, big
print(h.hexdigest())
print(len(" ".join(str(x) * 3 for x in range(200000))))
PY
