// Tables and inline numbers from the same JSON as the charts, so the prose can
// quote figures that change when the benchmark is run again.

import type { BenchResults, Result } from '@site/bench/types';
import type { ReactNode } from 'react';
import { cell, FAILURE_WORD, failureWord, fmtBytes, fmtMs, fmtRatio, type Metric, metricTitle, absoluteOf, ratioOf, spreadOf } from './lib';
import styles from './styles.module.css';

/** Where and when the numbers were measured. */
export function RunInfo({ results }: { results: BenchResults }): ReactNode {
  const m = results.machine;
  const v = results.versions;
  const date = results.date.slice(0, 16).replace('T', ' ');
  return (
    <ul className={styles.table}>
      <li>
        Run on {date} UTC, {results.quick ? <strong>quick sizes</strong> : 'full sizes'}, {results.iterations} interleaved
        runs per pair: <code>{results.command}</code>
      </li>
      <li>
        {m.cpu}, {m.cores} cores, {fmtBytes(m.memTotalMiB * 2 ** 20)}, {m.kernel}; load average {m.loadAverage} when
        the run began
      </li>
      <li>
        {v.gcc}; {v.glibc}; {v.python}; SQLite {v.sqlite};{' '}
        {Object.entries(v.peers)
          .map(([p, ver]) => `${p} ${ver}`)
          .join(', ')}
      </li>
    </ul>
  );
}

function geomean(xs: number[]): number | null {
  return xs.length ? Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length) : null;
}

/** One row per allocator: geometric means of its ratios, and how many workloads it completed. */
export function SummaryTable({ results }: { results: BenchResults }): ReactNode {
  const n = results.workloads.length;
  const cellOf = (r: number | null) => (r === null ? '–' : fmtRatio(r));
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th>allocator</th>
          <th className={styles.num}>time vs glibc</th>
          <th className={styles.num}>CPU vs glibc</th>
          <th className={styles.num}>memory vs glibc</th>
          <th className={styles.num}>time vs best peer</th>
          <th className={styles.num}>completed</th>
        </tr>
      </thead>
      <tbody>
        {results.allocators.map((a) => {
          const s = results.summary[a.id];
          const vsBest = geomean(
            results.workloads
              .map((w) => cell(results, w.id, a.id))
              .filter((r): r is Result => !!r && !r.failure && r.wallVsBestPeer !== null)
              .map((r) => r.wallVsBestPeer as number),
          );
          return (
            <tr key={a.id}>
              <td>
                {a.label}
                {a.kind === 'chapter' ? <small> ({a.id})</small> : null}
              </td>
              <td className={styles.num}>{cellOf(s?.geomeanWallVsGlibc ?? null)}</td>
              <td className={styles.num}>{cellOf(s?.geomeanCpuVsGlibc ?? null)}</td>
              <td className={styles.num}>{cellOf(s?.geomeanRssVsGlibc ?? null)}</td>
              <td className={styles.num}>{cellOf(vsBest)}</td>
              <td className={`${styles.num} ${s && s.failed ? styles.fail : ''}`}>
                {s?.completed ?? 0}/{n}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function absolute(r: Result | undefined, metric: Metric): string {
  const v = absoluteOf(r, metric);
  if (v === null) return failureWord(r, '–');
  return metric === 'rss' ? fmtBytes(v * 1024) : fmtMs(v);
}

/** The spread of a cell's runs, "±7 %", under its median. */
function Spread({ r, metric }: { r: Result | undefined; metric: Metric }): ReactNode {
  const s = spreadOf(r, metric);
  if (s === null) return null;
  return (
    <small className={styles.spread} title="half the distance from the lowest run to the highest, over the median">
      <br />±{(s * 100).toFixed(s < 0.1 ? 1 : 0)}{'\u00a0'}%
    </small>
  );
}

/**
 * Every workload against the allocators: absolute medians with the ratio to glibc. A big
 * table, folded: the charts above say the same, and the reader opens it for the numbers.
 */
export function ResultsTable({ results, metric, allocators }: { results: BenchResults; metric: Metric; allocators?: string[] }): ReactNode {
  const cols = allocators ? results.allocators.filter((a) => allocators.includes(a.id)) : results.allocators;
  return (
    <details className={styles.fold}>
      <summary>
        {metricTitle(metric)}: {results.workloads.length} workloads under{' '}
        {cols.length} allocators, as a table (each median with its ratio to glibc's and the spread of its runs)
      </summary>
      <div className={styles.scroll}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th>workload</th>
              {cols.map((a) => (
                <th key={a.id} className={styles.num} title={a.id}>
                  {a.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {results.workloads.map((w) => (
              <tr key={w.id}>
                <td title={w.title}>{w.id}</td>
                {cols.map((a) => {
                  const r = cell(results, w.id, a.id);
                  const ratio = a.id === 'glibc' ? null : ratioOf(r, metric);
                  return (
                    <td key={a.id} className={`${styles.num} ${r?.failure ? styles.fail : ''}`} title={r?.failure?.detail}>
                      {absolute(r, metric)}
                      {ratio !== null ? <small> {fmtRatio(ratio)}</small> : null}
                      <Spread r={r} metric={metric} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** What each workload stresses, with its command line. */
export function WorkloadList({ results }: { results: BenchResults }): ReactNode {
  return (
    <dl>
      {results.workloads.map((w) => (
        <div key={w.id}>
          <dt>
            <code>{w.id}</code>: {w.title}
            {w.threads > 1 ? `, ${w.threads} threads` : ''}
          </dt>
          <dd>
            {w.stresses}
            {w.requestedPeakBytes ? ` At most ${fmtBytes(w.requestedPeakBytes)} live at once.` : ''}
            <br />
            <small>
              <code>{w.command}</code>
            </small>
          </dd>
        </div>
      ))}
    </dl>
  );
}

type Field = 'wall' | 'cpu' | 'rss' | 'wallVsGlibc' | 'cpuVsGlibc' | 'rssVsGlibc' | 'wallVsBestPeer' | 'rssVsBestPeer';

/** One figure, inline: <BenchNumber results={results} workload="larson" allocator="ours" field="wallVsGlibc" />. */
export function BenchNumber({
  results,
  workload,
  allocator,
  field,
}: {
  results: BenchResults;
  workload: string;
  allocator: string;
  field: Field;
}): ReactNode {
  const r = cell(results, workload, allocator);
  if (!r) return <span className={styles.fail}>(not measured)</span>;
  if (r.failure) return <span className={styles.fail}>({FAILURE_WORD[r.failure.kind] ?? 'failed'})</span>;
  if (field === 'wall' || field === 'cpu' || field === 'rss') return <>{absolute(r, field)}</>;
  const v = r[field];
  return <>{v === null ? '–' : fmtRatio(v)}</>;
}

/** A summary figure, inline: the geometric mean of an allocator's ratios to glibc. */
export function BenchMean({ results, allocator, metric }: { results: BenchResults; allocator: string; metric: Metric }): ReactNode {
  const s = results.summary[allocator];
  const g = metric === 'wall' ? s?.geomeanWallVsGlibc : metric === 'cpu' ? s?.geomeanCpuVsGlibc : s?.geomeanRssVsGlibc;
  return <>{g === null || g === undefined ? '–' : fmtRatio(g)}</>;
}
