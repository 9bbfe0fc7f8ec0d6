// The journey: every chapter's library on every workload, as a grid of ratios
// to glibc. Green cells beat glibc, red ones lose to it; the deeper the colour,
// the bigger the gap. A cell that crashed, timed out or printed the wrong
// checksum says so instead of hiding.

import type { BenchResults } from '@site/bench/types';
import type { ReactNode } from 'react';
import { cell, FAILURE_WORD, fmtRatio, INK, journey, METRIC_NAME, type Metric, ratioOf } from './lib';
import styles from './styles.module.css';

interface Props {
  results: BenchResults;
  metric: Metric;
}

const LABEL = 130;
const COL = 70;
const ROW = 24;
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
  const geo = (id: string) => {
    const s = results.summary[id];
    const g = metric === 'wall' ? s?.geomeanWallVsGlibc : metric === 'cpu' ? s?.geomeanCpuVsGlibc : s?.geomeanRssVsGlibc;
    return { g: g ?? null, done: s?.completed ?? 0 };
  };

  return (
    <figure className={styles.figure}>
      <svg viewBox={`0 0 ${width} ${height}`} style={{ maxWidth: width }} role="img" aria-label={`${METRIC_NAME[metric]} of each chapter's library relative to glibc`}>
        {cols.map((a, j) => (
          <text key={a.id} x={LABEL + j * COL + COL / 2} y={TOP - 12} textAnchor="middle" fontSize={12} fontWeight={600} fill={INK.text}>
            <title>{a.id}</title>
            {a.kind === 'ours' ? 'final' : a.label}
          </text>
        ))}
        <text x={LABEL + cols.length * COL + COL / 2} y={TOP - 12} textAnchor="middle" fontSize={12} fill={INK.text}>
          best peer
        </text>
        {rows.map((w, i) => {
          const y = TOP + i * ROW;
          const bestPeer = Math.min(
            ...peers.map((p) => ratioOf(cell(results, w.id, p.id), metric) ?? Infinity),
          );
          return (
            <g key={w.id}>
              <text x={LABEL - 8} y={y + ROW / 2 + 4} textAnchor="end" fontSize={12} fill={INK.text}>
                {w.id}
              </text>
              {cols.map((a, j) => {
                const r = cell(results, w.id, a.id);
                const v = ratioOf(r, metric);
                const cx = LABEL + j * COL;
                return (
                  <g key={a.id}>
                    <title>
                      {v !== null
                        ? `${w.id} under ${a.id}: ${fmtRatio(v)} glibc`
                        : `${w.id} under ${a.id}: ${r?.failure ? `${r.failure.kind}: ${r.failure.detail}` : 'not run'}`}
                    </title>
                    <rect x={cx + 1} y={y + 1} width={COL - 2} height={ROW - 2} rx={2} style={{ fill: v !== null ? fill(v) : INK.faint }} />
                    <text x={cx + COL / 2} y={y + ROW / 2 + 4} textAnchor="middle" fontSize={v !== null ? 11 : 9} fill={v !== null ? INK.text : 'var(--ifm-color-danger)'}>
                      {v !== null ? fmtRatio(v) : r?.failure ? FAILURE_WORD[r.failure.kind] ?? 'failed' : '–'}
                    </text>
                  </g>
                );
              })}
              <text x={LABEL + cols.length * COL + COL / 2} y={y + ROW / 2 + 4} textAnchor="middle" fontSize={11} fill={INK.text}>
                {Number.isFinite(bestPeer) ? fmtRatio(bestPeer) : '–'}
              </text>
            </g>
          );
        })}
        <line x1={8} x2={width - 8} y1={TOP + rows.length * ROW + 2} y2={TOP + rows.length * ROW + 2} style={{ stroke: INK.axis }} />
        <text x={LABEL - 8} y={TOP + rows.length * ROW + ROW / 2 + 6} textAnchor="end" fontSize={12} fontWeight={600} fill={INK.text}>
          geometric mean
        </text>
        {cols.map((a, j) => {
          const { g, done } = geo(a.id);
          return (
            <text key={a.id} x={LABEL + j * COL + COL / 2} y={TOP + rows.length * ROW + ROW / 2 + 6} textAnchor="middle" fontSize={11} fontWeight={600} fill={INK.text}>
              <title>{`over the ${done} workloads ${a.id} completed`}</title>
              {g !== null ? fmtRatio(g) : '–'}
              {done < rows.length ? ` (${done})` : ''}
            </text>
          );
        })}
      </svg>
      <figcaption className={styles.caption}>
        {cols
          .filter((a) => a.kind === 'chapter')
          .map((a) => `${a.label}: ${a.id.replace(/^\d+-/, '').replace(/-/g, ' ')}`)
          .join('; ')}
        . Each chapter's library: {METRIC_NAME[metric]} relative to glibc's (green is better than glibc, red worse).
        "final" is <code>./libmalloc.so</code>; "best peer" the best of jemalloc, tcmalloc and mimalloc. A number in
        brackets after a geometric mean is how many workloads it covers, when the library did not complete them all.
      </figcaption>
    </figure>
  );
}
