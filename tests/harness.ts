// What the chapter tests need: the book's snapshots, the scenarios and real programs they
// promise, and a way to compile and run C under LD_PRELOAD.

import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { readBook } from '../tangle/files.ts';
import { formatDiagnostic, tangle, type Chapter } from '../tangle/index.ts';
import { buildProgram, writeSnapshots } from '../tangle/snapshot.ts';
import { proofEnv, proofProblems } from './proof.ts';

export { REQUIRED_API } from './proof.ts';

export const ROOT = resolve(import.meta.dirname, '..');

/** The names a malloc replacement may export; everything else must be static or hidden. */
export const MALLOC_API = new Set([
  'malloc', 'free', 'calloc', 'realloc', 'reallocarray', 'posix_memalign', 'aligned_alloc',
  'memalign', 'valloc', 'pvalloc', 'malloc_usable_size', 'malloc_stats', 'malloc_trim', 'mallopt', 'mallinfo',
  'mallinfo2', 'cfree', 'free_sized', 'free_aligned_sized', '_init', '_fini',
]);

/** Tangles the book into its snapshot folders (code/ is checked, not written, by the tests). */
export function tangleSnapshots(): Chapter[] {
  const { sources, diagnostics } = readBook(ROOT);
  const result = tangle(sources, diagnostics);
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  writeSnapshots(ROOT, result.snapshots);
  return result.snapshots.map((s) => s.chapter);
}

export interface Promised {
  name: string; // file name
  path: string;
  since: string; // a chapter id (slug without its number)
  timeout: number; // seconds
}

/** Reads `since:` and `timeout:` from the first lines of a scenario or program. */
export function readHeader(path: string): Promised {
  const head = readFileSync(path, 'utf8').split('\n').slice(0, 30).join('\n');
  const since = /\bsince:\s*([a-z0-9-]+)/.exec(head)?.[1] ?? '';
  const timeout = Number(/\btimeout:\s*(\d+)/.exec(head)?.[1] ?? 60);
  return { name: basename(path), path, since, timeout };
}

export function listPromised(folder: string, extension: string): Promised[] {
  const dir = join(ROOT, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => readHeader(join(dir, name)));
}

export async function exportedNames(library: string): Promise<string[]> {
  const { stdout } = await execa('nm', ['-D', '--defined-only', library]);
  return stdout.split('\n').map((line) => line.trim().split(/\s+/).at(-1) ?? '').filter((name) => name !== '');
}

export async function compileScenario(scenario: Promised): Promise<string> {
  const binary = join(ROOT, 'out/scenarios', scenario.name.replace(/\.c$/, ''));
  await buildProgram(ROOT, binary, [scenario.path]);
  return binary;
}

export interface Run {
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Why the run may not have been served by the library (see proof.ts); empty without one. */
  proof: string[];
}

export function describeRun(run: Run): string {
  const how = run.timedOut ? 'timed out' : run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
  const proof = run.proof.length > 0 ? `\n--- not proven ours\n${run.proof.join('\n')}` : '';
  return `${how}${proof}\n--- stdout (tail)\n${run.stdout.slice(-2000)}\n--- stderr (tail)\n${run.stderr.slice(-4000)}`;
}

/**
 * Runs a command in a fresh temporary folder, with our library preloaded when one is
 * given; then the run's `proof` says whether the dynamic linker bound malloc to it.
 */
export async function runIn(command: string, args: string[], opts: { library?: string; timeout: number; env?: Record<string, string> }): Promise<Run> {
  const cwd = mkdtempSync(join(tmpdir(), 'obb-run-'));
  const proofDir = mkdtempSync(join(tmpdir(), 'obb-proof-'));
  const cache = join(ROOT, 'out/cache');
  mkdirSync(cache, { recursive: true });
  const env: Record<string, string> = { OBB_ROOT: ROOT, OBB_CACHE: cache, ...opts.env };
  if (opts.library) Object.assign(env, { LD_PRELOAD: opts.library, OBB_EXPECT_OURS: '1' }, proofEnv(proofDir));
  try {
    const result = await execa(command, args, {
      cwd,
      env,
      reject: false,
      timeout: opts.timeout * 1000,
      maxBuffer: 256 * 1024 * 1024,
      stdin: 'ignore',
    });
    return {
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      stdout: result.stdout,
      stderr: result.stderr,
      proof: opts.library ? proofProblems(proofDir, result.stderr, opts.library, cwd) : [],
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
    rmSync(proofDir, { recursive: true, force: true });
  }
}
