// Time or memory per workload, per allocator, as a ratio to glibc: one bar per
// allocator growing left (better than glibc) or right (worse) from the line at
// 1x, on a log scale so that "twice as fast" and "twice as slow" look alike.

import type { BenchResults } from '@site/bench/types';
import type { ReactNode } from 'react';
import {
  cell,
  colour,
  FAILURE_WORD,
  fmtRatio,
  fmtTick,
  INK,
  logScale,
  METRIC_NAME,
  type Metric,
  pick,
  ratioOf,
  ratioTicks,
} from './lib';
import Legend from './Legend';
import styles from './styles.module.css';

interface Props {
  results: BenchResults;
  metric: Metric;
  /** Allocator ids to draw (default: ours and the three peers; glibc is the line). */
  allocators?: string[];
  /** Workload ids to draw (default: all). */
  workloads?: string[];
}

const WIDTH = 680;
const LABEL = 110; // workload names
const RIGHT = 70; // room for the value after the longest bar
const BAR = 11;
const GAP = 2;
const GROUP_GAP = 12;
const TOP = 40;

export default function RatioChart({ results, metric, allocators, workloads }: Props): ReactNode {
  const shown = pick(results, allocators ?? ['ours', 'jemalloc', 'tcmalloc', 'mimalloc']);
  const rows = results.workloads.filter((w) => !workloads || workloads.includes(w.id));
  const ratios = rows.flatMap((w) => shown.map((a) => ratioOf(cell(results, w.id, a.id), metric)));
  const known = ratios.filter((r): r is number => r !== null);
  const lo = Math.max(1 / 64, Math.min(0.5, ...known) / 1.15);
  const hi = Math.min(64, Math.max(2, ...known) * 1.15);
  const x = logScale(lo, hi, LABEL, WIDTH - RIGHT);
  const groupH = shown.length * (BAR + GAP) - GAP;
  const height = TOP + rows.length * (groupH + GROUP_GAP) + 4;
  const better = metric === 'rss' ? 'less memory' : 'faster';
  const worse = metric === 'rss' ? 'more memory' : 'slower';

  return (
    <figure className={styles.figure}>
      <Legend allocators={shown} />
      <svg viewBox={`0 0 ${WIDTH} ${height}`} style={{ maxWidth: WIDTH }} role="img" aria-label={`${METRIC_NAME[metric]} relative to glibc, per workload`}>
        {ratioTicks(lo, hi).map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={TOP - 6} y2={height} style={{ stroke: t === 1 ? INK.axis : INK.grid }} strokeWidth={t === 1 ? 1.5 : 1} />
            <text x={x(t)} y={TOP - 10} textAnchor="middle" fontSize={11} fontWeight={t === 1 ? 600 : 400} fill={INK.text}>
              {t === 1 ? 'glibc' : fmtTick(t)}
            </text>
          </g>
        ))}
        <text x={LABEL} y={12} fontSize={11} fontStyle="italic" fill={INK.text}>
          ← {better}
        </text>
        <text x={WIDTH - RIGHT} y={12} fontSize={11} fontStyle="italic" fill={INK.text} textAnchor="end">
          {worse} →
        </text>
        {rows.map((w, i) => {
          const y0 = TOP + i * (groupH + GROUP_GAP);
          return (
            <g key={w.id}>
              <text x={LABEL - 8} y={y0 + groupH / 2 + 4} textAnchor="end" fontSize={12} fill={INK.text}>
                {w.id}
              </text>
              {shown.map((a, j) => {
                const y = y0 + j * (BAR + GAP);
                const r = cell(results, w.id, a.id);
                const v = ratioOf(r, metric);
                if (v === null) {
                  const word = r?.failure ? FAILURE_WORD[r.failure.kind] ?? 'failed' : 'not run';
                  return (
                    <text key={a.id} x={x(1) + 4} y={y + BAR - 2} fontSize={10} fill="var(--ifm-color-danger)">
                      {a.label}: {word}
                    </text>
                  );
                }
                const x0 = Math.min(x(1), x(v));
                return (
                  <g key={a.id}>
                    <title>{`${w.id} under ${a.label}: ${fmtRatio(v)} glibc's ${METRIC_NAME[metric]}`}</title>
                    <rect x={x0} y={y} width={Math.max(1, Math.abs(x(v) - x(1)))} height={BAR} fill={colour(a)} rx={1} />
                    <text x={Math.max(x(1), x(v)) + 4} y={y + BAR - 2} fontSize={10} fill={INK.text}>
                      {fmtRatio(v)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption className={styles.caption}>
        {METRIC_NAME[metric][0]!.toUpperCase() + METRIC_NAME[metric].slice(1)} relative to glibc's on the same workload
        (log scale; left of the glibc line is {better}). Median of {results.iterations} interleaved runs
        {results.quick ? ', quick sizes' : ''}.
      </figcaption>
    </figure>
  );
}
