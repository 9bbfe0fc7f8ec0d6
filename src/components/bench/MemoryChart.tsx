// The memory view: peak resident memory of each allocator against the peak
// number of bytes the program itself had asked for and not yet freed (counted
// by the workload, in an extra run). The distance between the dashed line and
// a bar is what the allocator costs: headers, rounding, free memory it keeps,
// pages it touched and never returned, and the program's own code and stacks.

import type { BenchResults } from '@site/bench/types';
import type { ReactNode } from 'react';
import { cell, colour, FAILURE_WORD, fmtBytes, INK, logScale, MAIN, pick } from './lib';
import Legend from './Legend';
import styles from './styles.module.css';

interface Props {
  results: BenchResults;
  allocators?: string[];
  workloads?: string[];
}

const WIDTH = 680;
const LABEL = 110;
const RIGHT = 120;
const BAR = 10;
const GAP = 2;
const GROUP_GAP = 14;
const TOP = 26;
const FLOOR = 256 * 1024; // smaller requests are drawn at the left edge

function fmtFactor(x: number): string {
  return x >= 100 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`;
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
  const groupH = shown.length * (BAR + GAP) - GAP;
  const height = TOP + rows.length * (groupH + GROUP_GAP) + 4;

  return (
    <figure className={styles.figure}>
      <Legend allocators={shown} />
      <svg viewBox={`0 0 ${WIDTH} ${height}`} style={{ maxWidth: WIDTH }} role="img" aria-label="peak resident memory against the bytes the program asked for">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={TOP - 6} y2={height} style={{ stroke: INK.grid }} />
            <text x={x(t)} y={TOP - 10} textAnchor="middle" fontSize={11} fill={INK.text}>
              {t >= 2 ** 30 ? `${t / 2 ** 30} GiB` : t >= 2 ** 20 ? `${t / 2 ** 20} MiB` : `${t / 1024} KiB`}
            </text>
          </g>
        ))}
        {rows.map((w, i) => {
          const y0 = TOP + i * (groupH + GROUP_GAP);
          const asked = w.requestedPeakBytes;
          // Below 64 KiB the process's own fixed cost is all there is to see: no factors.
          const factors = asked !== null && asked >= 64 * 1024;
          return (
            <g key={w.id}>
              <text x={LABEL - 8} y={y0 + groupH / 2 + 4} textAnchor="end" fontSize={12} fill={INK.text}>
                {w.id}
              </text>
              {shown.map((a, j) => {
                const y = y0 + j * (BAR + GAP);
                const r = cell(results, w.id, a.id);
                if (!r || r.failure || r.peakRssKiB === null) {
                  return (
                    <text key={a.id} x={LABEL + 4} y={y + BAR - 2} fontSize={10} fill="var(--ifm-color-danger)">
                      {a.label}: {r?.failure ? FAILURE_WORD[r.failure.kind] ?? 'failed' : 'not run'}
                    </text>
                  );
                }
                const bytes = r.peakRssKiB * 1024;
                return (
                  <g key={a.id}>
                    <title>{`${w.id} under ${a.label}: peak RSS ${fmtBytes(bytes)}${asked ? `, ${(bytes / asked).toFixed(2)}× what it asked for` : ''}`}</title>
                    <rect x={LABEL} y={y} width={Math.max(1, x(bytes) - LABEL)} height={BAR} fill={colour(a)} rx={1} />
                    <text x={x(bytes) + 4} y={y + BAR - 2} fontSize={10} fill={INK.text}>
                      {fmtBytes(bytes)}
                      {factors && asked ? ` (${fmtFactor(bytes / asked)})` : ''}
                    </text>
                  </g>
                );
              })}
              {asked && !factors ? (
                <text x={WIDTH - 4} y={y0 + groupH / 2 + 4} textAnchor="end" fontSize={10} fill={INK.text}>
                  asked for {fmtBytes(asked)}
                </text>
              ) : null}
              {asked && factors ? (
                <g>
                  <line x1={x(asked)} x2={x(asked)} y1={y0 - 3} y2={y0 + groupH + 3} style={{ stroke: INK.text }} strokeWidth={1.5} strokeDasharray="3 2" />
                  <title>{`${w.id} asked for at most ${fmtBytes(asked)} at once`}</title>
                </g>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className={styles.caption}>
        Peak resident set size of the whole process (log scale). The dashed line is the most the program had asked for
        and not yet freed at any moment; the factor after each size is peak RSS divided by that. Every process also
        pays a fixed megabyte or so for its code, libc and stacks, which dwarfs tiny working sets such as
        cache-scratch's. Real programs (python, sqlite, gcc) do not count their requests, so they have no line.
      </figcaption>
    </figure>
  );
}
