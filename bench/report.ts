// From runs to results: medians, ratios, geometric means, and the printed table.

import type { AllocatorInfo, BenchResults, Failure, Result, Run, Summary, WorkloadInfo } from './types.ts';

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function geomean(xs: number[]): number | null {
  const pos = xs.filter((x) => x > 0);
  if (pos.length === 0) return null;
  return Math.exp(pos.reduce((a, x) => a + Math.log(x), 0) / pos.length);
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : round(a / b, 4);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Raw material for one cell: the runs and, if it failed, why. */
export interface Cell {
  runs: Run[];
  failure: Failure | null;
  checksum: string | null;
}

/** Medians and ratios for every cell, and the per-allocator summary. */
export function summarise(
  allocators: AllocatorInfo[],
  workloads: WorkloadInfo[],
  cells: Map<string, Map<string, Cell>>,
): Pick<BenchResults, 'results' | 'summary'> {
  const results: Record<string, Record<string, Result>> = {};
  const peers = allocators.filter((a) => a.kind === 'peer').map((a) => a.id);
  for (const w of workloads) {
    const row: Record<string, Result> = {};
    for (const a of allocators) {
      const c = cells.get(w.id)?.get(a.id) ?? { runs: [], failure: { kind: 'missing', detail: 'not run' }, checksum: null };
      const runs = c.runs;
      const wall = median(runs.map((r) => r.wallMs));
      const cpu = median(runs.map((r) => r.cpuMs));
      const rss = median(runs.map((r) => r.maxRssKiB));
      const counted = runs.flatMap((r) => (r.voluntarySwitches === undefined ? [] : [r.voluntarySwitches]));
      row[a.id] = {
        runs,
        failure: c.failure,
        checksum: c.checksum,
        medianWallMs: wall === null ? null : round(wall, 3),
        medianCpuMs: cpu === null ? null : round(cpu, 3),
        peakRssKiB: rss,
        medianVoluntarySwitches: counted.length === runs.length ? median(counted) : null,
        wallVsGlibc: null,
        cpuVsGlibc: null,
        rssVsGlibc: null,
        wallVsBestPeer: null,
        rssVsBestPeer: null,
      };
    }
    const g = row.glibc;
    const okPeers = peers.map((p) => row[p]).filter((r): r is Result => r !== undefined && r.failure === null);
    const bestWall = okPeers.length ? Math.min(...okPeers.map((r) => r.medianWallMs ?? Infinity)) : null;
    const bestRss = okPeers.length ? Math.min(...okPeers.map((r) => r.peakRssKiB ?? Infinity)) : null;
    for (const r of Object.values(row)) {
      if (r.failure !== null) continue;
      r.wallVsGlibc = ratio(r.medianWallMs, g?.failure === null ? g.medianWallMs : null);
      r.cpuVsGlibc = ratio(r.medianCpuMs, g?.failure === null ? g.medianCpuMs : null);
      r.rssVsGlibc = ratio(r.peakRssKiB, g?.failure === null ? g.peakRssKiB : null);
      r.wallVsBestPeer = ratio(r.medianWallMs, bestWall);
      r.rssVsBestPeer = ratio(r.peakRssKiB, bestRss);
    }
    results[w.id] = row;
  }
  const summary: Record<string, Summary> = {};
  for (const a of allocators) {
    const rs = workloads.map((w) => results[w.id]?.[a.id]).filter((r): r is Result => r !== undefined);
    const ok = rs.filter((r) => r.failure === null);
    const gm = (pick: (r: Result) => number | null) => {
      const v = geomean(ok.map(pick).filter((x): x is number => x !== null));
      return v === null ? null : round(v, 4);
    };
    summary[a.id] = {
      geomeanWallVsGlibc: gm((r) => r.wallVsGlibc),
      geomeanCpuVsGlibc: gm((r) => r.cpuVsGlibc),
      geomeanRssVsGlibc: gm((r) => r.rssVsGlibc),
      completed: ok.length,
      failed: rs.length - ok.length,
    };
  }
  return { results, summary };
}

// ---------------------------------------------------------------------------
// The printed table: one block per metric, workloads down, allocators across.

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function fmtMiB(kib: number): string {
  const mib = kib / 1024;
  return mib >= 100 ? mib.toFixed(0) : mib >= 10 ? mib.toFixed(1) : mib.toFixed(2);
}

function fmtRatio(x: number | null): string {
  return x === null ? '' : `x${x >= 10 ? x.toFixed(0) : x.toFixed(2)}`;
}

const FAIL_SHORT: Record<string, string> = {
  crash: 'CRASH',
  exit: 'EXIT',
  timeout: 'TIMEOUT',
  memory: 'MEMORY',
  checksum: 'CHECKSUM',
  missing: 'MISSING',
};

export function formatTable(r: BenchResults): string {
  const lines: string[] = [];
  const colW = Math.max(14, ...r.allocators.map((a) => a.label.length + 1));
  const nameW = Math.max(14, ...r.workloads.map((w) => w.id.length + 1));
  const header = pad('', nameW) + r.allocators.map((a) => pad(a.label, colW, true)).join('');
  const block = (title: string, value: (res: Result) => string) => {
    lines.push('', title, header);
    for (const w of r.workloads) {
      const row = r.results[w.id] ?? {};
      lines.push(
        pad(w.id, nameW) +
          r.allocators
            .map((a) => {
              const res = row[a.id];
              if (!res) return pad('-', colW, true);
              if (res.failure) return pad(FAIL_SHORT[res.failure.kind] ?? 'FAIL', colW, true);
              return pad(value(res), colW, true);
            })
            .join(''),
      );
    }
  };
  block('median wall time, ms (ratio to glibc)', (x) => `${fmtMs(x.medianWallMs ?? 0)} ${a1(x.wallVsGlibc)}`);
  block('median user+sys time, ms (ratio to glibc)', (x) => `${fmtMs(x.medianCpuMs ?? 0)} ${a1(x.cpuVsGlibc)}`);
  block('peak RSS, MiB (ratio to glibc)', (x) => `${fmtMiB(x.peakRssKiB ?? 0)} ${a1(x.rssVsGlibc)}`);
  block('median voluntary context switches (sleeps, on a contended lock among others)', (x) => `${x.medianVoluntarySwitches ?? '-'}`);

  lines.push('', 'summary: geometric means over the workloads each allocator completed');
  lines.push(
    pad('', nameW) +
      ['wall/glibc', 'cpu/glibc', 'rss/glibc', 'wall/best', 'done', 'failed'].map((h) => pad(h, 12, true)).join(''),
  );
  for (const a of r.allocators) {
    const s = r.summary[a.id];
    if (!s) continue;
    const vsBest = geomeanOf(r, a.id, (x) => x.wallVsBestPeer);
    lines.push(
      pad(a.label, nameW) +
        [fmtRatio(s.geomeanWallVsGlibc), fmtRatio(s.geomeanCpuVsGlibc), fmtRatio(s.geomeanRssVsGlibc), fmtRatio(vsBest)]
          .map((x) => pad(x || '-', 12, true))
          .join('') +
        pad(String(s.completed), 12, true) +
        pad(String(s.failed), 12, true),
    );
  }
  const failures = r.allocators.flatMap((a) => {
    const fs = r.workloads.flatMap((w) => {
      const f = r.results[w.id]?.[a.id]?.failure;
      return f ? [{ w: w.id, f }] : [];
    });
    const first = fs[0];
    if (first && fs.length === r.workloads.length && fs.every((x) => x.f.detail === first.f.detail))
      return [`  ${a.label} on every workload: ${first.f.kind}: ${first.f.detail}`];
    return fs.map(({ w, f }) => `  ${w} under ${a.label}: ${f.kind}: ${f.detail}`);
  });
  if (failures.length) lines.push('', 'failures (recorded in the JSON; later runs of that pair were skipped):', ...failures);
  return lines.join('\n');

  function a1(x: number | null): string {
    return x === null ? '' : `(${fmtRatio(x)})`;
  }
}

function geomeanOf(r: BenchResults, id: string, pick: (x: Result) => number | null): number | null {
  const xs = r.workloads
    .map((w) => r.results[w.id]?.[id])
    .filter((x): x is Result => x !== undefined && x.failure === null)
    .map(pick)
    .filter((x): x is number => x !== null);
  return geomean(xs);
}
