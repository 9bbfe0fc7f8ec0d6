// The allocators a run compares: glibc (nothing preloaded), our final
// ./libmalloc.so, every chapter's snapshot library, and the three peers from
// Debian packages, each preloaded the same way.

import { execa } from 'execa';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readBook } from '../tangle/files.ts';
import { buildSnapshot, LIBRARY, librarySources, sameLibrary, snapshotFolder } from '../tangle/snapshot.ts';
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

function rel(root: string, p: string): string {
  const r = path.relative(root, p);
  return r.startsWith('..') ? p : r;
}

async function packageVersion(pkg: string): Promise<string | null> {
  const r = await execa('dpkg-query', ['-W', '-f', '${Version}', pkg], { reject: false });
  return r.exitCode === 0 && r.stdout ? r.stdout : null;
}

async function packageLibrary(pkg: string, file: RegExp): Promise<string | null> {
  const r = await execa('dpkg', ['-L', pkg], { reject: false });
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
    await execa('apt-get', ['update', '-q'], { reject: false, stdin: 'ignore', stdout: 'inherit', stderr: 'inherit' });
    const r = await execa('apt-get', ['install', '-y', '-q', ...absent.map((p) => p.pkg)], {
      reject: false,
      stdin: 'ignore',
      stdout: 'inherit',
      stderr: 'inherit',
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
    const r = await execa('make', ['build'], { cwd: root, reject: false, all: true });
    if (r.exitCode !== 0) log(`bench: make build failed:\n${r.all}`);
  }
  const a: Allocator = { id: 'ours', label: 'ours', kind: 'ours', path: rel(root, lib), preload: lib, missing: null };
  if (!existsSync(lib)) {
    a.preload = null;
    a.missing = library ? `${library} does not exist` : './libmalloc.so does not exist and `make build` did not produce it';
  }
  return a;
}

/**
 * Every chapter's snapshot (tangle/snapshot.ts), compiled into a private copy under
 * out/bench/chapters/ (never into the snapshot, which the chapter tests own). A chapter
 * whose library is the same as the chapter's before it (a chapter of prose only) is left
 * out: it would measure the same library twice.
 */
export async function chapters(root: string, outDir: string, log: (s: string) => void): Promise<Allocator[]> {
  const book = readBook(root).sources.map((s) => s.chapter);
  const out: Allocator[] = [];
  let previous: (typeof book)[number] | undefined;
  for (const chapter of book) {
    const folder = snapshotFolder(chapter);
    if (librarySources(root, folder).length === 0) continue; // no C yet, or not tangled
    if (previous && sameLibrary(root, snapshotFolder(previous), folder)) {
      log(`bench: ${chapter.slug} has the library of ${previous.slug}; not measured twice`);
      continue;
    }
    previous = chapter;
    const a: Allocator = {
      id: chapter.slug,
      label: `ch${String(chapter.number).padStart(2, '0')}`,
      kind: 'chapter',
      chapter: chapter.number,
      path: null,
      preload: null,
      missing: null,
    };
    const built = await buildSnapshot(root, chapter, path.join(outDir, 'chapters', chapter.slug, LIBRARY));
    if (built.ok) {
      a.preload = built.library;
      a.path = rel(root, built.library);
    } else {
      a.missing = `the snapshot does not compile: ${built.output.split('\n')[0]}`;
      log(`bench: ${chapter.slug}: ${a.missing}`);
    }
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
  const r = await execa('/bin/true', [], { env: { LD_PRELOAD: lib }, reject: false });
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
