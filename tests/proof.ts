// Proof that a run was served by the library under test, not by glibc's malloc.
//
// A preloaded library that fails to load, or that exports nothing, leaves every program
// on glibc's malloc, and every scenario and program still passes. So each run under our
// library asks the dynamic linker itself: with LD_DEBUG=bindings it writes, for every
// process image, which object each symbol reference was bound to (one file per process,
// LD_DEBUG_OUTPUT.<pid>). A run is ours when some process bound `malloc` to our library,
// and no process that loaded our library bound a function of the malloc family
// elsewhere; and when stderr has no "cannot be preloaded" from the dynamic linker.

import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/** What glibc's malloc exports: every chapter's library defines them all. */
export const REQUIRED_API = [
  'malloc', 'free', 'calloc', 'realloc', 'reallocarray', 'posix_memalign', 'aligned_alloc',
  'memalign', 'valloc', 'pvalloc', 'malloc_usable_size',
];

const PRELOAD_ERROR = /ld\.so: object .* from LD_PRELOAD cannot be preloaded/;
const BINDING = /binding file (.+?) \[\d+\] to (.+?) \[\d+\]: \w+ symbol `([^']+)'/;
const VDSO = /binding file linux-vdso\.so\.\d+ /;
const SHARED_OBJECT = /\.so(\.|$)/;

/** The environment that makes the dynamic linker record its bindings under dir. */
export function proofEnv(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  return { LD_DEBUG: 'bindings', LD_DEBUG_OUTPUT: join(dir, 'ld') };
}

interface Binding { from: string; to: string; symbol: string }

/**
 * The process images recorded in one LD_DEBUG file. A process that calls exec keeps its
 * pid, so one file may hold several images; each starts by binding the vDSO's symbols.
 */
function images(text: string): Binding[][] {
  const result: Binding[][] = [];
  let current: Binding[] = [];
  let inVdso = false;
  for (const line of text.split('\n')) {
    const vdso = VDSO.test(line);
    if (vdso && !inVdso && current.length > 0) {
      result.push(current);
      current = [];
    }
    inVdso = vdso;
    const m = BINDING.exec(line);
    if (m) current.push({ from: m[1]!, to: m[2]!, symbol: m[3]! });
  }
  if (current.length > 0) result.push(current);
  return result;
}

/**
 * What is wrong with the claim that `library` served a run whose LD_DEBUG files are in
 * dir and whose stderr is given; an empty list when the run was ours. `cwd` resolves a
 * relative LD_PRELOAD path as the dynamic linker did.
 */
export function proofProblems(dir: string, stderr: string, library: string, cwd = '/'): string[] {
  const problems: string[] = [];
  const preloadError = PRELOAD_ERROR.exec(stderr);
  if (preloadError) problems.push(`the dynamic linker did not preload the library: ${preloadError[0]}`);
  const ours = (path: string) => resolve(cwd, path) === resolve(cwd, library);
  const required = new Set(REQUIRED_API);
  let servedMalloc = 0;
  let withLibrary = 0;
  const files = readdirSync(dir).filter((name) => name.startsWith('ld.')).sort();
  for (const file of files) {
    for (const image of images(readFileSync(join(dir, file), 'utf8'))) {
      if (!image.some((b) => ours(b.from) || ours(b.to))) continue;   // run without our library on purpose
      withLibrary++;
      if (image.some((b) => b.symbol === 'malloc' && ours(b.to))) servedMalloc++;
      // A binding to the program itself is to its PLT entry (a program that takes the
      // address of free, as cc1 does, has one), which forwards to the program's own
      // binding of the name: that one is checked.
      const elsewhere = image.filter((b) => required.has(b.symbol) && !ours(b.to) && SHARED_OBJECT.test(basename(b.to)));
      for (const b of elsewhere.slice(0, 3)) {
        problems.push(`${file}: ${basename(b.from)} bound \`${b.symbol}' to ${b.to}, not to the library`);
      }
    }
  }
  if (files.length === 0) problems.push('the dynamic linker recorded no process (LD_DEBUG_OUTPUT is empty)');
  else if (withLibrary === 0) problems.push(`no process of the ${files.length} recorded loaded ${library}`);
  else if (servedMalloc === 0) problems.push(`no process bound malloc to ${library}`);
  return problems;
}
