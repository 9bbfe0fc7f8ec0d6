// The allocators a run compares: glibc (nothing preloaded), our final
// ./libmalloc.so, every chapter's snapshot library, and the three peers from
// Debian packages, each preloaded the same way.

import { run } from './proc.ts';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AllocatorInfo } from './types.ts';

/** An allocator to run, or one that cannot run (then every workload records `missing`). */
export interface Allocator extends AllocatorInfo {
  /** Absolute path to preload; null for glibc. */
  preload: string | null;
  /** Why this allocator cannot run at all, or null. */
  missing: string | null;
}

export const PEERS = [
  { id: 'jemalloc', pkg: 'libjemalloc2', file: /\/libjemalloc\.so\.\d+$/ },
  { id: 'tcmalloc', pkg: 'libtcmalloc-minimal4', file: /\/libtcmalloc_minimal\.so\.\d+$/ },
  { id: 'mimalloc', pkg: 'libmimalloc2.0', file: /\/libmimalloc\.so\.\d+$/ },
] as const;

// The book's chapters, for snapshot folders that carry no number.
const CHAPTER_NUMBERS: Record<string, number> = {
  'pages-from-the-kernel': 2,
  buddies: 3,
  'one-byte-a-block': 4,
  'regions-and-big-blocks': 5,
  'the-whole-c-api': 6,
  'an-arena-per-thread': 7,
  'threads-come-and-go': 8,
  'what-the-lock-costs': 9,
  'the-owner-takes-no-lock': 10,
  benchmarks: 11,
};

const LIBRARY_FLAGS = ['-std=c11', '-O2', '-g', '-fPIC', '-shared', '-pthread', '-Wall', '-Wextra', '-Werror'];

function rel(root: string, p: string): string {
  const r = path.relative(root, p);
  return r.startsWith('..') ? p : r;
}

async function packageVersion(pkg: string): Promise<string | null> {
  const r = await run('dpkg-query', ['-W', '-f', '${Version}', pkg]);
  return r.exitCode === 0 && r.stdout ? r.stdout : null;
}

async function packageLibrary(pkg: string, file: RegExp): Promise<string | null> {
  const r = await run('dpkg', ['-L', pkg]);
  if (r.exitCode !== 0) return null;
  return r.stdout.split('\n').find((f) => file.test(f) && existsSync(f)) ?? null;
}

/**
 * Finds each selected peer's library. A missing package is installed with
 * apt-get when we are root (and we say so); otherwise the run stops with the
 * package's name, since a comparison without the peers is not the one the book
 * promises.
 */
export async function findPeers(wanted: string[], log: (s: string) => void): Promise<Allocator[]> {
  const peers = PEERS.filter((p) => wanted.includes(p.id));
  const absent: (typeof peers)[number][] = [];
  for (const p of peers) if (!(await packageLibrary(p.pkg, p.file))) absent.push(p);
  if (absent.length > 0) {
    const names = absent.map((p) => p.pkg).join(' ');
    if (process.getuid?.() !== 0)
      throw new Error(
        `bench: missing ${absent.map((p) => p.id).join(', ')}: install the Debian package(s) ${names} ` +
          `(sudo apt-get install ${names}) or leave them out with --allocators`,
      );
    log(`bench: ${absent.map((p) => p.id).join(', ')} not installed: running apt-get install -y ${names}`);
    await run('apt-get', ['update', '-q'], { inherit: true });
    const r = await run('apt-get', ['install', '-y', '-q', ...absent.map((p) => p.pkg)], {
      inherit: true,
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.exitCode !== 0) throw new Error(`bench: apt-get install ${names} failed (exit ${r.exitCode})`);
  }
  const out: Allocator[] = [];
  for (const p of peers) {
    const lib = await packageLibrary(p.pkg, p.file);
    if (!lib) throw new Error(`bench: ${p.pkg} is installed but no ${p.file} in it (dpkg -L ${p.pkg})`);
    out.push({
      id: p.id,
      label: p.id,
      kind: 'peer',
      path: lib,
      preload: lib,
      package: p.pkg,
      version: (await packageVersion(p.pkg)) ?? 'unknown',
      missing: null,
    });
  }
  return out;
}

export function glibc(): Allocator {
  return { id: 'glibc', label: 'glibc', kind: 'glibc', path: null, preload: null, missing: null };
}

/**
 * ./libmalloc.so, built with `make build` when it is missing and a Makefile
 * can; or, with --library, any other build of our allocator.
 */
export async function ours(root: string, log: (s: string) => void, library: string | null = null): Promise<Allocator> {
  const lib = library ?? path.join(root, 'libmalloc.so');
  if (!library && !existsSync(lib) && existsSync(path.join(root, 'Makefile'))) {
    log('bench: ./libmalloc.so is missing: running make build');
    const r = await run('make', ['build'], { cwd: root });
    if (r.exitCode !== 0) log(`bench: make build failed:\n${r.all}`);
  }
  const a: Allocator = { id: 'ours', label: 'ours', kind: 'ours', path: rel(root, lib), preload: lib, missing: null };
  if (!existsSync(lib)) {
    a.preload = null;
    a.missing = library ? `${library} does not exist` : './libmalloc.so does not exist and `make build` did not produce it';
  }
  return a;
}

function chapterNumber(folder: string): number | null {
  const m = /^(\d+)-(.*)$/.exec(folder);
  if (m) return Number(m[1]);
  return CHAPTER_NUMBERS[folder] ?? null;
}

function sourcesOf(dir: string): string[] {
  const src = path.join(dir, 'src');
  if (!existsSync(src)) return [];
  return readdirSync(src)
    .filter((f) => f.endsWith('.c') || f.endsWith('.h'))
    .sort()
    .map((f) => path.join(src, f));
}

/**
 * Every chapter snapshot in out/chapters/. A snapshot's own libmalloc.so is
 * used when it is newer than its sources; otherwise we compile a private copy
 * into out/bench/chapters/ (never into the snapshot, which the chapter tests
 * own) with the contract's flags, from the repository root. A chapter whose
 * sources are identical to the previous chapter's (a chapter of prose only) is
 * left out: it would measure the same library twice.
 */
export async function chapters(root: string, outDir: string, log: (s: string) => void): Promise<Allocator[]> {
  const base = path.join(root, 'out/chapters');
  if (!existsSync(base)) return [];
  const folders = readdirSync(base)
    .filter((f) => statSync(path.join(base, f)).isDirectory() && chapterNumber(f) !== null)
    .sort((a, b) => (chapterNumber(a) ?? 0) - (chapterNumber(b) ?? 0));
  const out: Allocator[] = [];
  let previousHash = '';
  for (const folder of folders) {
    const dir = path.join(base, folder);
    const srcs = sourcesOf(dir);
    const hash = createHash('sha256');
    for (const f of srcs) hash.update(f.slice(dir.length)).update(readFileSync(f));
    const digest = hash.digest('hex');
    const num = chapterNumber(folder) ?? 0;
    const a: Allocator = {
      id: folder,
      label: `ch${String(num).padStart(2, '0')}`,
      kind: 'chapter',
      chapter: num,
      path: null,
      preload: null,
      missing: null,
    };
    const own = path.join(dir, 'libmalloc.so');
    const cs = srcs.filter((f) => f.endsWith('.c'));
    if (cs.length > 0 && digest === previousHash) {
      log(`bench: ${folder} has the same sources as the chapter before it; not measured twice`);
      continue;
    }
    previousHash = digest;
    if (existsSync(own) && srcs.every((f) => statSync(f).mtimeMs <= statSync(own).mtimeMs)) {
      a.preload = own;
    } else if (cs.length > 0) {
      const lib = path.join(outDir, 'chapters', folder, 'libmalloc.so');
      if (!existsSync(lib) || srcs.some((f) => statSync(f).mtimeMs > statSync(lib).mtimeMs)) {
        mkdirSync(path.dirname(lib), { recursive: true });
        const r = await run('gcc', [...LIBRARY_FLAGS, '-o', lib, ...cs.map((f) => rel(root, f))], { cwd: root });
        if (r.exitCode !== 0) {
          a.missing = `the snapshot does not compile: ${r.all.split('\n')[0]}`;
          log(`bench: ${folder}: ${a.missing}`);
        }
      }
      if (!a.missing) a.preload = lib;
    } else if (!existsSync(own)) {
      continue; // a snapshot with no C at all (not yet written)
    } else {
      a.preload = own;
    }
    if (a.preload) a.path = rel(root, a.preload);
    out.push(a);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Pinning. If LD_PRELOAD names a file the dynamic linker cannot load (missing,
// or half-written because a chapter test is recompiling it at that moment), it
// prints a warning and runs the program on glibc's malloc: the run "passes",
// with glibc's checksum and glibc's numbers, under our name. So every library
// we preload is first copied to out/bench/libs/ (a file nobody else writes),
// and the copy is tried once on /bin/true before any run. measure.ts also
// turns the linker's warning into a failure, should it ever appear.

export const PRELOAD_ERROR = /ld\.so: object .* cannot be preloaded/;

async function loads(lib: string): Promise<string | null> {
  const r = await run('/bin/true', [], { env: { LD_PRELOAD: lib } });
  if (r.exitCode !== 0) return `a program with it preloaded exits with status ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}`;
  if (PRELOAD_ERROR.test(r.stderr)) return `the dynamic linker cannot load it: ${r.stderr.trim().split('\n')[0] ?? ''}`;
  return null;
}

/**
 * Copies our and the chapters' libraries to private files and checks that each
 * one loads. The copies are removed when the runner exits.
 */
export async function pin(allocs: Allocator[], outDir: string, log: (s: string) => void): Promise<void> {
  const dir = path.join(outDir, 'libs');
  mkdirSync(dir, { recursive: true });
  const pinnedFiles: string[] = [];
  process.on('exit', () => pinnedFiles.forEach((f) => rmSync(f, { force: true })));
  for (const a of allocs) {
    if (!a.preload || a.missing) continue;
    if (a.kind === 'ours' || a.kind === 'chapter') {
      const pinned = path.join(dir, `${a.id}.${process.pid}.so`); // per runner: two runs at once never share one
      let problem: string | null = 'not tried';
      for (let attempt = 0; attempt < 3 && problem; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 2000)); // let a concurrent compile finish
        const tmp = `${pinned}.${process.pid}.tmp`;
        copyFileSync(a.preload, tmp);
        renameSync(tmp, pinned);
        problem = await loads(pinned);
      }
      a.preload = pinned;
      pinnedFiles.push(pinned);
      if (problem) {
        a.missing = problem;
        log(`bench: ${a.label}: ${problem}`);
      }
    } else {
      const problem = await loads(a.preload);
      if (problem) throw new Error(`bench: ${a.label} (${a.preload}): ${problem}`);
    }
  }
}
