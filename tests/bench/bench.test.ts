// The benchmarks as tests: every workload runs under our allocator at a tiny
// size and prints glibc's checksum, and the committed results have the shape
// the chapter's charts read. Nothing here looks at a time.

import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BenchResults, validateResults } from '../../bench/types.ts';
import { WORKLOADS } from '../../bench/workloads.ts';
import { buildSnapshot, describeFailure, LIBRARY, librarySources, snapshotFolder } from '../../tangle/snapshot.ts';
import { ROOT, tangleSnapshots } from '../harness.ts';

/**
 * The library to test: the last chapter's snapshot with code (code/ is its copy),
 * compiled into a private file so that a concurrent `make` or chapter test rebuilding the
 * usual one cannot pull it from under us. $OBB_BENCH_LIBRARY overrides it.
 */
async function ourLibrary(): Promise<{ library: string; from: string }> {
  const forced = process.env.OBB_BENCH_LIBRARY; // to try the suite on another build
  if (forced) return { library: resolve(forced), from: forced };
  const chapter = tangleSnapshots().filter((c) => librarySources(ROOT, snapshotFolder(c)).length > 0).at(-1);
  if (!chapter) throw new Error('no chapter of the book has a library yet');
  const built = await buildSnapshot(ROOT, chapter, join(ROOT, 'out/bench/test', LIBRARY));
  if (!built.ok) throw new Error(describeFailure(chapter, built));
  return { library: built.library, from: chapter.slug };
}

describe('benchmark workloads', () => {
  let results: BenchResults;
  let from = '';

  beforeAll(async () => {
    const ours = await ourLibrary();
    from = ours.from;
    const out = join(mkdtempSync(join(tmpdir(), 'obb-bench-')), 'tiny.json');
    const run = await execa(
      'npx',
      ['tsx', 'bench/run.ts', '--size', 'tiny', '--iterations', '1', '--allocators', 'glibc,ours', '--library', ours.library, '--out', out],
      { cwd: ROOT, reject: false, all: true },
    );
    if (!existsSync(out)) throw new Error(`bench/run.ts wrote no results:\n${run.all}`);
    results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
  }, 120_000);

  it('should produce results that match the shared type', () => {
    expect(validateResults(results)).toEqual([]);
    expect(results.workloads.map((w) => w.id)).toEqual(WORKLOADS.map((w) => w.id));
  });

  for (const w of WORKLOADS) {
    it(`should run ${w.id} under our allocator with glibc's checksum`, () => {
      const glibc = results.results[w.id]?.glibc;
      const ours = results.results[w.id]?.ours;
      expect(glibc?.failure, `${w.id} under glibc`).toBeNull();
      expect(glibc?.checksum).toMatch(/^[0-9a-f]+$/);
      expect(ours?.failure ?? null, `${w.id} under ${from}`).toBeNull();
      expect(ours?.checksum).toBe(glibc?.checksum);
    });
  }

  it('should count the bytes every synthetic workload asks for', () => {
    for (const w of results.workloads.filter((x) => x.kind === 'synthetic'))
      expect(w.requestedPeakBytes, w.id).toBeGreaterThan(0);
  });
});

describe('committed benchmark results', () => {
  const file = join(ROOT, 'bench/results/latest.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;

  it('should have the shape the charts read', () => {
    expect(validateResults(data)).toEqual([]);
  });

  it('should compare glibc, our library and the three peers', () => {
    const ids = data.allocators.map((a) => a.id);
    for (const id of ['glibc', 'ours', 'jemalloc', 'tcmalloc', 'mimalloc']) expect(ids).toContain(id);
  });

  it('should cover every workload the runner knows', () => {
    expect(data.workloads.map((w) => w.id)).toEqual(WORKLOADS.map((w) => w.id));
  });

  it('should record a reason for every allocator that did not complete a workload', () => {
    for (const w of data.workloads)
      for (const a of data.allocators) {
        const r = data.results[w.id]?.[a.id];
        expect(r, `${w.id}/${a.id}`).toBeDefined();
        if (r && r.runs.length === 0) expect(r.failure?.detail, `${w.id}/${a.id}`).toBeTruthy();
      }
  });

  it('should have a checksum equal to glibc wherever a run completed', () => {
    for (const w of data.workloads) {
      const row = data.results[w.id] ?? {};
      const expected = row.glibc?.checksum;
      for (const [id, r] of Object.entries(row)) if (r.failure === null) expect(r.checksum, `${w.id}/${id}`).toBe(expected);
    }
  });
});

describe('benchmark failures', () => {
  async function runWith(library: string, only: string): Promise<BenchResults> {
    const out = join(mkdtempSync(join(tmpdir(), 'obb-bench-')), 'broken.json');
    await execa(
      'npx',
      ['tsx', 'bench/run.ts', '--size', 'tiny', '--iterations', '1', '--only', only, '--allocators', 'glibc,ours', '--library', library, '--out', out],
      { cwd: ROOT, reject: false },
    );
    return JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
  }

  it('should record a failure for an allocator whose realloc loses the contents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obb-bench-'));
    const library = join(dir, 'forgetful.so');
    await execa('gcc', ['-O2', '-fPIC', '-shared', '-o', library, 'tests/bench/fixtures/forgetful_realloc.c'], { cwd: ROOT });
    const r = await runWith(library, 'mstress');
    expect(r.results.mstress?.glibc?.failure).toBeNull();
    expect(r.results.mstress?.ours?.failure?.kind).toMatch(/^(exit|checksum)$/);
    expect(r.results.mstress?.ours?.runs).toEqual([]);
  });

  it('should record a failure, not a glibc run, for a library the dynamic linker cannot load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obb-bench-'));
    const library = join(dir, 'not-a-library.so');
    writeFileSync(library, 'not an ELF file');
    const r = await runWith(library, 'larson');
    expect(r.results.larson?.ours?.failure?.kind).toBe('missing');
    expect(r.results.larson?.ours?.failure?.detail).toMatch(/cannot load/);
  });
});
