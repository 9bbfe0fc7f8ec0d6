// ThreadSanitizer on the allocator's own code. A preloaded malloc cannot run under the
// sanitizer (its runtime wants to be the malloc), so each threaded chapter's sources are
// compiled into one test program with every malloc-API name renamed (malloc becomes
// obb_race_malloc, ...). The sanitizer's runtime and libc keep glibc's malloc; the
// driver's threads use ours, and every read and write the allocator makes is checked.

import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBook, syncTree } from '../../tangle/files.ts';
import { formatDiagnostic, tangle, type Chapter } from '../../tangle/index.ts';
import { MALLOC_API, ROOT } from '../harness.ts';

/** The first chapter with more than one arena: from here on the race run is promised. */
const FIRST_THREADED = 'an-arena-per-thread';
const OUT = 'out/race';
const TSAN_OPTIONS = 'halt_on_error=1 exitcode=66 report_signal_unsafe=0';

/** -Dmalloc=obb_race_malloc and so on, for every name the library may export. */
const RENAMES = [...MALLOC_API].filter((name) => !name.startsWith('_')).map((name) => `-D${name}=obb_race_${name}`);
const FLAGS = ['-std=gnu11', '-O1', '-g', '-pthread', '-fsanitize=thread', ...RENAMES];

function sameFiles(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([path, text]) => b.get(path) === text);
}

/** Tangles the book in memory and writes the threaded chapters' sources under out/race/. */
function threadedSnapshots(): Chapter[] {
  const { sources, diagnostics } = readBook(ROOT);
  const result = tangle(sources, diagnostics);
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  const first = result.snapshots.findIndex((s) => s.chapter.id === FIRST_THREADED);
  if (first < 0) return [];
  // A chapter with no code of its own (the benchmarks) has its predecessor's sources.
  const threaded = result.snapshots.slice(first).filter((s, i, all) => i === 0 || !sameFiles(s.files, all[i - 1]!.files));
  for (const { chapter, files } of threaded) syncTree(join(ROOT, OUT, chapter.slug), files);
  return threaded.map((s) => s.chapter);
}

function sourcesOf(chapter: Chapter): string[] {
  const src = join(OUT, chapter.slug, 'src');
  return readdirSync(join(ROOT, src)).filter((f) => f.endsWith('.c')).sort().map((f) => join(src, f));
}

async function build(output: string, sources: string[]): Promise<void> {
  mkdirSync(join(ROOT, OUT), { recursive: true });
  await execa('gcc', [...FLAGS, '-o', output, ...sources], { cwd: ROOT });
}

async function runDriver(binary: string) {
  return execa(binary, [], {
    cwd: ROOT,
    reject: false,
    timeout: 240_000,
    env: { TSAN_OPTIONS },
    stdin: 'ignore',
  });
}

const chapters = threadedSnapshots();

describe('ThreadSanitizer', () => {
  it('should find the threaded chapters in the book', () => {
    expect(chapters.map((c) => c.id)).toContain(FIRST_THREADED);
  });

  it('should report a race planted in a small program, so a clean run means something', async () => {
    const binary = join(ROOT, OUT, 'planted');
    await build(binary, ['tests/race/planted_race.c']);
    const run = await runDriver(binary);
    expect(run.exitCode).toBe(66);
    expect(run.stderr).toContain('WARNING: ThreadSanitizer: data race');
  });
});

describe.each(chapters)('$slug under ThreadSanitizer', (chapter) => {
  const binary = join(ROOT, OUT, chapter.slug, 'race_driver');
  beforeAll(async () => {
    expect(existsSync(join(ROOT, OUT, chapter.slug, 'src'))).toBe(true);
    await build(binary, [...sourcesOf(chapter), 'tests/race/race_driver.c']);
  });

  it('should run the threaded driver with no data race reported', async () => {
    const run = await runDriver(binary);
    expect(run.stderr, run.stderr.slice(0, 6000)).not.toContain('ThreadSanitizer');
    expect(run.exitCode, run.stderr.slice(-4000)).toBe(0);
    expect(run.stdout).toContain('race_driver: done');
  });
});
