// The memory view: peak resident memory of each allocator against the peak
// number of bytes the program itself had asked for and not yet freed (counted
// by the workload, in an extra run). The distance between the dashed line and
// a bar is what the allocator costs: headers, rounding, free memory it keeps,
// pages it touched and never returned, and the program's own code and stacks.

import type { AllocatorInfo, BenchResults, Result, WorkloadInfo } from '@site/bench/types';
import type { ReactNode } from 'react';
import { BarGroups, barGroupsHeight, BARS, ChartFrame, Label, TEXT, ValueAxis } from './Chart';
import { cell, colour, fmtBytes, INK, logScale, MAIN, pick } from './lib';

interface Props {
  results: BenchResults;
  allocators?: string[];
  workloads?: string[];
}

const WIDTH = 760;
const LABEL = 120;
const RIGHT = 150;
const TOP = 30;
const FLOOR = 256 * 1024; // smaller requests are drawn at the left edge

function fmtFactor(x: number): string {
  return x >= 100 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`;
}

/** A power of two as a tick label: 256 KiB, 4 MiB, 1 GiB. */
function fmtPower(t: number): string {
  return fmtBytes(t).replace(/\.0+(?=\u00a0)/, '');
}

export default function MemoryChart({ results, allocators, workloads }: Props): ReactNode {
  const shown = pick(results, allocators ?? MAIN);
  const rows = results.workloads.filter((w) => !workloads || workloads.includes(w.id));
  const values = rows.flatMap((w) => [
    ...(w.requestedPeakBytes ? [w.requestedPeakBytes] : []),
    ...shown.map((a) => (cell(results, w.id, a.id)?.peakRssKiB ?? 0) * 1024).filter((v) => v > 0),
  ]);
  const lo = 2 ** Math.floor(Math.log2(Math.max(FLOOR, Math.min(...values) / 1.5)));
  const hi = 2 ** Math.ceil(Math.log2(Math.max(...values) * 1.2));
  const x = logScale(lo, hi, LABEL, WIDTH - RIGHT);
  const ticks: number[] = [];
  for (let v = lo; v <= hi; v *= 4) ticks.push(v);
  const height = TOP + barGroupsHeight(rows.length, shown.length);
  // Below 64 KiB the process's own fixed cost is all there is to see: no factors.
  const factorOf = (w: WorkloadInfo) => (w.requestedPeakBytes !== null && w.requestedPeakBytes >= 64 * 1024 ? w.requestedPeakBytes : null);
  const caption = (
    <>
      Peak resident set size of the whole process (log scale). The dashed line is the most the program had asked for
      and not yet freed at any moment; the factor after each size is peak RSS divided by that. Every process also
      pays a fixed megabyte or so for its code, libc and stacks, which dwarfs tiny working sets such as
      cache-scratch's. Real programs (python, sqlite, gcc) do not count their requests, so they have no line.
    </>
  );
  const bar = (w: WorkloadInfo, a: AllocatorInfo, r: Result, y: number, textY: number) => {
    if (r.peakRssKiB === null) return null;
    const bytes = r.peakRssKiB * 1024;
    const asked = w.requestedPeakBytes;
    const factor = factorOf(w);
    return (
      <>
        <title>{`${w.id} under ${a.label}: peak RSS ${fmtBytes(bytes)}${asked ? `, ${(bytes / asked).toFixed(2)}× what it asked for` : ''}`}</title>
        <rect x={LABEL} y={y} width={Math.max(1, x(bytes) - LABEL)} height={BARS.bar} fill={colour(a)} rx={1} />
        <Label x={x(bytes) + 4} y={textY}>
          {fmtBytes(bytes)}
          {factor ? ` (${fmtFactor(bytes / factor)})` : ''}
        </Label>
      </>
    );
  };
  /** The dashed line at what the program asked for, or (when tiny) the figure in words. */
  const asked = (w: WorkloadInfo, y0: number, groupHeight: number) => {
    const bytes = w.requestedPeakBytes;
    if (!bytes) return null;
    if (!factorOf(w)) {
      return (
        <Label x={WIDTH - 4} y={y0 + groupHeight / 2 + TEXT.value / 3} anchor="end">
          asked for {fmtBytes(bytes)}
        </Label>
      );
    }
    return (
      <g>
        <line x1={x(bytes)} x2={x(bytes)} y1={y0 - 3} y2={y0 + groupHeight + 3} style={{ stroke: INK.text }} strokeWidth={1.5} strokeDasharray="3 2" />
        <title>{`${w.id} asked for at most ${fmtBytes(bytes)} at once`}</title>
      </g>
    );
  };

  return (
    <ChartFrame width={WIDTH} height={height} label="peak resident memory against the bytes the program asked for" legend={shown} caption={caption}>
      <ValueAxis ticks={ticks} x={x} top={TOP} bottom={height} format={fmtPower} />
      <BarGroups results={results} rows={rows} shown={shown} top={TOP} left={LABEL} failedAt={LABEL + 4} bar={bar} over={asked} />
    </ChartFrame>
  );
}
