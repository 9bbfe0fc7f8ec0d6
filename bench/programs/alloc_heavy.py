"""alloc_heavy.py: a Python program that spends its time creating and dropping
small objects, run with PYTHONMALLOC=malloc so that every one of them goes
through the C library's malloc (Python's own small-object allocator, pymalloc,
is switched off).

It builds a table of records as dicts, indexes it, renders it to text, parses
the text back, sorts and groups, and repeats.  Deterministic: a fixed seed, no
set or hash ordering in the output.

usage: python3 alloc_heavy.py [rounds (default 4)] [records per round (20000)]
"""
import random
import sys
import zlib


def make_records(rng, n):
    words = ["block", "buddy", "arena", "region", "nibble", "page", "free",
             "split", "merge", "thread", "lock", "heap"]
    return [
        {
            "id": i,
            "name": rng.choice(words) + "-" + str(rng.randrange(10_000)),
            "size": rng.randrange(1, 4096),
            "tags": [rng.choice(words) for _ in range(rng.randrange(1, 6))],
            "score": rng.random(),
        }
        for i in range(n)
    ]


def render(records):
    return "\n".join(
        f"{r['id']}\t{r['name']}\t{r['size']}\t{','.join(r['tags'])}\t{r['score']:.6f}"
        for r in records
    )


def parse(text):
    out = []
    for line in text.split("\n"):
        i, name, size, tags, score = line.split("\t")
        out.append((int(i), name, int(size), tuple(tags.split(",")), float(score)))
    return out


def one_round(rng, n):
    records = make_records(rng, n)
    by_name = {}
    for r in records:
        by_name.setdefault(r["name"].split("-")[0], []).append(r)
    rows = parse(render(records))
    rows.sort(key=lambda t: (t[2], t[1], t[0]))
    groups = {}
    for row in rows:
        groups.setdefault(row[3][0], []).append(row[2])
    summary = sorted((k, len(v), sum(v)) for k, v in groups.items())
    text = repr(summary) + repr(sorted((k, len(v)) for k, v in by_name.items()))
    return zlib.crc32(text.encode())


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    rng = random.Random(1234)
    crc = 0
    for _ in range(rounds):
        crc = zlib.crc32(str(one_round(rng, records)).encode(), crc)
    print(f"checksum {crc:08x}")


main()
