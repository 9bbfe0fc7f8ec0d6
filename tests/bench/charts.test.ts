// The chapter's charts, rendered on the server from the committed results, and
// from a copy in which one allocator failed everything, as the site build would
// render them: they must not throw, must draw every workload, and must say
// "failed" rather than draw a bar of no value.

import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/types.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LATEST = join(ROOT, 'bench/results/latest.json');

async function render(file: string): Promise<string> {
  const { stdout } = await execa(
    'npx',
    ['tsx', '--require', './tests/bench/css-stub.cjs', 'tests/bench/render-charts.tsx', file],
    { cwd: ROOT },
  );
  return stdout;
}

/** The committed results with every run of one allocator turned into a timeout. */
function failing(id: string): string {
  const copy = JSON.parse(readFileSync(LATEST, 'utf8')) as BenchResults;
  for (const row of Object.values(copy.results)) {
    const r = row[id];
    if (!r) continue;
    Object.assign(r, {
      runs: [],
      failure: { kind: 'timeout', detail: 'killed after 3 s' },
      checksum: null,
      medianWallMs: null,
      medianCpuMs: null,
      peakRssKiB: null,
      wallVsGlibc: null,
      cpuVsGlibc: null,
      rssVsGlibc: null,
      wallVsBestPeer: null,
      rssVsBestPeer: null,
    });
  }
  const file = join(mkdtempSync(join(tmpdir(), 'obb-charts-')), 'failing.json');
  writeFileSync(file, JSON.stringify(copy));
  return file;
}

describe('benchmark charts', () => {
  it('should draw every workload of the committed results', async () => {
    const html = await render(LATEST);
    const data = JSON.parse(readFileSync(LATEST, 'utf8')) as BenchResults;
    expect(html).toContain('<svg');
    for (const w of data.workloads) expect(html).toContain(`>${w.id}<`);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('should say an allocator timed out instead of drawing a bar for it', async () => {
    const html = await render(failing('ours'));
    expect(html).toContain('timed out');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });
});
