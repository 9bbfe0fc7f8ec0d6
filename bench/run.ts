// The benchmark runner: `npx tsx bench/run.ts [--quick] [options]` (see bench/README.md).
//
// Builds the workloads, finds the allocators, runs every workload under every
// allocator in interleaved rounds (A B C D, A B C D, ...) so that a slow minute
// on a shared machine hurts all of them alike, checks every checksum against
// glibc's, prints a table and writes bench/results/latest.json plus a dated copy.

import { run } from './proc.ts';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Allocator, chapters, findPeers, glibc, ours, PEERS, pin } from './allocators.ts';
import { buildWorkloads, runOnce } from './measure.ts';
import { type Cell, formatTable, summarise } from './report.ts';
import { type BenchResults, RESULTS_SCHEMA, type WorkloadInfo } from './types.ts';
import { type Context, type SizeName, WORKLOADS } from './workloads.ts';

// This file's folder's parent (from argv, which works whether tsx runs us as ESM or CommonJS).
const ROOT = path.resolve(path.dirname(process.argv[1] ?? 'bench/run.ts'), '..');

const USAGE = `usage: npx tsx bench/run.ts [options]
  --quick                 small sizes, 3 iterations (make bench QUICK=1)
  --size tiny|quick|full  workload sizes (default full, or quick with --quick)
  --iterations N          runs per workload and allocator (default 5, 3 with --quick)
  --only a,b              only these workloads (ids: ${WORKLOADS.map((w) => w.id).join(', ')})
  --allocators a,b        only these allocators: glibc, ours, jemalloc, tcmalloc, mimalloc,
                          chapters (every chapter library), or a chapter: 03, ch03, 03-buddies
                          (glibc is always run: every checksum and ratio is against it)
  --timeout S             seconds before a run is killed (default: 20x glibc's time, at least
                          3 s quick / 10 s full, at most 20 s quick / 60 s full)
  --mem-limit MIB         resident memory (with children) at which a run is killed (default 6144)
  --library FILE          measure FILE as "ours" instead of ./libmalloc.so
  --out FILE              write the JSON here instead of bench/results/latest.json + dated copy
                          (a quick run, or one narrowed by --only, --allocators, --library or
                          --size, writes only a dated copy, never latest.json)
  --list                  print the workloads and allocators, run nothing`;

interface Options {
  quick: boolean;
  size: SizeName;
  iterations: number;
  only: string[] | null;
  allocators: string[] | null;
  timeout: number | null;
  memLimit: number;
  out: string | null;
  library: string | null;
  list: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    quick: false,
    size: 'full',
    iterations: 0,
    only: null,
    allocators: null,
    timeout: null,
    memLimit: 6144,
    out: null,
    library: null,
    list: false,
  };
  let size: SizeName | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    const positive = (v: string) => {
      const n = Number(v);
      if (!(n > 0)) fail(`${a} needs a positive number, not '${v}'`);
      return n;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--size') {
      const v = value();
      if (v !== 'tiny' && v !== 'quick' && v !== 'full') fail(`--size is tiny, quick or full, not '${v}'`);
      size = v;
    } else if (a === '--iterations') o.iterations = Math.floor(positive(value()));
    else if (a === '--only') o.only = value().split(',').filter(Boolean);
    else if (a === '--allocators') o.allocators = value().split(',').filter(Boolean);
    else if (a === '--timeout') o.timeout = positive(value());
    else if (a === '--mem-limit') o.memLimit = Math.floor(positive(value()));
    else if (a === '--out') o.out = path.resolve(value());
    else if (a === '--library') o.library = path.resolve(value());
    else if (a === '--list') o.list = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option '${a}'`);
  }
  o.size = size ?? (o.quick ? 'quick' : 'full');
  if (o.iterations === 0) o.iterations = o.quick ? 3 : 5;
  if (o.only) {
    const unknown = o.only.filter((id) => !WORKLOADS.some((w) => w.id === id));
    if (unknown.length) fail(`unknown workload(s) ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.id).join(', ')}`);
  }
  return o;
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------
// The machine and the versions, so a reader can tell what the numbers are from.

async function firstLine(cmd: string, args: string[]): Promise<string> {
  const r = await run(cmd, args);
  return r.all.split('\n')[0]?.trim() || 'unknown';
}

async function describe(python: string): Promise<Pick<BenchResults, 'machine' | 'versions'>> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const cpu = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    machine: {
      cpu,
      cores: os.cpus().length,
      kernel: `${os.type()} ${os.release()}`,
      memTotalMiB: Math.round(os.totalmem() / 2 ** 20),
      loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    },
    versions: {
      gcc: await firstLine('gcc', ['--version']),
      glibc: await firstLine('getconf', ['GNU_LIBC_VERSION']),
      node: process.version,
      python: await firstLine(python, ['--version']),
      sqlite: (await firstLine('sqlite3', ['--version'])).split(' ')[0] ?? 'unknown',
      peers: {},
    },
  };
}

// ---------------------------------------------------------------------------
// Choosing allocators.

function selected(filter: string[] | null, a: Allocator): boolean {
  if (filter === null || a.id === 'glibc') return true;
  return filter.some((f) => {
    if (f === a.id || f === a.label) return true;
    if (f === 'chapters') return a.kind === 'chapter';
    if (a.kind === 'chapter' && /^(ch)?\d+$/.test(f)) return Number(f.replace('ch', '')) === a.chapter;
    return false;
  });
}

async function allocators(o: Options, log: (s: string) => void): Promise<Allocator[]> {
  const want = (id: string) => o.allocators === null || o.allocators.includes(id);
  const list: Allocator[] = [glibc()];
  if (want('ours')) list.push(await ours(ROOT, log, o.library));
  const peers = await findPeers(
    PEERS.map((p) => p.id).filter((id) => want(id)),
    log,
  );
  list.push(...peers);
  const chs = o.allocators === null || o.allocators.some((f) => f === 'chapters' || /^(ch)?\d/.test(f))
    ? await chapters(ROOT, path.join(ROOT, 'out/bench'), log)
    : [];
  list.push(...chs);
  const chosen = list.filter((a) => selected(o.allocators, a));
  if (o.allocators) {
    const unknown = o.allocators.filter((f) => f !== 'chapters' && !chosen.some((a) => selected([f], a) && a.id !== 'glibc') && f !== 'glibc');
    if (unknown.length) fail(`no allocator matches ${unknown.join(', ')}`);
  }
  return chosen;
}

// ---------------------------------------------------------------------------
// Progress: one line, rewritten in place on a terminal; a line per workload otherwise.

function progress(): { update: (s: string) => void; done: (s: string) => void } {
  const tty = process.stderr.isTTY;
  return {
    update(s) {
      if (tty) process.stderr.write(`\r\x1b[K${s}`);
    },
    done(s) {
      process.stderr.write(tty ? `\r\x1b[K${s}\n` : `${s}\n`);
    },
  };
}

// ---------------------------------------------------------------------------

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const log = (s: string) => console.error(s);
  const python = (await run('python3', ['-c', 'import sys, os; print(os.path.realpath(sys.executable))'])).stdout.trim();
  const ctx: Context = {
    root: ROOT,
    outDir: path.join(ROOT, 'out/bench'),
    python,
    scratch: path.join(ROOT, 'out/bench/scratch', String(process.pid)),
  };
  const workloads = WORKLOADS.filter((w) => o.only === null || o.only.includes(w.id));
  const allocs = await allocators(o, log);
  if (o.list) {
    for (const w of workloads) console.log(`workload  ${w.id.padEnd(14)} ${w.title}`);
    for (const a of allocs) console.log(`allocator ${a.label.padEnd(14)} ${a.path ?? '(no preload)'}${a.missing ? `  MISSING: ${a.missing}` : ''}`);
    return 0;
  }

  await pin(allocs, ctx.outDir, log);
  log(`bench: building workloads into out/bench/bin`);
  await buildWorkloads(ctx, workloads);
  for (const w of workloads) w.prepare?.(ctx, w.sizes[o.size]);
  const about = await describe(python);
  for (const a of allocs) if (a.package && a.version) about.versions.peers[a.package] = a.version;
  for (const a of allocs) if (a.missing) log(`bench: WARNING: ${a.label} cannot run: ${a.missing}`);
  const runnable = allocs.filter((a) => !a.missing);
  log(
    `bench: ${workloads.length} workloads x ${allocs.length} allocators (${allocs.map((a) => a.label).join(' ')}) x ${o.iterations} runs, ` +
      `${o.size} size${about.machine.loadAverage > about.machine.cores / 2 ? `; load average ${about.machine.loadAverage} on ${about.machine.cores} cores: expect noise` : ''}`,
  );

  const started = new Date();
  const cells = new Map<string, Map<string, Cell>>();
  const infos: WorkloadInfo[] = [];
  const bar = progress();
  const total = workloads.length * runnable.length * o.iterations;
  let done = 0;
  let broken = false; // glibc or a peer failed: the comparison itself is in doubt
  const capSec = o.quick ? 20 : 60;
  const floorSec = o.quick ? 3 : 10;

  for (const w of workloads) {
    const size = w.sizes[o.size];
    const inv = w.invoke(ctx, size);
    const row = new Map<string, Cell>();
    cells.set(w.id, row);
    for (const a of allocs)
      row.set(a.id, { runs: [], failure: a.missing ? { kind: 'missing', detail: a.missing } : null, checksum: null });

    // One untimed run with the workload counting its own bytes (synthetic workloads only).
    let requested: number | null = null;
    if (w.kind === 'synthetic') {
      const m = await runOnce(ctx, inv, { preload: null, timeoutSec: capSec * 2, memLimitMiB: o.memLimit, account: true });
      requested = m.requestedPeak;
    }
    infos.push({
      id: w.id,
      title: w.title,
      kind: w.kind,
      stresses: w.stresses,
      threads: w.threads,
      command: [...Object.entries(inv.env).map(([k, v]) => `${k}=${v}`), ...inv.argv.map((x) => rel(x))].join(' ') + (inv.stdin ? ` < ${rel(inv.stdin)}` : ''),
      requestedPeakBytes: requested,
    });

    let expected: string | null = null;
    let timeoutSec = o.timeout ?? capSec;
    for (let it = 1; it <= o.iterations; it++) {
      for (const a of runnable) {
        const cell = row.get(a.id)!;
        if (cell.failure) continue;
        if (expected === null && a.id !== 'glibc') continue; // glibc failed: nothing to compare with
        bar.update(`[${String(done + 1).padStart(String(total).length)}/${total}] ${w.id} under ${a.label}, run ${it}/${o.iterations}`);
        const m = await runOnce(ctx, inv, { preload: a.preload, timeoutSec, memLimitMiB: o.memLimit });
        done++;
        if (!m.failure && expected !== null && m.checksum !== expected)
          m.failure = { kind: 'checksum', detail: `checksum ${m.checksum}, glibc printed ${expected}` };
        if (m.failure) {
          cell.failure = m.failure; // its remaining runs are skipped
          const loud = m.failure.kind === 'checksum' ? 'CHECKSUM MISMATCH' : 'FAILED';
          bar.done(`bench: ${loud}: ${w.id} under ${a.label}: ${m.failure.kind}: ${m.failure.detail}`);
          if (a.kind === 'glibc' || a.kind === 'peer') broken = true;
          continue;
        }
        cell.runs.push({ wallMs: round3(m.wallMs), cpuMs: round3(m.cpuMs), maxRssKiB: m.maxRssKiB, voluntarySwitches: m.voluntarySwitches });
        cell.checksum = m.checksum;
        if (a.id === 'glibc' && expected === null) {
          expected = m.checksum;
          if (o.timeout === null) timeoutSec = Math.round(10 * Math.min(capSec, Math.max(floorSec, (20 * m.wallMs) / 1000))) / 10;
        }
      }
      if (expected === null) {
        for (const a of runnable)
          if (a.id !== 'glibc' && !row.get(a.id)!.failure)
            row.get(a.id)!.failure = { kind: 'missing', detail: 'glibc failed this workload: nothing to compare with' };
        break;
      }
    }
    done = (workloads.indexOf(w) + 1) * runnable.length * o.iterations;
    const g = row.get('glibc')!;
    bar.done(`bench: ${w.id.padEnd(14)} done (glibc median ${medianOf(g.runs.map((r) => r.wallMs))} ms)`);
  }

  const { results, summary } = summarise(allocs, infos, cells);
  const out: BenchResults = {
    schema: RESULTS_SCHEMA,
    date: started.toISOString(),
    quick: o.quick || o.size !== 'full',
    iterations: o.iterations,
    command: ['npx tsx bench/run.ts', ...process.argv.slice(2)].join(' '),
    ...about,
    allocators: allocs.map(({ preload: _p, missing: _m, ...info }) => info),
    workloads: infos,
    results,
    summary,
  };
  console.log(formatTable(out));
  const json = JSON.stringify(out, null, 1) + '\n';
  if (o.out) {
    mkdirSync(path.dirname(o.out), { recursive: true });
    writeFileSync(o.out, json);
    log(`\nbench: wrote ${rel(o.out)}`);
  } else {
    const dir = path.join(ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const stamp = out.date.slice(0, 16).replace(/:/g, '');
    // A quick run, or one narrowed by --only or --allocators, or with other
    // sizes or another library, must not replace the full run the book's
    // benchmark chapter is written against (tests/bench/verdicts.test.ts).
    const partial =
      out.quick || o.size !== 'full' || o.only !== null || o.allocators !== null || o.library !== null;
    const dated = path.join(dir, `${stamp}${out.quick ? '-quick' : ''}${partial ? '-partial' : ''}.json`);
    writeFileSync(dated, json);
    if (partial) {
      log(`\nbench: wrote ${rel(dated)} (not a full run: bench/results/latest.json left as it was)`);
    } else {
      const latest = path.join(dir, 'latest.json');
      copyFileSync(dated, latest);
      log(`\nbench: wrote ${rel(latest)} and ${rel(dated)}`);
    }
  }
  if (broken) {
    log('bench: glibc or a peer allocator failed a workload: the workload or the machine needs a look (see above)');
    return 1;
  }
  return 0;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function medianOf(xs: number[]): string {
  if (!xs.length) return '-';
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!.toFixed(1);
}

function rel(p: string): string {
  if (!path.isAbsolute(p)) return p;
  const r = path.relative(ROOT, p);
  return r.startsWith('..') || path.isAbsolute(r) ? p : r;
}

// Ctrl-C: exit through process.exit so the 'exit' handlers (the pinned copies) run.
process.on('SIGINT', () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
