// The workloads: what each one runs, at which size, and how its checksum is read.
//
// Three sizes: `full` for `make bench` (each run a fraction of a second to a
// second under glibc), `quick` for `make bench QUICK=1` (tens of milliseconds),
// `tiny` for the test suite (a few milliseconds: only the checksum matters).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkloadKind } from './types.ts';

export type SizeName = 'tiny' | 'quick' | 'full';

/** Where things are, shared by every workload. */
export interface Context {
  root: string;
  /** out/bench: binaries, generated inputs, scratch. */
  outDir: string;
  /** The real python3 executable (not a pyenv shim: the preload must reach Python itself). */
  python: string;
  /** Scratch directory a run may write into; emptied before each run. */
  scratch: string;
}

/** How the runner reads the checksum of a run. */
export type ChecksumSource =
  | { from: 'line' } // the workload prints `checksum <hex>`
  | { from: 'stdout' } // the SHA-256 of everything it printed
  | { from: 'file'; file: string }; // the SHA-256 of a file it wrote

export interface Invocation {
  argv: string[];
  env: Record<string, string>;
  stdin?: string;
  checksum: ChecksumSource;
}

export interface Workload {
  id: string;
  title: string;
  kind: WorkloadKind;
  stresses: string;
  threads: number;
  /** The C source under bench/workloads/ (synthetic workloads only). */
  source?: string;
  sizes: Record<SizeName, number>;
  /** Generates any input the run needs (cached in out/bench/inputs). */
  prepare?: (ctx: Context, size: number) => void;
  invoke: (ctx: Context, size: number) => Invocation;
}

function bin(ctx: Context, name: string): string {
  return path.join(ctx.outDir, 'bin', name);
}

function synthetic(
  id: string,
  source: string,
  title: string,
  threads: number,
  sizes: Record<SizeName, number>,
  extra: (size: number) => string[],
  stresses: string,
): Workload {
  return {
    id,
    title,
    kind: 'synthetic',
    stresses,
    threads,
    source,
    sizes,
    invoke: (ctx, size) => ({
      argv: [bin(ctx, source), ...extra(size)],
      env: {},
      checksum: { from: 'line' },
    }),
  };
}

// ---------------------------------------------------------------------------
// Generated inputs. Written to a temporary name and renamed into place, so two
// runners started at once never read a half-written file.

function cached(ctx: Context, name: string, make: () => string): string {
  const dir = path.join(ctx.outDir, 'inputs');
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, make());
    renameSync(tmp, file);
  }
  return file;
}

/** A small deterministic generator for the inputs (the same splitmix64 as the C side). */
function rng(seed: bigint): () => number {
  let s = seed;
  const mask = (1n << 64n) - 1n;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & mask;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
    z ^= z >> 31n;
    return Number(z >> 11n) / 2 ** 53;
  };
}

const WORDS = ['block', 'buddy', 'arena', 'region', 'nibble', 'page', 'split', 'merge', 'thread', 'lock', 'heap', 'free'];

/** An SQL script: bulk inserts in one transaction, an index, grouping, updates that grow rows, deletes, a join. */
export function sqliteScript(rows: number): string {
  const r = rng(0x5917en);
  const pick = () => WORDS[Math.floor(r() * WORDS.length)] ?? 'block';
  const out: string[] = [
    'PRAGMA cache_size = -65536;',
    'CREATE TABLE item(id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, body TEXT, price REAL);',
    'BEGIN;',
  ];
  for (let i = 1; i <= rows; i++) {
    const body = Array.from({ length: 1 + Math.floor(r() * 40) }, pick).join(' ');
    const price = Math.floor(r() * 100000) / 100;
    out.push(`INSERT INTO item VALUES(${i}, ${Math.floor(r() * 97)}, '${pick()}-${Math.floor(r() * 1000)}', '${body}', ${price});`);
  }
  out.push(
    'COMMIT;',
    'CREATE INDEX item_grp ON item(grp, name);',
    "SELECT grp, count(*), sum(length(body)), printf('%.2f', sum(price)) FROM item GROUP BY grp ORDER BY grp;",
    'UPDATE item SET body = body || \' \' || name || \' \' || body WHERE id % 3 = 0;',
    'DELETE FROM item WHERE id % 7 = 0;',
    'SELECT count(*), sum(length(body)) FROM item;',
    "SELECT substr(name, 1, instr(name, '-') - 1) AS w, count(*), max(length(body)) FROM item GROUP BY w ORDER BY w;",
    'CREATE TABLE pair AS SELECT a.id AS x, b.id AS y, a.body || b.body AS both FROM item a JOIN item b ON b.id BETWEEN a.id + 1 AND a.id + 50 AND b.grp % 7 = a.grp % 7;',
    'SELECT count(*), sum(length(both)) FROM pair;',
    "SELECT group_concat(name, ',') FROM (SELECT name FROM item ORDER BY body DESC, id LIMIT 50);",
  );
  return out.join('\n') + '\n';
}

/** A C file of many functions: loops, switches, structs, calls between them. */
export function cSource(functions: number): string {
  const r = rng(0x6cc0n);
  const n = (k: number) => Math.floor(r() * k);
  const out: string[] = ['/* generated by bench/workloads.ts: a large, boring C file for gcc to chew on */', ''];
  for (let f = 0; f < functions; f++) {
    const fields = 2 + n(6);
    out.push(`struct s${f} {`);
    for (let k = 0; k < fields; k++) out.push(`    ${k % 2 ? 'long' : 'int'} f${k};`);
    out.push(`    double d[${4 + n(12)}];`, '};', '');
    out.push(`static int table${f}[${8 + n(24)}] = {${Array.from({ length: 8 }, () => n(1000)).join(', ')}};`, '');
    out.push(`long fn${f}(struct s${f} *p, int n)`, '{', '    long acc = 0;');
    out.push('    for (int i = 0; i < n; i++) {', `        switch ((i * ${1 + n(13)} + p->f0) % ${4 + n(12)}) {`);
    const cases = 4 + n(10);
    for (let c = 0; c < cases; c++) {
      const expr =
        c % 3 === 0
          ? `acc += p->f${n(fields)} * ${n(100)} + table${f}[i % 8];`
          : c % 3 === 1
            ? `acc ^= (acc << ${1 + n(7)}) + (long)p->d[i % 4];`
            : `p->d[i % 4] += (double)acc / ${1 + n(50)}.0;`;
      out.push(`        case ${c}: ${expr} break;`);
    }
    out.push('        default: acc -= i; break;', '        }', '    }');
    if (f > 0) out.push(`    if (n > ${n(50)}) acc += fn${n(f)}((void *)p, n / 2);`);
    out.push('    return acc;', '}', '');
  }
  out.push('long total(void *p, int n)', '{', '    long t = 0;');
  for (let f = 0; f < functions; f += 1 + n(4)) out.push(`    t += fn${f}(p, n);`);
  out.push('    return t;', '}', '');
  return out.join('\n');
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------------------

export const WORKLOADS: Workload[] = [
  synthetic(
    'larson',
    'larson',
    'Server simulation (larson-like)',
    4,
    { tiny: 200, quick: 6000, full: 50000 },
    (n) => [String(n), '4', '8'],
    'Short-lived threads replace random small blocks in slot arrays handed from thread to thread, so most frees are of memory another (often dead) thread allocated.',
  ),
  synthetic(
    'xmalloc',
    'xmalloc',
    'Producer/consumer (xmalloc-like)',
    4,
    { tiny: 512, quick: 50000, full: 500000 },
    (n) => [String(n), '2'],
    'Every block is freed by a different thread from the one that allocated it: the remote-free path, all the time.',
  ),
  synthetic(
    'alloc-test1',
    'alloc-test',
    'Working set, 1 thread (alloc-test-like)',
    1,
    { tiny: 2000, quick: 150000, full: 1500000 },
    (n) => [String(n), '1'],
    'A changing working set of 8192 blocks up to 1 KiB: the fast path of malloc and free, and reuse of freed blocks.',
  ),
  synthetic(
    'alloc-test2',
    'alloc-test',
    'Working set, 2 threads (alloc-test-like)',
    2,
    { tiny: 2000, quick: 150000, full: 1000000 },
    (n) => [String(n), '2'],
    'The same working set in two threads at once: whether threads allocate without waiting for each other.',
  ),
  synthetic(
    'mstress',
    'mstress',
    'Mixed sizes and realloc (mstress-like)',
    4,
    { tiny: 300, quick: 2000, full: 20000 },
    (n) => [String(n), '4', '10'],
    'Sizes from 8 bytes to 256 KiB, realloc that grows and shrinks, and blocks that outlive the thread that allocated them.',
  ),
  synthetic(
    'glibc-simple',
    'glibc-simple',
    'Fixed-size batches (glibc-simple-like)',
    1,
    { tiny: 1, quick: 10, full: 60 },
    (n) => [String(n), '1'],
    'Batches of one size, freed first-to-last and last-to-first: the plainest malloc/free pattern there is.',
  ),
  synthetic(
    'glibc-thread',
    'glibc-simple',
    'Fixed-size batches, 2 threads',
    2,
    { tiny: 1, quick: 10, full: 40 },
    (n) => [String(n), '2'],
    'The same batches in two threads at once, each on its own blocks.',
  ),
  synthetic(
    'cache-scratch',
    'cache-scratch',
    'Passive false sharing (cache-scratch-like)',
    2,
    { tiny: 100, quick: 20000, full: 150000 },
    (n) => [String(n), '2', '500'],
    'Objects that start out next to each other are freed by two threads and reallocated: does the allocator hand each thread memory on a cache line the other thread writes?',
  ),
  synthetic(
    'malloc-large',
    'malloc-large',
    'Large blocks (malloc-large-like)',
    1,
    { tiny: 3, quick: 8, full: 80 },
    (n) => [String(n)],
    'Blocks of 5 to 25 MiB, at most eight alive: mapping, unmapping and page faults, and whether big blocks are kept for reuse.',
  ),
  {
    id: 'python',
    title: 'python3 (PYTHONMALLOC=malloc)',
    kind: 'program',
    stresses: "CPython with its own small-object allocator switched off: millions of small dicts, strings, tuples and lists created and dropped.",
    threads: 1,
    sizes: { tiny: 300, quick: 1000, full: 10000 },
    invoke: (ctx, size) => ({
      argv: [ctx.python, '-I', path.join(ctx.root, 'bench/programs/alloc_heavy.py'), '2', String(size)],
      env: { PYTHONMALLOC: 'malloc', PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1' },
      checksum: { from: 'line' },
    }),
  },
  {
    id: 'sqlite',
    title: 'sqlite3 (generated SQL)',
    kind: 'program',
    stresses: 'An in-memory SQLite database: parsing thousands of statements, B-tree pages, a large page cache, growing rows and a join.',
    threads: 1,
    sizes: { tiny: 200, quick: 2500, full: 12000 },
    prepare: (ctx, size) => {
      cached(ctx, `sqlite-${size}-${digest(sqliteScript(3))}.sql`, () => sqliteScript(size));
    },
    invoke: (ctx, size) => ({
      argv: ['sqlite3', ':memory:'],
      env: {},
      stdin: cached(ctx, `sqlite-${size}-${digest(sqliteScript(3))}.sql`, () => sqliteScript(size)),
      checksum: { from: 'stdout' },
    }),
  },
  {
    id: 'gcc',
    title: 'gcc -O2 (generated C file)',
    kind: 'program',
    stresses: 'The C compiler optimising one large generated file: trees, RTL, hash tables, bitmaps, a long-running single-threaded heap.',
    threads: 1,
    sizes: { tiny: 3, quick: 6, full: 24 },
    prepare: (ctx, size) => {
      cached(ctx, `gcc-${size}-${digest(cSource(3))}.c`, () => cSource(size));
    },
    invoke: (ctx, size) => {
      const input = cached(ctx, `gcc-${size}-${digest(cSource(3))}.c`, () => cSource(size));
      const output = path.join(ctx.scratch, 'out.s');
      return {
        argv: ['gcc', '-O2', '-S', '-frandom-seed=obb', '-o', output, input],
        env: {},
        checksum: { from: 'file', file: output },
      };
    },
  },
];

/** The C sources to compile, once each (two workloads may share one). */
export function sources(workloads: Workload[]): string[] {
  return [...new Set(workloads.flatMap((w) => (w.source ? [w.source] : [])))];
}
