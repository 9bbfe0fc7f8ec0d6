// Helpers shared by the benchmark charts: which allocators to show, their
// colours, log scales and number formats. Everything here is a pure function of
// the results JSON (bench/types.ts), so the charts render the same on the
// server and in the browser.

import type { AllocatorInfo, BenchResults, Result } from '@site/bench/types';

/** The allocators most charts compare: ours first, then glibc and the peers. */
export const MAIN = ['ours', 'glibc', 'jemalloc', 'tcmalloc', 'mimalloc'];

// Mid-tone colours: dark enough on white, light enough on the dark theme's #1b1b1d.
const COLOURS: Record<string, string> = {
  ours: '#e8590c',
  glibc: '#868e96',
  jemalloc: '#1c7ed6',
  tcmalloc: '#2f9e44',
  mimalloc: '#ae3ec9',
};

export function colour(a: AllocatorInfo): string {
  return COLOURS[a.id] ?? (a.kind === 'chapter' ? '#f08c00' : '#495057');
}

/** The allocators in `ids` that the results contain, in that order. */
export function pick(results: BenchResults, ids: string[]): AllocatorInfo[] {
  return ids.flatMap((id) => results.allocators.filter((a) => a.id === id));
}

/** Chapter libraries in book order, then our final library. */
export function journey(results: BenchResults): AllocatorInfo[] {
  const chapters = results.allocators
    .filter((a) => a.kind === 'chapter')
    .sort((a, b) => (a.chapter ?? 0) - (b.chapter ?? 0));
  return [...chapters, ...pick(results, ['ours'])];
}

export function cell(results: BenchResults, workload: string, allocator: string): Result | undefined {
  return results.results[workload]?.[allocator];
}

export type Metric = 'wall' | 'cpu' | 'rss';

export const METRIC_NAME: Record<Metric, string> = {
  wall: 'median wall-clock time',
  cpu: 'median user+system CPU time',
  rss: 'peak resident memory',
};

/** The metric's name at the start of a sentence. */
export function metricTitle(m: Metric): string {
  return METRIC_NAME[m][0]!.toUpperCase() + METRIC_NAME[m].slice(1);
}

export function ratioOf(r: Result | undefined, m: Metric): number | null {
  if (!r || r.failure) return null;
  return m === 'wall' ? r.wallVsGlibc : m === 'cpu' ? r.cpuVsGlibc : r.rssVsGlibc;
}

export function absoluteOf(r: Result | undefined, m: Metric): number | null {
  if (!r || r.failure) return null;
  return m === 'wall' ? r.medianWallMs : m === 'cpu' ? r.medianCpuMs : r.peakRssKiB;
}

/**
 * How far the runs of one cell spread: half the distance from the lowest run
 * to the highest, as a fraction of the median. Null with fewer than two runs.
 */
export function spreadOf(r: Result | undefined, m: Metric): number | null {
  const median = absoluteOf(r, m);
  if (!r || median === null || median === 0 || r.runs.length < 2) return null;
  const values = r.runs.map((run) =>
    m === 'wall' ? run.wallMs : m === 'cpu' ? run.cpuMs : run.maxRssKiB,
  );
  return (Math.max(...values) - Math.min(...values)) / 2 / median;
}

/** A log scale from [lo, hi] to [x0, x1]. */
export function logScale(lo: number, hi: number, x0: number, x1: number): (v: number) => number {
  const a = Math.log(lo);
  const b = Math.log(hi);
  return (v) => x0 + ((Math.log(Math.min(hi, Math.max(lo, v))) - a) / (b - a)) * (x1 - x0);
}

/** Powers-of-two ticks (and 1) covering [lo, hi], for ratio axes. */
export function ratioTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log2(lo)); e <= Math.ceil(Math.log2(hi)); e++) {
    const v = 2 ** e;
    if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
  }
  return ticks;
}

export function fmtRatio(x: number): string {
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;
}

export function fmtTick(x: number): string {
  return x >= 1 ? `${x}×` : `1/${Math.round(1 / x)}`;
}

// A number and its unit are joined by a no-break space, so that a narrow column or line
// never leaves "658" at the end of one line and "ms" at the start of the next.
const NBSP = '\u00a0';

export function fmtMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}${NBSP}s`;
  if (ms >= 100) return `${ms.toFixed(0)}${NBSP}ms`;
  return `${ms.toFixed(1)}${NBSP}ms`;
}

export function fmtBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)}${NBSP}GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)}${NBSP}MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(0)}${NBSP}KiB`;
  return `${bytes}${NBSP}B`;
}

export const FAILURE_WORD: Record<string, string> = {
  crash: 'crashed',
  exit: 'failed',
  timeout: 'timed out',
  memory: 'out of memory',
  checksum: 'wrong checksum',
  missing: 'not run',
};

/** What became of a run that has no value: "timed out", "crashed", ... or `none` when it was not run. */
export function failureWord(r: Result | undefined, none = 'not run'): string {
  return r?.failure ? FAILURE_WORD[r.failure.kind] ?? 'failed' : none;
}

/** The class of a chart's drawing, which the search index leaves out (docusaurus.config.ts). */
export const PLOT_CLASS = 'obb-chart-plot';

/** Theme-aware colours for SVG strokes and fills (Infima's variables). */
export const INK = {
  text: 'currentColor',
  grid: 'var(--ifm-color-emphasis-300)',
  axis: 'var(--ifm-color-emphasis-600)',
  faint: 'var(--ifm-color-emphasis-200)',
};
