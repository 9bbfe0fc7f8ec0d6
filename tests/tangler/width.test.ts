// The book's code fits in 76 columns: a wider literate line stops the tangle, like -Werror.

import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CODE_COLUMNS, measure } from '../../tangle/width.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function basic(): string {
  const dir = mkdtempSync(join(tmpdir(), 'obb-width-'));
  cpSync(join(ROOT, 'tests/tangler/fixtures/basic/docs'), join(dir, 'docs'), { recursive: true });
  return dir;
}

function edit(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

function cli(root: string, command: string) {
  return execa(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'tangle/cli.ts'), command, '--root', root], { reject: false });
}

describe('code width', () => {
  it('should count a tab up to the next multiple of 8, as an editor shows it', () => {
    expect(measure('\tx').width).toBe(9);
    expect(measure('ab\tx').width).toBe(9);
    expect(measure('x'.repeat(MAX_CODE_COLUMNS)).over).toBeUndefined();
    expect(measure('x'.repeat(MAX_CODE_COLUMNS + 1)).over).toBe(MAX_CODE_COLUMNS);
    expect(measure(`\t${'x'.repeat(MAX_CODE_COLUMNS - 8)}`).over).toBeUndefined();
    expect(measure(`\t${'x'.repeat(MAX_CODE_COLUMNS - 7)}`).over).toBe(MAX_CODE_COLUMNS - 7);
  });

  it('should accept a line of exactly 76 columns and reject one of 77, at its file, line and column', async () => {
    const root = basic();
    const chapter = join(root, 'docs/01-first.md');
    // puts("") is 9 columns plus the string; line 25 of the fixture.
    edit(chapter, 'puts("hello");', `puts("${'h'.repeat(MAX_CODE_COLUMNS - 9)}");`);
    expect((await cli(root, 'write')).exitCode).toBe(0);
    edit(chapter, 'puts("world");', `puts("${'w'.repeat(MAX_CODE_COLUMNS - 8)}");`);
    const result = await cli(root, 'write');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `docs/01-first.md:25:${MAX_CODE_COLUMNS + 1}: error: code line is ${MAX_CODE_COLUMNS + 1} columns wide; the book's code fits in ${MAX_CODE_COLUMNS}`,
    );
    expect(result.stderr).toContain('nothing written');
  });

  it('should not measure an illustration, which is no part of the program', async () => {
    const root = basic();
    edit(join(root, 'docs/01-first.md'), 'The function:', `The function:\n\n\`\`\`text\n${'-'.repeat(100)}\n\`\`\`\n`);
    const result = await cli(root, 'write');
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(root, 'code/src/hello.c'))).toBe(true);
  });
});
