// The chapter tests claim that our library served every run. That claim must be able to
// fail: a library that exports nothing (built with -fvisibility=hidden, so every call
// goes to glibc's malloc) and a library that does not exist (the dynamic linker says so
// and runs the program on glibc) pass the scenarios themselves, and must be caught.

import { execa } from 'execa';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileScenario, readHeader, ROOT, runIn, tangleSnapshots,
} from './harness.ts';
import { buildLibrary, buildSnapshot, describeFailure, snapshotFolder } from '../tangle/snapshot.ts';

const chapter = tangleSnapshots().find((c) => c.id === 'pages-from-the-kernel')!;
const scenario = readHeader(join(ROOT, 'tests/scenarios/test1.c'));
const program = readHeader(join(ROOT, 'tests/programs/ls_usr_bin.sh'));

let ours = '';
let hidden = '';
let scenarioBinary = '';

describe('the proof that our malloc ran', () => {
  beforeAll(async () => {
    const built = await buildSnapshot(ROOT, chapter);
    if (!built.ok) throw new Error(describeFailure(chapter, built));
    ours = built.library;
    const options = { output: 'out/proof/libhidden.so', extraFlags: ['-fvisibility=hidden'] };
    hidden = (await buildLibrary(ROOT, snapshotFolder(chapter), options)).library;
    scenarioBinary = await compileScenario(scenario);
  });

  it('should prove a scenario and a real program ours on the chapter\'s library', async () => {
    for (const run of [
      await runIn(scenarioBinary, [], { library: ours, timeout: scenario.timeout }),
      await runIn('bash', [program.path], { library: ours, timeout: program.timeout }),
    ]) {
      expect(run.exitCode).toBe(0);
      expect(run.proof).toEqual([]);
    }
  });

  it('should not prove ours a run on a library that exports nothing, though the run passes', async () => {
    const { stdout } = await execa('nm', ['-D', '--defined-only', hidden]);
    expect(stdout).not.toMatch(/\bmalloc\b/);
    for (const run of [
      await runIn(scenarioBinary, [], { library: hidden, timeout: scenario.timeout }),
      await runIn('bash', [program.path], { library: hidden, timeout: program.timeout }),
    ]) {
      expect(run.exitCode).toBe(0);
      expect(run.proof.join('\n')).toMatch(/bound `malloc' to .*libc\.so\.6, not to the library|no process bound malloc/);
    }
  });

  it('should not prove ours a run whose library the dynamic linker could not load', async () => {
    const missing = join(ROOT, 'out/proof/no-such-library.so');
    for (const run of [
      await runIn(scenarioBinary, [], { library: missing, timeout: scenario.timeout }),
      await runIn('bash', [program.path], { library: missing, timeout: program.timeout }),
    ]) {
      expect(run.exitCode).toBe(0);
      expect(run.proof.join('\n')).toContain('the dynamic linker did not preload the library');
      expect(run.proof.join('\n')).toContain('loaded');
    }
  });
});
