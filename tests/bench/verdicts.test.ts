// The benchmark chapter's figures are read from bench/results/latest.json as the
// page is built, but the words around them ("we lose to all four", "the lowest of
// the five") were written by a person against one run. Each such sentence is
// listed here with the comparison it makes, and checked against the committed
// results: a new run that contradicts the prose fails `make test` instead of
// publishing a false sentence. Change the sentence and this file together.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/types.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const results = JSON.parse(
  readFileSync(join(ROOT, 'bench/results/latest.json'), 'utf8'),
) as BenchResults;

/** The benchmark chapter, whatever its number, with its whitespace collapsed. */
function chapterText(): string {
  const docs = join(ROOT, 'docs');
  const file = readdirSync(docs).find((f) => /^\d\d-benchmarks\.mdx?$/.test(f));
  if (!file) throw new Error('no docs/NN-benchmarks.md(x) found');
  return readFileSync(join(docs, file), 'utf8').replace(/\s+/g, ' ');
}

type Metric = 'wall' | 'cpu' | 'rss';
const PEERS = ['jemalloc', 'tcmalloc', 'mimalloc'];

/** Geometric mean of an allocator's ratios to glibc over all workloads. */
function mean(allocator: string, metric: Metric): number {
  const s = results.summary[allocator];
  const v = {
    wall: s?.geomeanWallVsGlibc,
    cpu: s?.geomeanCpuVsGlibc,
    rss: s?.geomeanRssVsGlibc,
  }[metric];
  if (v == null) throw new Error(`no ${metric} mean for ${allocator}`);
  return v;
}

/** One workload's ratio to glibc (glibc itself is 1). */
function ratio(workload: string, allocator: string, metric: Metric): number {
  if (allocator === 'glibc') return 1;
  const r = results.results[workload]?.[allocator];
  const v = {
    wall: r?.wallVsGlibc,
    cpu: r?.cpuVsGlibc,
    rss: r?.rssVsGlibc,
  }[metric];
  if (v == null) throw new Error(`no ${metric} for ${allocator} on ${workload}`);
  return v;
}

/** Our chapter libraries that the run measured, and the final one. */
function ourLibraries(): string[] {
  return results.allocators
    .filter((a) => a.kind === 'chapter' || a.kind === 'ours')
    .map((a) => a.id);
}

interface Verdict {
  /** Words of the chapter, as written (line breaks do not matter). */
  says: string;
  /** The comparison those words make, on the committed results. */
  holds: () => boolean;
}

const verdicts: Verdict[] = [
  {
    says: 'on time we lose to all four',
    holds: () =>
      ['glibc', ...PEERS].every(
        (p) => mean('ours', 'wall') > (p === 'glibc' ? 1 : mean(p, 'wall')),
      ),
  },
  {
    says:
      'on memory we sit with mimalloc, behind glibc and ahead of jemalloc ' +
      'and tcmalloc',
    holds: () =>
      mean('ours', 'rss') > 1 &&
      Math.abs(mean('ours', 'rss') / mean('mimalloc', 'rss') - 1) <= 0.1 &&
      mean('ours', 'rss') < mean('jemalloc', 'rss') &&
      mean('ours', 'rss') < mean('tcmalloc', 'rss'),
  },
  {
    says: 'so that the last library is the fastest in this book',
    holds: () => {
      const last = results.allocators.find(
        (a) => a.kind === 'chapter' && a.id.endsWith('the-owner-takes-no-lock'),
      );
      const fastest = ourLibraries().sort(
        (a, b) => mean(a, 'wall') - mean(b, 'wall'),
      )[0];
      return fastest === 'ours' || fastest === last?.id;
    },
  },
  {
    says: "chapter 4's tree, which replaced the lists to save memory",
    holds: () => mean('04-one-byte-a-block', 'wall') > mean('03-buddies', 'wall'),
  },
  {
    says: 'Every peer keeps a per-thread cache',
    holds: () =>
      ['alloc-test1', 'glibc-simple'].every((w) =>
        PEERS.every((p) => ratio(w, 'ours', 'cpu') > ratio(w, p, 'cpu')),
      ),
  },
  {
    says: "tree of nibbles, which replaced the lists, took",
    holds: () =>
      ratio('alloc-test1', '04-one-byte-a-block', 'cpu') >
      ratio('alloc-test1', '03-buddies', 'cpu'),
  },
  {
    says: 'Per-thread arenas ([chapter 7](./07-an-arena-per-thread.md)) did what they were built for',
    holds: () =>
      ['glibc-thread', 'alloc-test2'].every(
        (w) =>
          ratio(w, '07-an-arena-per-thread', 'cpu') <
          ratio(w, '06-the-whole-c-api', 'cpu'),
      ),
  },
  {
    says: 'With an arena each, the threads neither meet at a lock nor share a region',
    holds: () =>
      ratio('cache-scratch', 'ours', 'wall') <
      ratio('cache-scratch', '06-the-whole-c-api', 'wall') / 2,
  },
  {
    says: 'chapter 8 hands an exited thread\'s arena to the next new thread',
    holds: () =>
      ratio('mstress', '08-threads-come-and-go', 'rss') <
      ratio('mstress', '07-an-arena-per-thread', 'rss'),
  },
  {
    says: 'the journey turns the wrong way in time and the right way in memory',
    holds: () =>
      ratio('malloc-large', 'ours', 'wall') >
        ratio('malloc-large', '04-one-byte-a-block', 'wall') &&
      ratio('malloc-large', 'ours', 'rss') <
        ratio('malloc-large', '04-one-byte-a-block', 'rss'),
  },
  {
    says: 'while glibc and tcmalloc',
    holds: () =>
      ratio('malloc-large', 'tcmalloc', 'wall') <
      ratio('malloc-large', 'ours', 'wall'),
  },
  {
    says: "glibc's, the lowest of the five",
    holds: () =>
      ['glibc', ...PEERS].every(
        (p) =>
          ratio('malloc-large', 'ours', 'rss') <
          ratio('malloc-large', p, 'rss'),
      ),
  },
  {
    says:
      "more than twice glibc's CPU time on `alloc-test1` costs a real " +
      'program less than half as much again',
    holds: () =>
      ratio('alloc-test1', 'ours', 'cpu') > 2 &&
      ['python', 'sqlite', 'gcc'].every((w) => ratio(w, 'ours', 'cpu') < 1.5),
  },
  {
    says: 'and there mimalloc is faster than glibc',
    holds: () => ratio('sqlite', 'mimalloc', 'cpu') < 1,
  },
  {
    says:
      'take longer there than we do, though both beat us easily on ' +
      '`alloc-test1` and `glibc-simple`',
    holds: () =>
      ['mimalloc', 'tcmalloc'].every(
        (p) =>
          ratio('python', p, 'cpu') > ratio('python', 'ours', 'cpu') &&
          ['alloc-test1', 'glibc-simple'].every(
            (w) => ratio(w, p, 'cpu') < ratio(w, 'ours', 'cpu') / 1.5,
          ),
      ),
  },
  {
    says: 'SQLite, which allocates and frees a great deal per statement, feels it most',
    holds: () =>
      ratio('sqlite', 'ours', 'cpu') >=
      Math.max(ratio('python', 'ours', 'cpu'), ratio('gcc', 'ours', 'cpu')),
  },
  {
    says: "and chapter 4's tree removed that",
    holds: () =>
      ratio('glibc-simple', '04-one-byte-a-block', 'rss') <
      ratio('glibc-simple', '03-buddies', 'rss'),
  },
  {
    says: 'It does not pay where sizes are arbitrary',
    holds: () => ratio('sqlite', 'ours', 'rss') > 1,
  },
];

describe('the benchmark chapter says only what the committed run shows', () => {
  const text = chapterText();
  it('should be checked against a full run, not a quick one', () => {
    expect(results.quick).toBe(false);
  });
  for (const v of verdicts) {
    it(`"${v.says}"`, () => {
      expect(text, 'the sentence is no longer in the chapter').toContain(v.says);
      expect(v.holds(), 'the committed results contradict it').toBe(true);
    });
  }
});
