// Time or memory per workload, per allocator, as a ratio to glibc: one bar per
// allocator growing left (better than glibc) or right (worse) from the line at
// 1x, on a log scale so that "twice as fast" and "twice as slow" look alike.

import type { AllocatorInfo, BenchResults, Result, WorkloadInfo } from '@site/bench/types';
import type { ReactNode } from 'react';
import { BarGroups, barGroupsHeight, BARS, ChartFrame, Label, ValueAxis } from './Chart';
import { cell, colour, fmtRatio, fmtTick, logScale, METRIC_NAME, type Metric, metricTitle, pick, ratioOf, ratioTicks } from './lib';

interface Props {
  results: BenchResults;
  metric: Metric;
  /** Allocator ids to draw (default: ours and the three peers; glibc is the line). */
  allocators?: string[];
  /** Workload ids to draw (default: all). */
  workloads?: string[];
}

const WIDTH = 720;
const LABEL = 120; // workload names
const RIGHT = 80; // room for the value after the longest bar
const TOP = 46;

export default function RatioChart({ results, metric, allocators, workloads }: Props): ReactNode {
  const shown = pick(results, allocators ?? ['ours', 'jemalloc', 'tcmalloc', 'mimalloc']);
  const rows = results.workloads.filter((w) => !workloads || workloads.includes(w.id));
  const ratios = rows.flatMap((w) => shown.map((a) => ratioOf(cell(results, w.id, a.id), metric)));
  const known = ratios.filter((r): r is number => r !== null);
  const lo = Math.max(1 / 64, Math.min(0.5, ...known) / 1.15);
  const hi = Math.min(64, Math.max(2, ...known) * 1.15);
  const x = logScale(lo, hi, LABEL, WIDTH - RIGHT);
  const height = TOP + barGroupsHeight(rows.length, shown.length);
  const better = metric === 'rss' ? 'less memory' : 'faster';
  const worse = metric === 'rss' ? 'more memory' : 'slower';
  const caption = (
    <>
      {metricTitle(metric)} relative to glibc's on the same workload (log scale; left of the glibc line is {better}).
      Median of {results.iterations} interleaved runs{results.quick ? ', quick sizes' : ''}.
    </>
  );
  const bar = (w: WorkloadInfo, a: AllocatorInfo, r: Result, y: number, textY: number) => {
    const v = ratioOf(r, metric);
    if (v === null) return null;
    return (
      <>
        <title>{`${w.id} under ${a.label}: ${fmtRatio(v)} glibc's ${METRIC_NAME[metric]}`}</title>
        <rect x={Math.min(x(1), x(v))} y={y} width={Math.max(1, Math.abs(x(v) - x(1)))} height={BARS.bar} fill={colour(a)} rx={1} />
        <Label x={Math.max(x(1), x(v)) + 4} y={textY}>
          {fmtRatio(v)}
        </Label>
      </>
    );
  };

  return (
    <ChartFrame width={WIDTH} height={height} label={`${METRIC_NAME[metric]} relative to glibc, per workload`} legend={shown} caption={caption}>
      <ValueAxis ticks={ratioTicks(lo, hi)} x={x} top={TOP} bottom={height} format={(t) => (t === 1 ? 'glibc' : fmtTick(t))} strong={(t) => t === 1} />
      <Label x={LABEL} y={14} italic>
        ← {better}
      </Label>
      <Label x={WIDTH - RIGHT} y={14} anchor="end" italic>
        {worse} →
      </Label>
      <BarGroups results={results} rows={rows} shown={shown} top={TOP} left={LABEL} failedAt={x(1) + 4} bar={bar} />
    </ChartFrame>
  );
}
