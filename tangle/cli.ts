// The tangler's command line. Usage: npx tsx tangle/cli.ts <write|check|list> [--root DIR]
//
//   write  tangles every chapter into out/chapters/NN-slug/ and the last one into code/
//   check  exits 1 and names the files when code/ is not what the chapters produce
//   list   prints each chunk: where it is defined, appended to, replaced and used

import { join } from 'node:path';
import { CODE, compareTree, readBook, removeStaleFolders, syncTree } from './files.ts';
import { formatDiagnostic, tangle, type Tangle } from './index.ts';
import { formatList } from './list.ts';

const USAGE = 'usage: tangle <write|check|list> [--root DIR]';

function load(root: string): Tangle {
  const { sources, diagnostics } = readBook(root);
  return tangle(sources, diagnostics);
}

function write(root: string, result: Tangle): number {
  let written = 0;
  for (const { chapter, files } of result.snapshots) {
    written += syncTree(join(root, 'out/chapters', chapter.slug), files).written.length;
  }
  removeStaleFolders(join(root, 'out/chapters'), new Set(result.snapshots.map((s) => s.chapter.slug)));
  const last = result.snapshots.at(-1);
  const code = last ? syncTree(join(root, CODE), last.files) : { written: [], removed: [] };
  const changed = [...code.written, ...code.removed].map((p) => `${CODE}/${p}`);
  console.log(
    `tangled ${result.snapshots.length} chapters: ${written} snapshot files written` +
      (changed.length > 0 ? `; ${CODE}/ updated: ${changed.join(' ')}` : `; ${CODE}/ unchanged`),
  );
  return 0;
}

function check(root: string, result: Tangle): number {
  const last = result.snapshots.at(-1);
  const differences = last ? compareTree(join(root, CODE), last.files) : [];
  for (const d of differences) console.error(`${CODE}/${d.path}: ${d.problem}`);
  if (differences.length > 0) {
    console.error(`${CODE}/ is not what the chapters produce: run 'npx tsx tangle/cli.ts write' (or make)`);
    return 1;
  }
  console.log(`${CODE}/ is current: it is the tangle of ${last ? last.chapter.file : 'no chapter'}`);
  return 0;
}

function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  let root = process.cwd();
  for (let i = 0; i < rest.length; i += 1) {
    if (rest[i] === '--root' && rest[i + 1] !== undefined) root = rest[(i += 1)]!;
    else {
      console.error(`tangle: unknown argument "${rest[i]}"\n${USAGE}`);
      return 2;
    }
  }
  if (command !== 'write' && command !== 'check' && command !== 'list') {
    console.error(USAGE);
    return 2;
  }
  const result = load(root);
  if (result.diagnostics.length > 0) {
    for (const d of result.diagnostics) console.error(formatDiagnostic(d));
    const n = result.diagnostics.length;
    console.error(`tangle: ${n} error${n === 1 ? '' : 's'}; nothing written`);
    return 1;
  }
  if (command === 'write') return write(root, result);
  if (command === 'check') return check(root, result);
  console.log(formatList(result.book));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
