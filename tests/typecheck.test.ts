// All TypeScript here is strict; a type error anywhere fails the suite, not just the editor.

import { execa } from 'execa';
import { expect, it } from 'vitest';
import { ROOT } from './harness.ts';

it('should type-check the tangler, the site, the tests and the benchmarks in strict mode', async () => {
  const result = await execa('npx', ['tsc', '--noEmit', '-p', '.'], { cwd: ROOT, reject: false, all: true });
  expect(result.all).toBe('');
  expect(result.exitCode).toBe(0);
});
