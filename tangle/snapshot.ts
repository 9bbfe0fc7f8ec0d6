// Snapshot: one chapter's library on disk, out/chapters/NN-slug/. The one module that knows
// where a snapshot lives, which of its files are sources, the flags it compiles with, how
// it is built, and whether two snapshots are the same library. The command line, the
// Makefile (through the command line), the site's plugin, the tests and the benchmarks
// all ask it.
//
// The flags are read from flags.mk, the file the Makefile includes: NAME = value lines.
// (node:child_process, not execa, runs the compiler: the site's config imports this
// module through a CommonJS loader, which cannot load an ESM-only package.)

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Files } from './emit.ts';
import { removeStaleFolders, syncTree } from './files.ts';
import type { Chapter } from './parse.ts';

/** Where the snapshots live, relative to the repository root. */
export const SNAPSHOTS = 'out/chapters';
export const FLAGS_FILE = 'flags.mk';
export const LIBRARY = 'libmalloc.so';

export interface Flags {
  cc: string;
  library: string[]; // a chapter's libmalloc.so
  program: string[]; // the programs that test or measure it
}

/** Reads flags.mk's `NAME = value` lines; a line starting with # is a comment. */
export function readFlagsFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values.set(match[1]!, match[2]!);
  }
  return values;
}

export function readFlags(root: string): Flags {
  const values = readFlagsFile(readFileSync(join(root, FLAGS_FILE), 'utf8'));
  const get = (name: string): string => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`${FLAGS_FILE} does not set ${name}`);
    return value;
  };
  const words = (name: string) => get(name).split(/\s+/).filter(Boolean);
  return { cc: get('CC'), library: words('LIBRARY_CFLAGS'), program: words('PROGRAM_CFLAGS') };
}

/** A chapter's snapshot folder, relative to the repository root. */
export function snapshotFolder(chapter: Pick<Chapter, 'slug'>): string {
  return `${SNAPSHOTS}/${chapter.slug}`;
}

/** The C files a library folder compiles (its src/*.c), relative to the root, sorted. */
export function librarySources(root: string, folder: string): string[] {
  const src = join(root, folder, 'src');
  if (!existsSync(src)) return [];
  return readdirSync(src)
    .filter((name) => name.endsWith('.c'))
    .sort()
    .map((name) => `${folder}/src/${name}`);
}

/** Everything that makes a folder's library what it is: every file of src/, with its name. */
export function libraryText(root: string, folder: string): string {
  const src = join(root, folder, 'src');
  if (!existsSync(src)) return '';
  return readdirSync(src)
    .sort()
    .map((name) => `${name}\n${readFileSync(join(src, name), 'utf8')}`)
    .join('\n');
}

/** Two folders hold the same library when their src/ hold the same files, byte for byte. */
export function sameLibrary(root: string, a: string, b: string): boolean {
  return libraryText(root, a) === libraryText(root, b);
}

export interface Built {
  folder: string; // what was built, relative to the root
  library: string; // the .so, absolute
  ok: boolean;
  command: string; // as a person would type it at the root
  output: string; // the compiler's messages
}

/**
 * Compiles a folder's src/*.c into a shared library. It runs from the repository root,
 * so the #line paths the tangler wrote (docs/NN-slug.md) point into the chapters.
 */
export async function buildLibrary(
  root: string,
  folder: string,
  options: { output?: string; extraFlags?: readonly string[] } = {},
): Promise<Built> {
  const flags = readFlags(root);
  const target = options.output ?? `${folder}/${LIBRARY}`;
  const library = isAbsolute(target) ? target : join(root, target);
  mkdirSync(dirname(library), { recursive: true });
  const args = [...flags.library, ...(options.extraFlags ?? []), '-o', target, ...librarySources(root, folder)];
  const { ok, output } = await compile(root, flags.cc, args);
  return { folder, library, ok, command: [flags.cc, ...args].join(' '), output };
}

function compile(root: string, cc: string, args: readonly string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((done) => {
    execFile(cc, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ ok: error === null, output: `${stdout}${stderr}${error && !stderr ? error.message : ''}` }),
    );
  });
}

/** Compiles a program that tests or measures the library (PROGRAM_CFLAGS); throws on failure. */
export async function buildProgram(root: string, output: string, sources: readonly string[]): Promise<void> {
  const flags = readFlags(root);
  mkdirSync(dirname(isAbsolute(output) ? output : join(root, output)), { recursive: true });
  const { ok, output: messages } = await compile(root, flags.cc, [...flags.program, '-o', output, ...sources]);
  if (!ok) throw new Error(`cannot compile ${sources.join(' ')}:\n${messages}`);
}

export function buildSnapshot(root: string, chapter: Chapter, output?: string): Promise<Built> {
  return buildLibrary(root, snapshotFolder(chapter), { output });
}

/**
 * Why a snapshot failed to build, naming the snapshot: the compiler's messages point at
 * chapter lines, which may belong to an earlier chapter than the one that failed.
 */
export function describeFailure(chapter: Chapter, built: Built): string {
  return (
    `snapshot ${chapter.slug} does not compile (${built.folder}: the book up to chapter ${chapter.number}, tangled; ` +
    `the lines below may be in earlier chapters, whose blocks this snapshot keeps):\n${built.output}`
  );
}

/** Writes every snapshot's files and removes the folders of chapters no longer in the book. */
export function writeSnapshots(root: string, snapshots: readonly { chapter: Chapter; files: Files }[]): number {
  let written = 0;
  for (const { chapter, files } of snapshots) written += syncTree(join(root, snapshotFolder(chapter)), files).written.length;
  removeStaleFolders(join(root, SNAPSHOTS), new Set(snapshots.map((s) => s.chapter.slug)));
  return written;
}

/** The chapter a reader means by "04", "4", "one-byte-a-block" or "04-one-byte-a-block". */
export function findChapter(chapters: readonly Chapter[], name: string): Chapter | undefined {
  return chapters.find((c) => c.slug === name || c.id === name || (/^\d+$/.test(name) && c.number === Number(name)));
}
