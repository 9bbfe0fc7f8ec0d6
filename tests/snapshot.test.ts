// The snapshot module: the flags that make and TypeScript share, and how a snapshot is named,
// compared and built.

import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chapter } from '../tangle/index.ts';
import { FLAGS_FILE, findChapter, readFlags, readFlagsFile, sameLibrary } from '../tangle/snapshot.ts';
import { ROOT } from './harness.ts';

describe('the flags', () => {
  it('should be the ones make uses', async () => {
    const printer = `include ${FLAGS_FILE}\nprint:\n\t@echo "$(CC)|$(LIBRARY_CFLAGS)|$(PROGRAM_CFLAGS)"\n`;
    const { stdout } = await execa('make', ['--no-print-directory', '-f', '-', 'print'], { cwd: ROOT, input: printer });
    const flags = readFlags(ROOT);
    expect(stdout).toBe([flags.cc, flags.library.join(' '), flags.program.join(' ')].join('|'));
    expect(flags.library).toContain('-Werror');
  });

  it("should be the ones the book's own Makefile gives a reader", () => {
    const book = readFlagsFile(readFileSync(join(ROOT, 'code/Makefile'), 'utf8'));
    expect(book.get('CFLAGS')).toBe(readFlags(ROOT).library.join(' '));
    expect(book.get('CC')).toBe(readFlags(ROOT).cc);
  });

  it('should read NAME = value lines and nothing else', () => {
    const values = readFlagsFile('# CC = no\nCC = cc\nX_Y =  -a  -b \n\tnot = this\n');
    expect([...values]).toEqual([['CC', 'cc'], ['X_Y', '-a  -b']]);
  });
});

describe('a snapshot', () => {
  const chapters: Chapter[] = [
    { file: 'docs/03-buddies.md', number: 3, slug: '03-buddies', id: 'buddies' },
    { file: 'docs/04-one-byte-a-block.md', number: 4, slug: '04-one-byte-a-block', id: 'one-byte-a-block' },
  ];

  it('should be found by number, id or slug', () => {
    for (const name of ['04', '4', 'one-byte-a-block', '04-one-byte-a-block']) expect(findChapter(chapters, name)?.slug, name).toBe('04-one-byte-a-block');
    expect(findChapter(chapters, '05')).toBeUndefined();
  });

  it('should be the same library as another exactly when their src/ hold the same files', () => {
    const root = mkdtempSync(join(tmpdir(), 'obb-same-'));
    for (const folder of ['a', 'b']) {
      mkdirSync(join(root, folder, 'src'), { recursive: true });
      writeFileSync(join(root, folder, 'src/x.c'), 'int x;\n');
      writeFileSync(join(root, folder, 'Makefile'), `# ${folder}\n`);
    }
    expect(sameLibrary(root, 'a', 'b')).toBe(true);
    writeFileSync(join(root, 'b/src/x.h'), '\n');
    expect(sameLibrary(root, 'a', 'b')).toBe(false);
    cpSync(join(root, 'b/src'), join(root, 'a/src'), { recursive: true });
    writeFileSync(join(root, 'b/src/x.c'), 'int y;\n');
    expect(sameLibrary(root, 'a', 'b')).toBe(false);
  });
});
