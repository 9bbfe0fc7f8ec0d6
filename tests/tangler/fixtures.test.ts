// One fixture folder per rule: tests/tangler/fixtures/<case>/docs/ holds a small book;
// expected/<NN-slug>/ holds each snapshot's files, or errors.txt the exact diagnostics.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBook } from '../../tangle/files.ts';
import { formatDiagnostic, tangle } from '../../tangle/index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function readTree(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = join(folder, name);
    if (statSync(full).isFile()) files.set(name, readFileSync(full, 'utf8'));
  }
  return files;
}

const cases = readdirSync(FIXTURES).sort();

describe('tangle fixtures', () => {
  it.each(cases)('should tangle %s as expected', (name) => {
    const root = join(FIXTURES, name);
    const { sources, diagnostics } = readBook(root);
    const result = tangle(sources, diagnostics);
    const errorsFile = join(root, 'errors.txt');
    if (existsSync(errorsFile)) {
      expect(result.diagnostics.map(formatDiagnostic).join('\n') + '\n').toBe(readFileSync(errorsFile, 'utf8'));
      expect(result.snapshots).toEqual([]);
      return;
    }
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    for (const { chapter, files } of result.snapshots) {
      const expected = readTree(join(root, 'expected', chapter.slug));
      expect(Object.fromEntries(files), chapter.slug).toEqual(Object.fromEntries(expected));
    }
  });
});
