// The fuzzer (tests/fuzz/*.c) against every chapter's library: random calls of the malloc
// API the library exports, from several threads, checked against a shadow record of the live
// blocks; then its misuse mode, where every free, realloc or malloc_usable_size of a bad
// pointer must end a child with the allocator's report. Last, bugs of issue 12 put back
// into fixed code must make it fail.

import { execa } from 'execa';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBook, syncTree } from '../../tangle/files.ts';
import { formatDiagnostic, tangle, type Chapter, type Files } from '../../tangle/index.ts';
import { describeRun, exportedNames, LIBRARY_FLAGS, ROOT, runIn, SCENARIO_FLAGS, type Run } from '../harness.ts';

const OUT = 'out/fuzz';
const DRIVER = join(ROOT, OUT, 'fuzz');
/** Seconds per run in `make test`; `make fuzz SECONDS=600` runs the final library longer. */
const SECONDS = '3';
const API = [
  'malloc', 'free', 'calloc', 'realloc', 'reallocarray', 'posix_memalign', 'aligned_alloc',
  'memalign', 'valloc', 'pvalloc', 'malloc_usable_size',
];

/** From which chapter on (by id) a library can take what the fuzzer asks of it. */
const FROM = {
  // Before: free gives nothing back (-B caps the bytes), and fork with the lock held is a
  // hole the chapter names (-F).
  reuse: 'buddies',
  // Double frees and pointers inside blocks are reported.
  reports: 'buddies',
  // Regions are 4 MiB-aligned with their metadata at the start, where -M's defaults point.
  regions: 'regions-and-big-blocks',
};

/** The book tangled in memory; a chapter whose code is its predecessor's is left out. */
function snapshotsWithCode(): { chapter: Chapter; files: Files }[] {
  const { sources, diagnostics } = readBook(ROOT);
  const result = tangle(sources, diagnostics);
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  const same = (a: Files, b: Files) => a.size === b.size && [...a].every(([path, text]) => b.get(path) === text);
  return result.snapshots.filter((s, i, all) => [...s.files.keys()].some((path) => path.endsWith('.c'))
    && (i === 0 || !same(s.files, all[i - 1]!.files)));
}

/** Builds a library from files in out/fuzz/NAME/ (from the root, so #line paths resolve). */
async function buildLibrary(name: string, files: Files): Promise<{ library: string; api: string[] }> {
  syncTree(join(ROOT, OUT, name), files);
  const sources = [...files.keys()].filter((path) => path.endsWith('.c')).sort().map((path) => join(OUT, name, path));
  const library = join(ROOT, OUT, name, 'libmalloc.so');
  await execa('gcc', [...LIBRARY_FLAGS, '-o', library, ...sources], { cwd: ROOT });
  const exported = new Set(await exportedNames(library));
  return { library, api: API.filter((name) => exported.has(name)) };
}

function fuzz(args: string[], library?: string): Promise<Run> {
  return runIn(DRIVER, args, { library, timeout: 120 });
}

/** The counts on the fuzzer's "fuzz: calls malloc=12 free=34 ..." line. */
function counts(stdout: string, line: string): Map<string, number> {
  const text = stdout.split('\n').find((l) => l.startsWith(`fuzz: ${line} `)) ?? '';
  return new Map([...text.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

function expectPassed(run: Run): void {
  expect(run.exitCode === 0 && run.stdout.includes('fuzz: ok'), describeRun(run)).toBe(true);
}

/** Each name has a count above zero on the output's line: the run did call, or misuse, it. */
function expectCounted(run: Run, line: string, names: string[]): void {
  const found = counts(run.stdout, line);
  for (const name of names) expect(found.get(name), `${line} ${name}`).toBeGreaterThan(0);
}

const snapshots = snapshotsWithCode();
const order = new Map(snapshots.map((s, i) => [s.chapter.id, i]));
const from = (id: string, index: number) => index >= (order.get(id) ?? Infinity);

beforeAll(async () => {
  const sources = ['check.c', 'fuzz.c', 'misuse.c', 'ops.c', 'shadow.c'].map((f) => join('tests/fuzz', f));
  mkdirSync(join(ROOT, OUT), { recursive: true });
  await execa('gcc', [...SCENARIO_FLAGS, '-o', DRIVER, ...sources], { cwd: ROOT });
});

describe('the fuzzer', () => {
  it('should find every chapter its table names', () => {
    for (const id of Object.values(FROM)) expect(order.has(id), id).toBe(true);
  });

  it("should pass on glibc's malloc, so that what it finds is the library's", async () => {
    const run = await fuzz(['-s', SECONDS, '-S', '1']);
    expectPassed(run);
    expectCounted(run, 'calls', API);
  });
});

snapshots.forEach(({ chapter, files }, index) => {
  describe(chapter.slug, () => {
    let library = '';
    let api: string[] = [];
    const seed = process.env.OBB_FUZZ_SEED ?? String(chapter.number);
    beforeAll(async () => {
      ({ library, api } = await buildLibrary(chapter.slug, files));
    });

    it('should survive random calls from several threads, checked against the shadow', async () => {
      const limits = from(FROM.reuse, index) ? [] : ['-F', '-B', '256M'];
      const run = await fuzz(['-s', SECONDS, '-S', seed, '-a', api.join(','), ...limits], library);
      expectPassed(run);
      expectCounted(run, 'calls', api);
      if (limits.length === 0) expect(run.stdout).not.toMatch(/ 0 forks/);
    });

    if (from(FROM.reports, index)) {
      const kinds = ['double', 'interior', ...(from(FROM.regions, index) ? ['metadata'] : [])];
      it(`should see every bad pointer reported by free, realloc and malloc_usable_size: ${kinds.join(', ')}`, async () => {
        const run = await fuzz(['-s', SECONDS, '-S', seed, '-a', api.join(','), '-m', kinds.join(',')], library);
        expectPassed(run);
        expectCounted(run, 'reported', kinds);
        expectCounted(run, 'misused', ['free', 'realloc', 'malloc_usable_size'].filter((name) => api.includes(name)));
      });
    }
  });
});

/**
 * A bug of issue 12, and how to put it back into the fixed code: `fixed` is a fragment of
 * the fix, found exactly once in `file` of the snapshot, and `buggy` replaces it. Where the
 * fragment is missing, the snapshot runs as the book has it: while the bug is there, the
 * fuzzer must find it; once the fix is in under other words, the test fails and says so.
 */
interface PutBack {
  bug: string; // its number in issue 12, or a name
  chapter: string; // id, or 'last' for the final library
  where: string; // for the test's name
  args: string[];
  says: RegExp; // what the fuzzer reports when it finds the bug
  edit: { file: string; fixed: string; buggy: string };
}

const PUT_BACK: PutBack[] = [
  {
    // A large block of 0 bytes at an alignment above 256 KiB was the end of its own
    // mapping. Since large blocks start at their mapping (bug 3's fix), dropping the byte
    // maps nothing and the call fails with ENOMEM: the fuzzer reports that as well.
    bug: '1', chapter: 'last', where: 'the final library', args: ['-t', '1', '-F'],
    says: /, 0\): returned (0x[0-9a-f]+ for 0 bytes, an address in no mapping|NULL|12 )/,
    edit: { file: 'src/region.c', fixed: 'size == 0 ? 1 : size', buggy: 'size' },
  },
  {
    // free() of a region's node array or header passed as a valid free.
    bug: '2', chapter: 'last', where: 'the final library', args: ['-m', 'metadata'],
    says: /of the allocator's metadata: was not reported/,
    edit: { file: 'src/region.c', fixed: 'return (uintptr_t)p <= (uintptr_t)e ? NULL : e;', buggy: 'return e;' },
  },
  {
    // Chapter 03: a block freed twice went unnoticed once it had merged with its buddy.
    bug: '8', chapter: 'buddies', where: 'chapter 03', args: ['-m', 'double'],
    says: /of a block already freed.*: was not reported/,
    edit: { file: 'src/tree.c', fixed: 'forget(buddy < b ? b : buddy);', buggy: '' },
  },
  {
    // Chapter 03, found by this fuzzer after bug 8 was fixed: memalign took a freed block and
    // returned an address inside it; the stale pointer to the block's payload still found
    // a header saying "used", and free, realloc or malloc_usable_size of it passed.
    bug: '8-aligned', chapter: 'buddies', where: 'chapter 03', args: ['-m', 'double'],
    says: /of a block already freed.*: was not reported/,
    edit: { file: 'src/tree.c', fixed: '(*out)->shift != *shift ||', buggy: '' },
  },
];

/** The files with the bug put back, or as they are when the fix is not there (null). */
function putBack(files: Files, edit: PutBack['edit']): Files | null {
  const text = files.get(edit.file) ?? '';
  const found = text.split(edit.fixed).length - 1;
  if (found > 1) throw new Error(`${edit.file}: the fixed fragment is there ${found} times, not once; update PUT_BACK`);
  return found === 0 ? null : new Map(files).set(edit.file, text.replace(edit.fixed, () => edit.buggy));
}

describe('bugs of issue 12, put back', () => {
  it('should put a bug back only where its fixed fragment is, exactly once', () => {
    const files: Files = new Map([['src/a.c', 'int x = 1;\nint y = 1;\n']]);
    const edit = (fixed: string) => ({ file: 'src/a.c', fixed, buggy: 'int x = 2;' });
    expect(putBack(files, edit('int x = 1;'))?.get('src/a.c')).toBe('int x = 2;\nint y = 1;\n');
    expect(putBack(files, edit('int z = 1;'))).toBeNull();
    expect(() => putBack(files, edit(' = 1;'))).toThrow(/2 times/);
  });

  it.each(PUT_BACK)('should find bug $bug in $where', async ({ bug, chapter, args, says, edit }) => {
    const snapshot = chapter === 'last' ? snapshots.at(-1) : snapshots.find((s) => s.chapter.id === chapter);
    expect(snapshot, `no chapter ${chapter} with code`).toBeDefined();
    const buggy = putBack(snapshot!.files, edit);
    const { library, api } = await buildLibrary(`bug-${bug}`, buggy ?? snapshot!.files);
    // A number of calls, not seconds: with one thread, the same calls on any machine.
    const run = await fuzz(['-s', '0', '-n', '20000', '-S', '1', '-a', api.join(','), ...args], library);
    const how = buggy ? 'with the bug put back' : `as the book has it, without "${edit.fixed}" in ${edit.file}: if `
      + 'the bug is fixed in other words, update PUT_BACK';
    expect(run.exitCode, `the fuzzer passed ${how}\n${describeRun(run)}`).not.toBe(0);
    expect(run.stderr, describeRun(run)).toMatch(says);
  });
});
