// What the benchmark charts share: a frame that draws the chart at its own size (a chart
// wider than the column scrolls sideways, so its text is never shrunk below TEXT), the text
// sizes, a value axis of grid lines labelled above, and the labels. Plain SVG, the same on
// the server and in the browser. The drawing is left out of the search index (only the
// caption, which is prose, is searched): see the search options in docusaurus.config.ts.

import type { ReactNode } from 'react';
import clsx from 'clsx';
import { cell, failureWord, INK, PLOT_CLASS } from './lib';
import Legend from './Legend';
import type { AllocatorInfo, BenchResults, Result, WorkloadInfo } from '@site/bench/types';
import styles from './styles.module.css';

/** Text sizes in CSS pixels: the charts are never scaled, so this is what a reader gets. */
export const TEXT = { label: 14, value: 13 } as const;


interface FrameProps {
  width: number;
  height: number;
  label: string; // what the chart shows, for a screen reader
  legend?: AllocatorInfo[];
  caption: ReactNode;
  children: ReactNode;
}

export function ChartFrame({ width, height, label, legend, caption, children }: FrameProps): ReactNode {
  return (
    <figure className={clsx('obb-chart', styles.figure)}>
      {legend && <Legend allocators={legend} />}
      <div className={clsx(PLOT_CLASS, styles.plot)}>
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
          {children}
        </svg>
      </div>
      <figcaption className={styles.caption}>{caption}</figcaption>
    </figure>
  );
}

interface LabelProps {
  x: number;
  y: number; // the baseline
  anchor?: 'start' | 'middle' | 'end';
  size?: keyof typeof TEXT;
  weight?: 400 | 600;
  italic?: boolean;
  failed?: boolean; // drawn in the danger colour: the allocator crashed, timed out, ...
  title?: string; // shown on hover
  children: ReactNode;
}

export function Label({ x, y, anchor = 'start', size = 'value', weight, italic, failed, title, children }: LabelProps): ReactNode {
  return (
    <text
      x={x}
      y={y}
      textAnchor={anchor}
      fontSize={TEXT[size]}
      fontWeight={weight}
      fontStyle={italic ? 'italic' : undefined}
      fill={failed ? 'var(--ifm-color-danger)' : INK.text}>
      {title && <title>{title}</title>}
      {children}
    </text>
  );
}

/** A row's name, right-aligned before the plot, centred on the row. */
export function RowLabel({ right, middle, children, weight }: { right: number; middle: number; children: ReactNode; weight?: 600 }) {
  return (
    <Label x={right - 8} y={middle + TEXT.label / 3} anchor="end" size="label" weight={weight}>
      {children}
    </Label>
  );
}

interface AxisProps {
  ticks: number[];
  x: (v: number) => number;
  top: number; // where the plot begins; the tick labels stand above it
  bottom: number;
  format: (t: number) => string;
  strong?: (t: number) => boolean; // a reference line, such as glibc's 1x
}

/** Vertical grid lines at the ticks, each labelled above the plot. */
export function ValueAxis({ ticks, x, top, bottom, format, strong }: AxisProps): ReactNode {
  return ticks.map((t) => (
    <g key={t}>
      <line x1={x(t)} x2={x(t)} y1={top - 6} y2={bottom} style={{ stroke: strong?.(t) ? INK.axis : INK.grid }} strokeWidth={strong?.(t) ? 1.5 : 1} />
      <Label x={x(t)} y={top - 10} anchor="middle" weight={strong?.(t) ? 600 : 400}>
        {format(t)}
      </Label>
    </g>
  ));
}

/** Bars grouped by workload, one per allocator: sizes in pixels. */
export const BARS = { bar: 14, gap: 3, groupGap: 16 } as const;

/** The height of a chart's groups of bars, below its top margin. */
export function barGroupsHeight(rows: number, allocators: number): number {
  return rows * (allocators * (BARS.bar + BARS.gap) - BARS.gap + BARS.groupGap) + 4;
}

interface BarGroupsProps {
  results: BenchResults;
  rows: WorkloadInfo[];
  shown: AllocatorInfo[];
  top: number;
  left: number; // where the plot begins: row labels stand to its left
  failedAt: number; // where "ours: timed out" is written instead of a bar
  /** The bar of a run that has a value, or null when it has none (then it is a failure). */
  bar: (w: WorkloadInfo, a: AllocatorInfo, r: Result, y: number, textY: number) => ReactNode | null;
  /** Drawn once per group, over its bars (a reference line, a note). */
  over?: (w: WorkloadInfo, y0: number, groupHeight: number) => ReactNode;
}

/** A group of bars per workload, one per allocator, a failure said in words where a bar would be. */
export function BarGroups({ results, rows, shown, top, left, failedAt, bar, over }: BarGroupsProps): ReactNode {
  const groupHeight = shown.length * (BARS.bar + BARS.gap) - BARS.gap;
  return rows.map((w, i) => {
    const y0 = top + i * (groupHeight + BARS.groupGap);
    return (
      <g key={w.id}>
        <RowLabel right={left} middle={y0 + groupHeight / 2}>
          {w.id}
        </RowLabel>
        {shown.map((a, j) => {
          const y = y0 + j * (BARS.bar + BARS.gap);
          const textY = y + BARS.bar / 2 + TEXT.value / 3;
          const r = cell(results, w.id, a.id);
          const drawn = r && !r.failure ? bar(w, a, r, y, textY) : null;
          return (
            <g key={a.id}>
              {drawn ?? (
                <Label x={failedAt} y={textY} failed>
                  {a.label}: {failureWord(r)}
                </Label>
              )}
            </g>
          );
        })}
        {over?.(w, y0, groupHeight)}
      </g>
    );
  });
}
