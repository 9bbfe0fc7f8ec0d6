// Files: the only module (with cli.ts) that touches the disk.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { orderChapters } from './chapters.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { Files } from './emit.ts';
import type { ChapterSource } from './index.ts';

export const DOCS = 'docs';
export const CODE = 'code';

export function readBook(root: string): { sources: ChapterSource[]; diagnostics: Diagnostic[] } {
  const folder = join(root, DOCS);
  const names = existsSync(folder) ? readdirSync(folder) : [];
  const { chapters, diagnostics } = orderChapters(DOCS, names);
  const sources = chapters.map((chapter) => ({ chapter, text: readFileSync(join(root, chapter.file), 'utf8') }));
  return { sources, diagnostics };
}

/**
 * What a snapshot's own Makefile builds beside its sources. The tangle neither removes
 * nor reports these, so a library being tested survives a re-tangle of its folder.
 */
export function isBuildProduct(path: string): boolean {
  return path.endsWith('.so') || path.endsWith('.o');
}

function listTree(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(folder, name)).isFile() && !isBuildProduct(name))
    .map((name) => name.split('\\').join('/'))
    .sort();
}

export interface Difference {
  path: string; // relative to the folder
  problem: 'missing' | 'different' | 'extra';
}

export function compareTree(folder: string, files: Files): Difference[] {
  const differences: Difference[] = [];
  for (const [path, text] of files) {
    const full = join(folder, path);
    if (!existsSync(full)) differences.push({ path, problem: 'missing' });
    else if (readFileSync(full, 'utf8') !== text) differences.push({ path, problem: 'different' });
  }
  for (const path of listTree(folder)) if (!files.has(path)) differences.push({ path, problem: 'extra' });
  return differences;
}

/**
 * Makes a folder hold exactly these files. A file is rewritten only when its text changes,
 * so make does not rebuild what did not change; a file the tangle no longer produces goes.
 */
export function syncTree(folder: string, files: Files): { written: string[]; removed: string[] } {
  const written: string[] = [];
  const removed: string[] = [];
  for (const { path, problem } of compareTree(folder, files)) {
    const full = join(folder, path);
    if (problem === 'extra') {
      rmSync(full);
      removed.push(path);
    } else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, files.get(path)!);
      written.push(path);
    }
  }
  mkdirSync(folder, { recursive: true });
  return { written, removed };
}

/** Removes snapshot folders of chapters that are no longer in the book. */
export function removeStaleFolders(parent: string, keep: ReadonlySet<string>): string[] {
  if (!existsSync(parent)) return [];
  const stale = readdirSync(parent).filter((name) => !keep.has(name));
  for (const name of stale) rmSync(join(parent, name), { recursive: true, force: true });
  return stale.map((name) => relative('.', join(parent, name)));
}
