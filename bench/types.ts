// The shape of bench/results/*.json: written by bench/run.ts, read by the chart
// components in src/components/bench/. The type is checked at compile time only; a file
// on disk is checked by validateResults() below, which tests/bench/ runs on what the
// runner writes and on the committed results.

/** Bump when a field changes meaning (validateResults() rejects another version). */
export const RESULTS_SCHEMA = 1;

export type AllocatorKind = 'glibc' | 'ours' | 'chapter' | 'peer';

export interface AllocatorInfo {
  /** 'glibc', 'ours', 'jemalloc', 'tcmalloc', 'mimalloc', or a chapter's folder name such as '03-buddies'. */
  id: string;
  /** What the charts print. */
  label: string;
  kind: AllocatorKind;
  /** The library preloaded, relative to the repository when inside it; null for glibc. */
  path: string | null;
  /** Debian package and its version, for the peers. */
  package?: string;
  version?: string;
  /** Chapter number (2..10) for chapter libraries, so the journey chart can order them. */
  chapter?: number;
}

export type WorkloadKind = 'synthetic' | 'program';

export interface WorkloadInfo {
  id: string;
  title: string;
  kind: WorkloadKind;
  /** One sentence: what the workload makes an allocator do. */
  stresses: string;
  /** Threads the workload runs at once (1 for single-threaded programs). */
  threads: number;
  /** The command line, with paths relative to the repository. */
  command: string;
  /**
   * Peak bytes the program had asked for and not yet freed, counted by the
   * workload itself in one extra untimed run; null for real programs, which do
   * not count.
   */
  requestedPeakBytes: number | null;
}

/** One measured run. */
export interface Run {
  wallMs: number;
  cpuMs: number;
  maxRssKiB: number;
  /** Voluntary context switches (absent in results written before the runner counted them). */
  voluntarySwitches?: number;
}

export type FailureKind = 'crash' | 'exit' | 'timeout' | 'memory' | 'checksum' | 'missing';

export interface Failure {
  kind: FailureKind;
  /** What happened, for a human: the signal, the exit status, the last stderr line. */
  detail: string;
}

export interface Result {
  /** Runs that completed with the right checksum. */
  runs: Run[];
  /** Set when the allocator failed this workload; later iterations were skipped. */
  failure: Failure | null;
  checksum: string | null;
  /** Medians over `runs`; null when there are none. */
  medianWallMs: number | null;
  medianCpuMs: number | null;
  /** Median of the runs' peak resident set sizes. */
  peakRssKiB: number | null;
  /** Median voluntary context switches; null when the runs did not count them. */
  medianVoluntarySwitches?: number | null;
  /** Ratios of the medians to glibc's (below 1 is better than glibc). */
  wallVsGlibc: number | null;
  cpuVsGlibc: number | null;
  rssVsGlibc: number | null;
  /** Ratios to the best of jemalloc, tcmalloc and mimalloc on this workload. */
  wallVsBestPeer: number | null;
  rssVsBestPeer: number | null;
}

export interface Summary {
  /** Geometric means, over the workloads this allocator completed, of its ratios to glibc. */
  geomeanWallVsGlibc: number | null;
  geomeanCpuVsGlibc: number | null;
  geomeanRssVsGlibc: number | null;
  completed: number;
  failed: number;
}

export interface BenchResults {
  schema: typeof RESULTS_SCHEMA;
  /** When the run began: ISO 8601, UTC. */
  date: string;
  quick: boolean;
  iterations: number;
  /** The command that produced the file. */
  command: string;
  machine: {
    cpu: string;
    cores: number;
    kernel: string;
    memTotalMiB: number;
    /** 1-minute load average when the run started: a busy machine makes noisy numbers. */
    loadAverage: number;
  };
  versions: {
    gcc: string;
    glibc: string;
    node: string;
    python: string;
    sqlite: string;
    /** Debian package name to version, for the peers. */
    peers: Record<string, string>;
  };
  allocators: AllocatorInfo[];
  workloads: WorkloadInfo[];
  /** results[workload id][allocator id] */
  results: Record<string, Record<string, Result>>;
  /** summary[allocator id] */
  summary: Record<string, Summary>;
}

// ---------------------------------------------------------------------------
// A runtime check of the same shape, for JSON that did not come through the
// type checker (a committed file, a file from an older runner).

type Issue = string;

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
function isNumOrNull(v: unknown): boolean {
  return v === null || isNum(v);
}
function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkResult(where: string, r: unknown, issues: Issue[]): void {
  if (!isObj(r)) {
    issues.push(`${where}: not an object`);
    return;
  }
  if (!Array.isArray(r.runs)) issues.push(`${where}.runs: not an array`);
  else
    r.runs.forEach((run: unknown, i) => {
      if (!isObj(run) || !isNum(run.wallMs) || !isNum(run.cpuMs) || !isNum(run.maxRssKiB))
        issues.push(`${where}.runs[${i}]: needs wallMs, cpuMs, maxRssKiB`);
    });
  if (r.failure !== null) {
    const f = r.failure;
    if (!isObj(f) || typeof f.kind !== 'string' || typeof f.detail !== 'string')
      issues.push(`${where}.failure: needs kind and detail`);
  }
  if (r.checksum !== null && typeof r.checksum !== 'string') issues.push(`${where}.checksum: not a string`);
  for (const k of [
    'medianWallMs',
    'medianCpuMs',
    'peakRssKiB',
    'wallVsGlibc',
    'cpuVsGlibc',
    'rssVsGlibc',
    'wallVsBestPeer',
    'rssVsBestPeer',
  ]) {
    if (!isNumOrNull(r[k])) issues.push(`${where}.${k}: not a number or null`);
  }
  if (r.failure === null && (!Array.isArray(r.runs) || r.runs.length === 0))
    issues.push(`${where}: no runs and no failure`);
}

/** Every way `data` differs from BenchResults; empty when it conforms. */
export function validateResults(data: unknown): Issue[] {
  const issues: Issue[] = [];
  if (!isObj(data)) return ['not an object'];
  if (data.schema !== RESULTS_SCHEMA) issues.push(`schema: expected ${RESULTS_SCHEMA}`);
  if (typeof data.date !== 'string' || Number.isNaN(Date.parse(data.date))) issues.push('date: not an ISO date');
  if (typeof data.quick !== 'boolean') issues.push('quick: not a boolean');
  if (!isNum(data.iterations)) issues.push('iterations: not a number');
  if (typeof data.command !== 'string') issues.push('command: not a string');
  const m = data.machine;
  if (!isObj(m) || typeof m.cpu !== 'string' || !isNum(m.cores) || typeof m.kernel !== 'string')
    issues.push('machine: needs cpu, cores, kernel');
  const v = data.versions;
  if (!isObj(v) || typeof v.gcc !== 'string' || typeof v.glibc !== 'string' || !isObj(v.peers))
    issues.push('versions: needs gcc, glibc, peers');
  const allocators = Array.isArray(data.allocators) ? data.allocators : [];
  if (!Array.isArray(data.allocators)) issues.push('allocators: not an array');
  const ids = new Set<string>();
  allocators.forEach((a: unknown, i) => {
    if (!isObj(a) || typeof a.id !== 'string' || typeof a.label !== 'string') {
      issues.push(`allocators[${i}]: needs id and label`);
      return;
    }
    if (!['glibc', 'ours', 'chapter', 'peer'].includes(String(a.kind))) issues.push(`allocators[${i}].kind: unknown`);
    if (a.kind === 'chapter' && !isNum(a.chapter)) issues.push(`allocators[${i}].chapter: missing`);
    ids.add(a.id);
  });
  if (!ids.has('glibc')) issues.push('allocators: glibc is missing (every ratio is to glibc)');
  const workloads = Array.isArray(data.workloads) ? data.workloads : [];
  if (!Array.isArray(data.workloads)) issues.push('workloads: not an array');
  const results = isObj(data.results) ? data.results : {};
  if (!isObj(data.results)) issues.push('results: not an object');
  workloads.forEach((w: unknown, i) => {
    if (!isObj(w) || typeof w.id !== 'string' || typeof w.title !== 'string' || typeof w.stresses !== 'string') {
      issues.push(`workloads[${i}]: needs id, title, stresses`);
      return;
    }
    if (w.kind !== 'synthetic' && w.kind !== 'program') issues.push(`workloads[${i}].kind: unknown`);
    if (!isNumOrNull(w.requestedPeakBytes)) issues.push(`workloads[${i}].requestedPeakBytes: not a number or null`);
    const row = results[w.id];
    if (!isObj(row)) {
      issues.push(`results.${w.id}: missing`);
      return;
    }
    for (const id of ids) {
      if (!(id in row)) issues.push(`results.${w.id}.${id}: missing`);
      else checkResult(`results.${w.id}.${id}`, row[id], issues);
    }
  });
  const summary = isObj(data.summary) ? data.summary : {};
  if (!isObj(data.summary)) issues.push('summary: not an object');
  for (const id of ids) {
    const s = summary[id];
    if (!isObj(s) || !isNum(s.completed) || !isNum(s.failed) || !isNumOrNull(s.geomeanWallVsGlibc))
      issues.push(`summary.${id}: needs completed, failed, geomeanWallVsGlibc`);
  }
  return issues;
}
