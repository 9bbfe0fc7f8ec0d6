// The chapter's charts and tables, rendered on the server from the committed results, and
// from a copy in which one allocator failed everything, as the site build would render
// them: they must not throw, must draw every workload, and must say "failed" rather than
// draw a bar of no value. (vitest.config.mts compiles the JSX and the CSS modules.)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/types.ts';
import {
  BenchMean,
  BenchNumber,
  JourneyChart,
  MemoryChart,
  RatioChart,
  ResultsTable,
  RunInfo,
  SummaryTable,
  WorkloadList,
} from '../../src/components/bench/index.ts';
import { ROOT } from '../harness.ts';

const LATEST = join(ROOT, 'bench/results/latest.json');

/** Every chart and table of the chapter, as static HTML. */
function render(results: BenchResults): string {
  return renderToStaticMarkup(
    <div>
      <RunInfo results={results} />
      <WorkloadList results={results} />
      <RatioChart results={results} metric="wall" />
      <RatioChart results={results} metric="cpu" />
      <RatioChart results={results} metric="rss" />
      <MemoryChart results={results} />
      <JourneyChart results={results} metric="wall" />
      <JourneyChart results={results} metric="rss" />
      <SummaryTable results={results} />
      <ResultsTable results={results} metric="wall" />
      <ResultsTable results={results} metric="rss" />
      <p>
        <BenchMean results={results} allocator="ours" metric="wall" />
        <BenchNumber results={results} workload="larson" allocator="ours" field="wallVsGlibc" />
      </p>
    </div>,
  );
}

function latest(): BenchResults {
  return JSON.parse(readFileSync(LATEST, 'utf8')) as BenchResults;
}

/** The committed results with every run of one allocator turned into a timeout. */
function failing(id: string): BenchResults {
  const copy = latest();
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
  return copy;
}

describe('benchmark charts', () => {
  it('should give each median the spread of its runs', () => {
    const data = latest();
    const r = data.results['larson']!['glibc']!;
    const walls = r.runs.map((run) => run.wallMs);
    const spread = (Math.max(...walls) - Math.min(...walls)) / 2 / r.medianWallMs!;
    const shown = `±${(spread * 100).toFixed(spread < 0.1 ? 1 : 0)}\u00a0%`;
    const html = renderToStaticMarkup(<ResultsTable results={data} metric="wall" allocators={['glibc']} />);
    expect(walls.length).toBeGreaterThan(1);
    expect(html).toContain(shown);
  });

  it('should draw every workload of the committed results', () => {
    const data = latest();
    const html = render(data);
    expect(html).toContain('<svg');
    expect(html).toContain('<figure class="obb-chart figure">'); // the CSS module's class names reach the HTML
    // Every label is at least 12 px: the charts are drawn at their own size, never scaled.
    const sizes = [...html.matchAll(/<text[^>]* font-size="(\d+)"/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(100);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    expect(html).not.toMatch(/<svg[^>]*style="[^"]*max-width/);
    // A number keeps its unit: "658 ms", never "658" at a line's end and "ms" at the next's.
    const figures = html.match(/<svg.*?<\/svg>|<table.*?<\/table>/g) ?? [];
    expect(figures.length).toBeGreaterThan(5);
    for (const figure of figures) expect(figure).not.toMatch(/\d (ms|s|B|KiB|MiB|GiB)\b/);
    // The big tables are folded.
    expect((html.match(/<details/g) ?? []).length).toBe(2);
    for (const w of data.workloads) expect(html).toContain(`>${w.id}<`);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('should say an allocator timed out instead of drawing a bar for it', () => {
    const html = render(failing('ours'));
    expect(html).toContain('timed out');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });
});
