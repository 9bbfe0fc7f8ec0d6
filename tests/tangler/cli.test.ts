// The command line end to end: what it writes, what it refuses to write, and what it says.

import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNAPSHOTS } from '../../tangle/snapshot.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'tests/tangler/fixtures');

function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `obb-tangle-${name}-`));
  cpSync(join(FIXTURES, name, 'docs'), join(dir, 'docs'), { recursive: true });
  return dir;
}

function cli(root: string, ...args: string[]) {
  return execa(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'tangle/cli.ts'), ...args, '--root', root], { reject: false });
}

function edit(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

describe('tangle cli', () => {
  it('should write every snapshot and the last one into code/', async () => {
    const root = copyFixture('modes');
    const result = await cli(root, 'write');
    expect(result.exitCode).toBe(0);
    expect(readFileSync(join(root, SNAPSHOTS, '02-two/src/list.c'), 'utf8')).toContain('int two = 2;');
    expect(readFileSync(join(root, 'code/src/list.c'), 'utf8')).toBe(
      readFileSync(join(FIXTURES, 'modes/expected/03-three/src/list.c'), 'utf8'),
    );
  });

  it('should leave unchanged files untouched so make stays incremental', async () => {
    const root = copyFixture('basic');
    await cli(root, 'write');
    const file = join(root, 'code/src/hello.c');
    const before = statSync(file).mtimeMs;
    await new Promise((done) => setTimeout(done, 50));
    edit(join(root, 'docs/01-first.md'), 'The function:', 'The function, in prose only:');
    const result = await cli(root, 'write');
    expect(result.stdout).toContain('code/ unchanged');
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('should write nothing and name file, line and column when a reference is misspelt', async () => {
    const root = copyFixture('basic');
    await cli(root, 'write');
    const before = readFileSync(join(root, 'code/src/hello.c'), 'utf8');
    edit(join(root, 'docs/01-first.md'), '<<main>>', '<<mian>>');
    edit(join(root, 'docs/01-first.md'), 'puts("world");', 'puts("changed");');
    const result = await cli(root, 'write');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('docs/01-first.md:8:1: error: reference to undefined chunk "mian"');
    expect(result.stderr).toContain('docs/01-first.md:13:1: error: chunk "main" is never used');
    expect(result.stderr).toContain('nothing written');
    expect(readFileSync(join(root, 'code/src/hello.c'), 'utf8')).toBe(before);
    expect(readFileSync(join(root, SNAPSHOTS, '01-first/src/hello.c'), 'utf8')).toBe(before);
  });

  it('should remove a file whose root was renamed', async () => {
    const root = copyFixture('modes');
    await cli(root, 'write');
    edit(join(root, 'docs/01-one.md'), 'file=src/list.c', 'file=src/items.c');
    const result = await cli(root, 'write');
    expect(result.exitCode).toBe(0);
    expect(() => statSync(join(root, 'code/src/list.c'))).toThrow();
    expect(readFileSync(join(root, 'code/src/items.c'), 'utf8')).toContain('int four = 4;');
  });

  it('should fail check and name the file when code/ is stale', async () => {
    const root = copyFixture('modes');
    await cli(root, 'write');
    expect((await cli(root, 'check')).exitCode).toBe(0);
    writeFileSync(join(root, 'code/src/list.c'), 'int edited_by_hand;\n');
    writeFileSync(join(root, 'code/extra.c'), '\n');
    const result = await cli(root, 'check');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('code/src/list.c: different');
    expect(result.stderr).toContain('code/extra.c: extra');
  });

  it('should keep what the snapshot Makefile builds when it tangles again', async () => {
    const root = copyFixture('modes');
    await cli(root, 'write');
    writeFileSync(join(root, SNAPSHOTS, '02-two/libmalloc.so'), 'built');
    writeFileSync(join(root, 'code/libmalloc.so'), 'built');
    edit(join(root, 'docs/02-two.md'), 'int two = 2;', 'int two = 22;');
    expect((await cli(root, 'write')).exitCode).toBe(0);
    expect(readFileSync(join(root, SNAPSHOTS, '02-two/libmalloc.so'), 'utf8')).toBe('built');
    expect((await cli(root, 'check')).exitCode).toBe(0);
  });

  it('should list where each chunk is defined, appended to, replaced and used', async () => {
    const result = await cli(copyFixture('modes'), 'list');
    expect(result.stdout).toBe(
      [
        'file src/list.c',
        '  defined at docs/01-one.md:3:1',
        '<<items>>',
        '  defined at docs/01-one.md:7:1',
        '  appended at docs/02-two.md:3:1',
        '  replaced at docs/03-three.md:3:1',
        '  appended at docs/03-three.md:7:1',
        '  used at docs/01-one.md:4:1 in file src/list.c',
      ].join('\n'),
    );
  });

  it('should reject an unknown subcommand or option with its usage', async () => {
    for (const args of [['tangle-everything'], ['write', '--frob'], ['write', 'extra']]) {
      const result = await cli(copyFixture('modes'), ...args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage: npx tsx tangle/cli.ts <command>');
    }
  });

  it('should print its usage on --help', async () => {
    const result = await cli(copyFixture('modes'), '--help');
    expect(result.exitCode).toBe(0);
    for (const command of ['write', 'check', 'list', 'build [CHAPTER]']) expect(result.stdout).toContain(`  ${command} `);
  });

  it('should build every snapshot, and name the snapshot that fails', async () => {
    const root = copyFixture('modes');
    cpSync(join(ROOT, 'flags.mk'), join(root, 'flags.mk'));
    const built = await cli(root, 'build');
    expect(built.exitCode, built.stderr).toBe(0);
    for (const slug of ['01-one', '02-two', '03-three']) expect(statSync(join(root, SNAPSHOTS, slug, 'libmalloc.so')).size).toBeGreaterThan(0);
    // Chapter 03 replaced the body that defined `one`: only its snapshot fails.
    edit(join(root, 'docs/03-three.md'), 'int four = 4;', 'int four = one;');
    expect((await cli(root, 'build', '02')).exitCode).toBe(0);
    const failed = await cli(root, 'build');
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('snapshot 03-three does not compile');
    expect(failed.stderr).toMatch(/^docs\/03-three\.md:8:\d+: error: .one. undeclared/m);
  });

  it('should make gcc report a C error at the chapter line thanks to #line', async () => {
    const root = copyFixture('syntax-error');
    expect((await cli(root, 'write')).exitCode).toBe(0);
    const gcc = await execa('gcc', ['-std=c11', '-c', '-o', '/dev/null', 'code/src/broken.c'], { cwd: root, reject: false });
    expect(gcc.exitCode).not.toBe(0);
    expect(gcc.stderr).toMatch(/^docs\/01-broken\.md:16:\d+: error: /m);
  });
});
