// Renders every benchmark chart and table of the chapter to static HTML, the way
// the site build does on the server, from the results file named on the command
// line; prints the HTML. Run by charts.test.ts through tsx (vitest cannot compile
// the components' JSX with this repository's `jsx: preserve`).
//
// usage: tsx --require ./tests/bench/css-stub.cjs tests/bench/render-charts.tsx RESULTS.json

import { readFileSync } from 'node:fs';
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { BenchResults } from '../../bench/types.ts';
import {
  BenchMean,
  BenchNumber,
  JourneyChart,
  MemoryChart,
  RatioChart,
  ResultsTable,
  RunInfo,
  SummaryTable,
  WorkloadList,
} from '../../src/components/bench/index.ts';

// Hack. tsx compiles JSX the classic way (React.createElement) under this
// repository's `jsx: preserve`, while the components are written for the
// automatic runtime the site uses and never import React. A global React
// serves both; the components only call it when they render, below.
(globalThis as { React?: typeof React }).React = React;

const file = process.argv[2];
if (!file) throw new Error('usage: render-charts.tsx RESULTS.json');
const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;

const html = renderToStaticMarkup(
  <div>
    <RunInfo results={results} />
    <WorkloadList results={results} />
    <RatioChart results={results} metric="wall" />
    <RatioChart results={results} metric="cpu" />
    <RatioChart results={results} metric="rss" />
    <MemoryChart results={results} />
    <JourneyChart results={results} metric="wall" />
    <JourneyChart results={results} metric="rss" />
    <SummaryTable results={results} />
    <ResultsTable results={results} metric="wall" />
    <ResultsTable results={results} metric="rss" />
    <p>
      <BenchMean results={results} allocator="ours" metric="wall" />
      <BenchNumber results={results} workload="larson" allocator="ours" field="wallVsGlibc" />
    </p>
  </div>,
);
process.stdout.write(html + '\n');
