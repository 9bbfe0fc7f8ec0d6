// The tree's counters (chapter 04, compiled in with -DOBB_COUNT): every chapter that has
// them builds with them at -Werror, malloc_stats prints them, and they add up; a build
// without the flag has none of them.

import { execa } from 'execa';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLibrary, buildProgram, snapshotFolder } from '../tangle/snapshot.ts';
import { ROOT, runIn, tangleSnapshots } from './harness.ts';

const counted = tangleSnapshots().filter((chapter) => {
  const header = join(ROOT, snapshotFolder(chapter), 'src/internal.h');
  try {
    return readFileSync(header, 'utf8').includes('OBB_COUNT');
  } catch {
    return false;
  }
});
// The chapter that adds the counters, the first with many regions (its own report), and
// the last: the chapters between change neither the counting nor the report's last lines.
const chapters = counted.filter((c, i) => i === 0 || c.id === 'regions-and-big-blocks' || i === counted.length - 1);
const out = join(ROOT, 'out/counters');

interface TreeLine { bytes: number; calls: number; hints: number; descents: number; visited: number; empty: number }

function treeLines(stderr: string): TreeLine[] {
  const pattern =
    /^obb: tree, blocks of (\d+) bytes: calls (\d+), from hints (\d+), descents (\d+), nodes visited (\d+), found nothing (\d+)$/gm;
  return [...stderr.matchAll(pattern)].map((m) => {
    const [bytes, calls, hints, descents, visited, empty] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    return { bytes, calls, hints, descents, visited, empty };
  });
}

describe('the counters', () => {
  it('should start in chapter 04 and be in every chapter after it', () => {
    expect(counted[0]?.id).toBe('one-byte-a-block');
    expect(chapters.map((c) => c.id)).toContain('regions-and-big-blocks');
  });

  for (const chapter of chapters) {
    it(`should count every allocation of ${chapter.slug} with -DOBB_COUNT, and cost nothing without it`, async () => {
      mkdirSync(out, { recursive: true });
      const driver = join(out, 'count_driver');
      const build = async (output: string, extraFlags: string[] = []) => {
        const built = await buildLibrary(ROOT, snapshotFolder(chapter), { output: join(out, output), extraFlags });
        if (!built.ok) throw new Error(built.output);
        return built.library;
      };
      const counting = await build(`${chapter.slug}-count.so`, ['-DOBB_COUNT']);
      const plain = await build(`${chapter.slug}.so`);
      await buildProgram(ROOT, driver, ['tests/counters/count_driver.c']);

      const run = await runIn(driver, [], { library: counting, timeout: 60 });
      expect(run.exitCode, run.stderr).toBe(0);
      const mallocs = Number(/mallocs (\d+)/.exec(run.stdout)?.[1]);
      const lines = treeLines(run.stderr);
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) {
        expect(l.hints + l.descents, `${l.bytes}-byte line`).toBeLessThanOrEqual(l.calls);
        expect(l.visited, `${l.bytes}-byte line`).toBeGreaterThanOrEqual(l.descents);
        expect(l.empty, `${l.bytes}-byte line`).toBeLessThanOrEqual(l.descents);
      }
      // Every malloc of the driver (all below 4 KiB) reaches a tree at least once,
      // and takes its block either from a hint or from a descent.
      const served = lines.reduce((sum, l) => sum + l.hints + l.descents - l.empty, 0);
      expect(served).toBeGreaterThanOrEqual(mallocs);
      expect(lines.reduce((sum, l) => sum + l.calls, 0)).toBeGreaterThanOrEqual(mallocs);

      const quiet = await runIn(driver, [], { library: plain, timeout: 60 });
      expect(quiet.exitCode, quiet.stderr).toBe(0);
      expect(treeLines(quiet.stderr)).toEqual([]);
      const { stdout: symbols } = await execa('nm', [plain]);
      expect(symbols).not.toMatch(/\bobb_counts\b/);
    });
  }
});
