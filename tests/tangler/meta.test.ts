// The fence meta reader that both the tangler and the weave use.

import { describe, expect, it } from 'vitest';
import { parseFenceMeta } from '../../tangle/parse.ts';

describe('parseFenceMeta', () => {
  it('should keep Docusaurus words whole, quoted spaces included', () => {
    const { meta, problems } = parseFenceMeta('c', 'chunk="a  b" title="two words" showLineNumbers {1,3-4}');
    expect(problems).toEqual([]);
    expect(meta).toEqual({ kind: 'chunk', name: 'a b', mode: 'define', docusaurus: ['title="two words"', 'showLineNumbers', '{1,3-4}'] });
  });

  it('should read a root with append', () => {
    expect(parseFenceMeta('c', 'file=src/a.c append').meta).toMatchObject({ kind: 'root', name: 'src/a.c', mode: 'append' });
  });

  it('should call a fence without file= or chunk= an illustration', () => {
    expect(parseFenceMeta('c', undefined).meta.kind).toBe('illustration');
    expect(parseFenceMeta('text', 'title="x"').meta.kind).toBe('illustration');
  });

  it('should report an unterminated quote, both append and replace, and a bad path', () => {
    expect(parseFenceMeta('c', 'chunk="open').problems).toEqual([{ offset: 0, message: 'unterminated quoted value for "chunk"' }]);
    expect(parseFenceMeta('c', 'chunk=x append replace').problems[0]!.message).toBe('a block takes either append or replace, not both');
    expect(parseFenceMeta('c', 'file=../etc/passwd').problems[0]!.message).toContain('must not contain empty, "." or ".." parts');
    expect(parseFenceMeta('c', 'append').problems[0]!.message).toBe('"append" needs chunk= or file=');
  });
});
