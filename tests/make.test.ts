// The seed's commands, run as a reader would run them, in a copy of the repository.

import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './harness.ts';
import { proofEnv, proofProblems } from './proof.ts';

let work = '';

/** A copy of what git would check out (tracked and new files), sharing node_modules. */
async function copyRepository(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'obb-make-'));
  const { stdout } = await execa('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT });
  for (const file of stdout.split('\n').filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file), { preserveTimestamps: true });
  }
  // The shared node_modules must look current, or make would run `npm ci` through the link.
  utimesSync(join(dir, 'package-lock.json'), 0, 0);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function make(...args: string[]) {
  return execa('make', args, { cwd: work, reject: false, all: true });
}

/** What make builds or writes, with its modification time in nanoseconds. */
function builtFiles(): Map<string, bigint> {
  const files = ['libmalloc.so', 'test1', 'out/tangle.stamp', ...readdirSync(join(work, 'code/src')).map((f) => `code/src/${f}`)];
  return new Map(files.map((f) => [f, statSync(join(work, f), { bigint: true }).mtimeNs]));
}

function firstChapterWithCode(): { path: string; text: string } {
  const code = readFileSync(join(work, 'code/src/api.c'), 'utf8');
  const origin = /#line \d+ "(docs\/[^"]+)"/.exec(code)?.[1];
  if (!origin) throw new Error('code/src/api.c has no #line pointing into a chapter');
  const path = join(work, origin);
  return { path, text: readFileSync(path, 'utf8') };
}

describe('make', () => {
  beforeAll(async () => {
    work = await copyRepository();
  });

  it('should build ./libmalloc.so and ./test1, which passes under LD_PRELOAD', async () => {
    const result = await make();
    expect(result.exitCode, result.all).toBe(0);
    const proof = mkdtempSync(join(tmpdir(), 'obb-proof-'));
    const env = { LD_PRELOAD: './libmalloc.so', ...proofEnv(proof) };
    const run = await execa('./test1', [], { cwd: work, env, reject: false });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('test1: malloc, calloc, realloc and free work');
    expect(run.stderr).toBe('');
    expect(proofProblems(proof, run.stderr, './libmalloc.so', work)).toEqual([]);
  });

  it('should rebuild nothing when nothing changed', async () => {
    const before = builtFiles();
    const result = await make();
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).not.toMatch(/\bgcc\b|tsx/);
    expect(builtFiles()).toEqual(before);
  });

  it('should fail on a misspelt reference with its place and leave code/ untouched', async () => {
    const chapter = firstChapterWithCode();
    const reference = /^[ \t]*<<([^<>"]+)>>[ \t]*$/m.exec(chapter.text);
    expect(reference).not.toBeNull();
    const before = readFileSync(join(work, 'code/src/api.c'), 'utf8');
    const misspelt = chapter.text.replace(reference![0], reference![0].replace('<<', '<<misspelt '));
    writeFileSync(chapter.path, misspelt);
    const failed = await make();
    expect(failed.exitCode).not.toBe(0);
    expect(failed.all).toMatch(/docs\/\d\d-[a-z0-9-]+\.mdx?:\d+:\d+: error: reference to undefined chunk "misspelt /);
    expect(readFileSync(join(work, 'code/src/api.c'), 'utf8')).toBe(before);
    writeFileSync(chapter.path, chapter.text);
    const fixed = await make();
    expect(fixed.exitCode, fixed.all).toBe(0);
  });

  it('should build from the committed code/ with gcc and make alone when Node is absent', async () => {
    expect((await make('clean')).exitCode).toBe(0);
    const result = await make('NODE=');
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain('node not found');
    expect(result.all).not.toContain('tsx');
    expect(existsSync(join(work, 'libmalloc.so'))).toBe(true);
  });

  it('should remove what it built and no source on make clean', async () => {
    expect((await make('rebuild')).exitCode).toBe(0);
    expect((await make('clean')).exitCode).toBe(0);
    for (const built of ['libmalloc.so', 'test1', 'out']) expect(existsSync(join(work, built)), built).toBe(false);
    for (const source of ['code/src/api.c', 'Makefile', 'tests/scenarios/test1.c']) expect(existsSync(join(work, source)), source).toBe(true);
  });
});
