// site/plugin.ts on a small book in a temporary folder, without building a site: the global
// data the pages read, the snapshot tarballs, and the build stopping on a broken book.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadContext } from '@docusaurus/types';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import bookPlugin, { type BookData } from '../../site/plugin.ts';
import { SNAPSHOTS } from '../../tangle/snapshot.ts';

const FENCE = '```';
const CHAPTER_01 = '---\ntitle: "Introduction"\n---\n\nNo code yet.\n';
const CHAPTER_02 = [
  '---',
  'title: "Pages"',
  '---',
  '',
  `${FENCE}make file=Makefile`,
  'libmalloc.so: $(wildcard src/*.c)',
  '\t$(CC) -shared -fPIC -o $@ $^',
  FENCE,
  '',
  `${FENCE}c file=src/api.c`,
  '<<api: malloc>>',
  FENCE,
  '',
  `${FENCE}c chunk="api: malloc"`,
  '#include <stddef.h>',
  'void *malloc(size_t n) { (void)n; return NULL; }',
  FENCE,
  '',
].join('\n');

let root: string;
let savedEnv: string | undefined;

function writeBook(chapters: Record<string, string>): void {
  mkdirSync(join(root, 'docs'), { recursive: true });
  for (const [name, text] of Object.entries(chapters)) writeFileSync(join(root, 'docs', name), text);
}

async function tangleWrite(): Promise<void> {
  await execa('npx', ['tsx', join(import.meta.dirname, '../../tangle/cli.ts'), 'write', '--root', root]);
}

/** The plugin as a build runs it (NODE_ENV=production makes a stale snapshot an error). */
async function load(): Promise<BookData> {
  process.env.NODE_ENV = 'production';
  const plugin = bookPlugin({ siteDir: root } as LoadContext);
  return (await plugin.loadContent!()) as BookData;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'obb-book-plugin-'));
  savedEnv = process.env.NODE_ENV;
});

afterEach(() => {
  process.env.NODE_ENV = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

describe('site/plugin.ts', () => {
  test("should give every chapter its snapshot's files, each with the block that begins it", async () => {
    writeBook({ '01-introduction.md': CHAPTER_01, '02-pages.md': CHAPTER_02 });
    await tangleWrite();
    const data = await load();
    expect(data.errors).toEqual([]);
    expect(data.chapters.map((c) => [c.slug, c.files.length])).toEqual([
      ['01-introduction', 0],
      ['02-pages', 2],
    ]);
    expect(data.chapters[0]!.tarball).toBeUndefined();
    expect(data.chapters[1]!.files.find((f) => f.path === 'src/api.c')).toMatchObject({
      lines: 3, // a #line directive, then the chunk's two lines
      root: { href: '/docs/pages#file-src-api-c', label: '2.2' },
    });
    expect(Object.keys(data.blocks).sort()).toEqual(['02-pages:10', '02-pages:14', '02-pages:5']);
  });

  test('should pack a snapshot that unpacks into its folder and builds with make, the same bytes every time', async () => {
    writeBook({ '01-introduction.md': CHAPTER_01, '02-pages.md': CHAPTER_02 });
    await tangleWrite();
    const { chapters } = await load();
    expect(chapters[1]!.tarball).toBe('snapshots/02-pages.tar.gz');
    const tarball = join(root, 'out/site-static', chapters[1]!.tarball!);
    const first = readFileSync(tarball);
    const { stdout } = await execa('tar', ['--list', '--verbose', '--gzip', `--file=${tarball}`]);
    expect(stdout).toMatch(/^-rw-r--r-- 0\/0 .* 1970-01-01 00:00 02-pages\/Makefile$/m);
    expect(stdout.split('\n').map((l) => l.split(' ').at(-1))).toEqual(['02-pages/Makefile', '02-pages/src/api.c']);
    const unpacked = join(root, 'unpacked');
    mkdirSync(unpacked);
    await execa('tar', ['--extract', '--gzip', `--file=${tarball}`], { cwd: unpacked });
    await execa('make', [], { cwd: join(unpacked, '02-pages') });
    await load();
    expect(readFileSync(tarball).equals(first)).toBe(true);
  });

  test('should stop a build whose snapshot folder is not what the chapters say', async () => {
    writeBook({ '02-pages.md': CHAPTER_02 });
    await tangleWrite();
    writeFileSync(join(root, SNAPSHOTS, '02-pages/src/api.c'), 'edited by hand\n');
    await expect(load()).rejects.toThrow(/out\/chapters\/02-pages is not the tangle of the chapters \(src\/api\.c: different\)/);
  });

  test('should stop a build when the chapters do not tangle, with every error in file:line:col form', async () => {
    writeBook({ '02-pages.md': CHAPTER_02.replace('<<api: malloc>>', '<<api: malloc>>\n<<api: free>>') });
    await expect(load()).rejects.toThrow(/docs\/02-pages\.md:12:1: error: reference to undefined chunk "api: free"/);
  });
});
