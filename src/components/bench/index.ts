// The benchmark chapter's components: charts and tables drawn from bench/results/*.json.
export { default as RatioChart } from './RatioChart';
export { default as JourneyChart } from './JourneyChart';
export { default as MemoryChart } from './MemoryChart';
export { default as Legend } from './Legend';
export { BenchMean, BenchNumber, ResultsTable, RunInfo, SummaryTable, WorkloadList } from './Tables';
