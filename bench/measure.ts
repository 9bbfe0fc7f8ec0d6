// Building the workloads and measuring one run of one workload under one
// allocator. Every measured process is started through out/bench/bin/timeit
// (bench/timeit.c), which reports wait4()'s rusage, enforces the timeout and
// preloads the allocator into the child only.

import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Context, Invocation, Workload } from './workloads.ts';
import { sources } from './workloads.ts';
import type { Failure } from './types.ts';
import { buildProgram } from '../tangle/snapshot.ts';
import { PRELOAD_ERROR } from './allocators.ts';

function newer(target: string, inputs: string[]): boolean {
  if (!existsSync(target)) return true;
  const t = statSync(target).mtimeMs;
  return inputs.some((f) => statSync(f).mtimeMs > t);
}

/** Compiles bench/timeit.c and the workloads' C sources into out/bench/bin (only what changed). */
export async function buildWorkloads(ctx: Context, workloads: Workload[]): Promise<void> {
  const binDir = path.join(ctx.outDir, 'bin');
  mkdirSync(binDir, { recursive: true });
  const common = path.join(ctx.root, 'bench/workloads/common.h');
  const jobs: [string, string[]][] = [[path.join(binDir, 'timeit'), [path.join(ctx.root, 'bench/timeit.c')]]];
  for (const s of sources(workloads))
    jobs.push([path.join(binDir, s), [path.join(ctx.root, `bench/workloads/${s}.c`), common]]);
  await Promise.all(
    jobs.map(async ([out, inputs]) => {
      if (!newer(out, inputs)) return;
      const tmp = `${out}.${process.pid}.tmp`;
      await buildProgram(ctx.root, tmp, [inputs[0]!]);
      renameSync(tmp, out);
    }),
  );
}

export interface Measured {
  wallMs: number;
  cpuMs: number;
  maxRssKiB: number;
  /** Voluntary context switches: how often the program slept, on a contended lock among others. */
  voluntarySwitches: number;
  checksum: string | null;
  /** The workload's own count of the peak bytes it asked for (OBB_BENCH_ACCOUNT=1 only). */
  requestedPeak: number | null;
  failure: Failure | null;
}

export interface RunOptions {
  preload: string | null;
  timeoutSec: number;
  memLimitMiB: number;
  account?: boolean;
}

const SIGNALS: Record<number, string> = { 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };


function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 200);
}

/** Runs one invocation once and reads back its cost and its checksum. */
export async function runOnce(ctx: Context, inv: Invocation, opts: RunOptions): Promise<Measured> {
  rmSync(ctx.scratch, { recursive: true, force: true });
  mkdirSync(ctx.scratch, { recursive: true });
  const report = path.join(ctx.outDir, `timeit.${process.pid}.out`);
  rmSync(report, { force: true });
  const args = ['--out', report, '--timeout', String(opts.timeoutSec), '--mem-limit', String(opts.memLimitMiB)];
  if (opts.preload) args.push('--preload', opts.preload);
  if (inv.stdin) args.push('--stdin', inv.stdin);
  const env: Record<string, string> = { ...inv.env };
  env.OBB_BENCH_ACCOUNT = opts.account ? '1' : '0';
  const child = await execa(path.join(ctx.outDir, 'bin', 'timeit'), [...args, '--', ...inv.argv], {
    cwd: ctx.scratch,
    env,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false, // the checksum of a program's output is of all of it
    maxBuffer: 256 * 1024 * 1024,
  });
  if (child.exitCode !== 0 || !existsSync(report))
    throw new Error(`bench: the timing wrapper failed (${child.exitCode}): ${child.stderr}`);
  const fields = Object.fromEntries(
    readFileSync(report, 'utf8')
      .trim()
      .split(' ')
      .map((kv) => kv.split('=') as [string, string])
      .map(([k, v]) => [k, Number(v)]),
  ) as Record<string, number>;
  const { stdout, stderr } = child;
  const m: Measured = {
    wallMs: (fields.wall_ns ?? 0) / 1e6,
    cpuMs: ((fields.user_us ?? 0) + (fields.sys_us ?? 0)) / 1e3,
    maxRssKiB: fields.maxrss_kib ?? 0,
    voluntarySwitches: fields.nvcsw ?? 0,
    checksum: null,
    requestedPeak: null,
    failure: null,
  };
  const sig = fields.signal ?? 0;
  if (fields.memout) {
    m.failure = { kind: 'memory', detail: `killed when its resident memory passed ${opts.memLimitMiB} MiB` };
  } else if (fields.timeout) {
    m.failure = { kind: 'timeout', detail: `killed after ${opts.timeoutSec} s` };
  } else if (sig !== 0) {
    m.failure = { kind: 'crash', detail: `${SIGNALS[sig] ?? `signal ${sig}`}${stderr ? `: ${lastLine(stderr)}` : ''}` };
  } else if (fields.exit !== 0) {
    m.failure = { kind: 'exit', detail: `exit status ${fields.exit}${stderr ? `: ${lastLine(stderr)}` : ''}` };
  }
  if (!m.failure && opts.preload && PRELOAD_ERROR.test(stderr))
    m.failure = { kind: 'missing', detail: `the library was not preloaded (the run used glibc): ${lastLine(stderr)}` };
  if (m.failure) return m;

  const src = inv.checksum;
  if (src.from === 'line') {
    m.checksum = /^checksum ([0-9a-f]+)$/m.exec(stdout)?.[1] ?? null;
    const peak = /^requested-peak (\d+)$/m.exec(stdout)?.[1];
    m.requestedPeak = peak === undefined ? null : Number(peak);
  } else if (src.from === 'stdout') {
    m.checksum = createHash('sha256').update(stdout).digest('hex').slice(0, 16);
  } else if (existsSync(src.file)) {
    m.checksum = createHash('sha256').update(readFileSync(src.file)).digest('hex').slice(0, 16);
  }
  if (m.checksum === null)
    m.failure = { kind: 'checksum', detail: `no checksum in the output${stderr ? `: ${lastLine(stderr)}` : ''}` };
  return m;
}
