// The journey: every chapter's library on every workload, as a grid of ratios
// to glibc. Green cells beat glibc, red ones lose to it; the deeper the colour,
// the bigger the gap. A cell that crashed, timed out or printed the wrong
// checksum says so instead of hiding.

import type { AllocatorInfo, BenchResults } from '@site/bench/types';
import type { ReactNode } from 'react';
import { ChartFrame, Label, RowLabel, TEXT } from './Chart';
import { cell, failureWord, fmtRatio, INK, journey, METRIC_NAME, type Metric, ratioOf } from './lib';
import styles from './styles.module.css';

interface Props {
  results: BenchResults;
  metric: Metric;
}

const LABEL = 150;
const COL = 92;
const ROW = 26;
const TOP = 34;

function fill(r: number): string {
  // log2(r) of +-3 (8x) or more is full strength.
  const t = Math.max(-1, Math.min(1, Math.log2(r) / 3));
  const alpha = 0.12 + 0.55 * Math.abs(t);
  return t < 0 ? `rgba(47, 158, 68, ${alpha})` : `rgba(224, 49, 49, ${alpha})`;
}

export default function JourneyChart({ results, metric }: Props): ReactNode {
  const cols = journey(results);
  if (cols.length === 0)
    return (
      <p className={styles.caption}>
        (This run measured no chapter libraries: run <code>make chapters</code> before <code>make bench</code>.)
      </p>
    );
  const peers = results.allocators.filter((a) => a.kind === 'peer');
  const width = LABEL + (cols.length + 1) * COL + 8;
  const rows = results.workloads;
  const height = TOP + (rows.length + 1) * ROW + 8;
  const centre = (j: number) => LABEL + j * COL + COL / 2;
  const baseline = (y: number) => y + ROW / 2 + TEXT.value / 3;
  const meanY = TOP + rows.length * ROW + 4;
  const geo = (id: string) => {
    const s = results.summary[id];
    const g = metric === 'wall' ? s?.geomeanWallVsGlibc : metric === 'cpu' ? s?.geomeanCpuVsGlibc : s?.geomeanRssVsGlibc;
    return { g: g ?? null, done: s?.completed ?? 0 };
  };
  const caption = (
    <>
      {cols
        .filter((a) => a.kind === 'chapter')
        .map((a) => `${a.label}: ${a.id.replace(/^\d+-/, '').replace(/-/g, ' ')}`)
        .join('; ')}
      . Each chapter's library: {METRIC_NAME[metric]} relative to glibc's (green is better than glibc, red worse).
      "final" is <code>./libmalloc.so</code>; "best peer" the best of jemalloc, tcmalloc and mimalloc. A number in
      brackets after a geometric mean is how many workloads it covers, when the library did not complete them all.
    </>
  );

  return (
    <ChartFrame width={width} height={height} label={`${METRIC_NAME[metric]} of each chapter's library relative to glibc`} caption={caption}>
      {cols.map((a, j) => (
        <Label key={a.id} x={centre(j)} y={TOP - 12} anchor="middle" size="label" weight={600} title={a.id}>
          {a.kind === 'ours' ? 'final' : a.label}
        </Label>
      ))}
      <Label x={centre(cols.length)} y={TOP - 12} anchor="middle" size="label">
        best peer
      </Label>
      {rows.map((w, i) => {
        const y = TOP + i * ROW;
        const bestPeer = Math.min(...peers.map((p) => ratioOf(cell(results, w.id, p.id), metric) ?? Infinity));
        const square = (a: AllocatorInfo, j: number) => {
          const r = cell(results, w.id, a.id);
          const v = ratioOf(r, metric);
          const why = r?.failure ? `${r.failure.kind}: ${r.failure.detail}` : 'not run';
          return (
            <g key={a.id}>
              <title>{`${w.id} under ${a.id}: ${v !== null ? `${fmtRatio(v)} glibc` : why}`}</title>
              <rect x={LABEL + j * COL + 1} y={y + 1} width={COL - 2} height={ROW - 2} rx={2} style={{ fill: v !== null ? fill(v) : INK.faint }} />
              <Label x={centre(j)} y={baseline(y)} anchor="middle" failed={v === null}>
                {v !== null ? fmtRatio(v) : failureWord(r, '–')}
              </Label>
            </g>
          );
        };
        return (
          <g key={w.id}>
            <RowLabel right={LABEL} middle={y + ROW / 2}>
              {w.id}
            </RowLabel>
            {cols.map(square)}
            <Label x={centre(cols.length)} y={baseline(y)} anchor="middle">
              {Number.isFinite(bestPeer) ? fmtRatio(bestPeer) : '–'}
            </Label>
          </g>
        );
      })}
      <line x1={8} x2={width - 8} y1={meanY - 2} y2={meanY - 2} style={{ stroke: INK.axis }} />
      <RowLabel right={LABEL} middle={meanY + ROW / 2} weight={600}>
        geometric mean
      </RowLabel>
      {cols.map((a, j) => {
        const { g, done } = geo(a.id);
        return (
          <Label key={a.id} x={centre(j)} y={baseline(meanY)} anchor="middle" weight={600} title={`over the ${done} workloads ${a.id} completed`}>
            {g !== null ? fmtRatio(g) : '–'}
            {done < rows.length ? ` (${done})` : ''}
          </Label>
        );
      })}
    </ChartFrame>
  );
}
