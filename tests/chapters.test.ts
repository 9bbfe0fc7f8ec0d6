// Every chapter's snapshot compiles with -Werror, exports only the malloc API, and runs
// every scenario and real program promised by it or by an earlier chapter under LD_PRELOAD.
// OBB_CHAPTER=04 (make chapter CH=04) runs one chapter's tests only.

import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Chapter } from '../tangle/index.ts';
import { buildSnapshot, describeFailure, findChapter, librarySources, libraryText, sameLibrary, snapshotFolder } from '../tangle/snapshot.ts';
import {
  compileScenario, describeRun, exportedNames, listPromised,
  MALLOC_API, REQUIRED_API, ROOT, runIn, tangleSnapshots, type Promised, type Run,
} from './harness.ts';

const chapters: Chapter[] = tangleSnapshots();
const scenarios = listPromised('tests/scenarios', '.c');
const programs = listPromised('tests/programs', '.sh');
const order = new Map(chapters.map((c, i) => [c.id, i]));

function promisedBy(list: Promised[], chapterIndex: number): Promised[] {
  return list.filter((p) => (order.get(p.since) ?? Infinity) <= chapterIndex);
}

const sourceText = (chapter: Chapter): string => libraryText(ROOT, snapshotFolder(chapter));
const cSources = (chapter: Chapter): string[] => librarySources(ROOT, snapshotFolder(chapter));

// make chapter CH=04: one chapter only (the book-wide checks still run).
const only = process.env.OBB_CHAPTER ? findChapter(chapters, process.env.OBB_CHAPTER) : undefined;
if (process.env.OBB_CHAPTER && !only) {
  throw new Error(`OBB_CHAPTER=${process.env.OBB_CHAPTER} names no chapter: ${chapters.map((c) => c.slug).join(', ')}`);
}

// A chapter that adds no C (the benchmarks, say) has the same library as the chapter
// before it; what that library passed there it passes here, so only its own promises run.
const firstWithSameCode = chapters.map((chapter, index) =>
  chapters.findIndex((other, j) => j <= index && sameLibrary(ROOT, snapshotFolder(other), snapshotFolder(chapter))),
);

function toRun(list: Promised[], index: number, alone = false): Promised[] {
  const alreadyRun = !alone && firstWithSameCode[index]! < index ? firstWithSameCode[index]! : -1;
  return promisedBy(list, index).filter((p) => order.get(p.since)! > alreadyRun);
}

const binaries = new Map<string, Promise<string>>();
function scenarioBinary(scenario: Promised): Promise<string> {
  let binary = binaries.get(scenario.name);
  if (!binary) binaries.set(scenario.name, (binary = compileScenario(scenario)));
  return binary;
}

// Each real program runs once without our library; every chapter's run must match it.
const baselines = new Map<string, Promise<Run>>();
function baseline(program: Promised): Promise<Run> {
  let run = baselines.get(program.name);
  if (!run) baselines.set(program.name, (run = runIn('bash', [program.path], { timeout: program.timeout })));
  return run;
}

describe('the book', () => {
  it('should have code/ equal to the last chapter tangled', async () => {
    const result = await execa('npx', ['tsx', 'tangle/cli.ts', 'check'], { cwd: ROOT, reject: false, all: true });
    expect(result.all).toContain('is current');
    expect(result.exitCode).toBe(0);
  });

  it.each([...scenarios, ...programs])('should have $name promised by a chapter of the book', (promised) => {
    expect(order.has(promised.since), `${promised.name}: "since: ${promised.since}" names no chapter`).toBe(true);
  });

  // The gating must not drop a promise: from its chapter on, every chapter runs it, or
  // has the very library of an earlier chapter that ran it.
  it.each([...scenarios, ...programs])('should run $name on its own chapter and every later one', (promised) => {
    const list = promised.name.endsWith('.c') ? scenarios : programs;
    const from = order.get(promised.since)!;
    const runs = (i: number) => toRun(list, i).includes(promised);
    const covered = chapters.map((c, i) => runs(i) || (firstWithSameCode[i]! < i && runs(firstWithSameCode[i]!)));
    expect(covered.map((yes, i) => (yes ? chapters[i]!.slug : ''))).toEqual(chapters.map((c, i) => (i >= from ? c.slug : '')));
    expect(chapters.slice(from).filter((c) => cSources(c).length === 0).map((c) => c.slug)).toEqual([]);
  });
});

/** The malloc-API functions a scenario's program takes from whichever library defines them. */
async function calledApi(scenario: Promised): Promise<string[]> {
  const { stdout } = await execa('nm', ['-D', '--undefined-only', await scenarioBinary(scenario)]);
  const names = stdout.split('\n').map((line) => line.trim().split(/\s+/).at(-1)?.replace(/@.*/, '') ?? '');
  return names.filter((name) => MALLOC_API.has(name));
}

chapters.forEach((chapter, index) => {
  if (only && chapter !== only) return;
  describe(chapter.slug, () => {
    if (cSources(chapter).length === 0) {
      it('should promise nothing before the book has a library', () => {
        expect(promisedBy([...scenarios, ...programs], index).map((p) => p.name)).toEqual([]);
      });
      return;
    }

    let library = '';
    beforeAll(async () => {
      const built = await buildSnapshot(ROOT, chapter);
      if (!built.ok) throw new Error(describeFailure(chapter, built));
      library = built.library;
    });

    it('should export nothing but the malloc API', async () => {
      const extra = (await exportedNames(library)).filter((name) => !MALLOC_API.has(name));
      expect(extra).toEqual([]);
    });

    it('should export every function of glibc\'s malloc family', async () => {
      const exported = new Set(await exportedNames(library));
      expect(REQUIRED_API.filter((name) => !exported.has(name))).toEqual([]);
    });

    // A scenario promised from here must call nothing this library leaves to glibc.
    it.each(scenarios.filter((s) => s.since === chapter.id))('should export every malloc function $name calls', async (scenario) => {
      const exported = new Set(await exportedNames(library));
      expect((await calledApi(scenario)).filter((name) => !exported.has(name))).toEqual([]);
    });

    if (firstWithSameCode[index]! < index) {
      it(`should have the library of ${chapters[firstWithSameCode[index]!]!.slug}, tested there`, () => {
        expect(sourceText(chapter)).toBe(sourceText(chapters[firstWithSameCode[index]!]!));
      });
    }

    it.concurrent.each(toRun(scenarios, index, only !== undefined))('should pass scenario $name', async (scenario) => {
      const run = await runIn(await scenarioBinary(scenario), [], { library, timeout: scenario.timeout });
      expect(run.exitCode === 0 && !run.timedOut, describeRun(run)).toBe(true);
      expect(run.proof, describeRun(run)).toEqual([]);
    });

    it.concurrent.each(toRun(programs, index, only !== undefined))('should run $name as it runs without the library', async (program) => {
      const plain = await baseline(program);
      expect(plain.exitCode, `without the library: ${describeRun(plain)}`).toBe(0);
      const ours = await runIn('bash', [program.path], { library, timeout: program.timeout });
      expect(ours.exitCode, describeRun(ours)).toBe(plain.exitCode);
      expect(ours.proof, describeRun(ours)).toEqual([]);
      expect(ours.stdout === plain.stdout, `stdout differs\n${describeRun(ours)}`).toBe(true);
      expect(ours.stderr, `stderr differs\n${describeRun(ours)}`).toBe(plain.stderr);
    });
  });
});
