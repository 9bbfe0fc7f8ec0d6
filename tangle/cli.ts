// The tangler's command line: npx tsx tangle/cli.ts --help.

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CODE, compareTree, readBook, syncTree } from './files.ts';
import { formatDiagnostic, tangle, type Tangle } from './index.ts';
import { formatList } from './list.ts';
import { buildSnapshot, describeFailure, findChapter, librarySources, snapshotFolder, SNAPSHOTS, writeSnapshots } from './snapshot.ts';

const USAGE = `usage: npx tsx tangle/cli.ts <command> [--root DIR]

  write            tangle every chapter into ${SNAPSHOTS}/NN-slug/ and the last one into ${CODE}/
  check            exit 1, naming the files, when ${CODE}/ is not what the chapters produce
  list             every chunk: where it is defined, appended to, replaced and used
  build [CHAPTER]  tangle, then compile every chapter's snapshot into its libmalloc.so
                   (or only CHAPTER's: 04, one-byte-a-block or 04-one-byte-a-block)

  --root DIR       the repository to work in (default: the current folder)
  -h, --help       print this`;

function load(root: string): Tangle {
  const { sources, diagnostics } = readBook(root);
  return tangle(sources, diagnostics);
}

function write(root: string, result: Tangle): number {
  const written = writeSnapshots(root, result.snapshots);
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

async function build(root: string, result: Tangle, name: string | undefined): Promise<number> {
  const chapters = result.snapshots.map((s) => s.chapter);
  const wanted = name === undefined ? chapters : [findChapter(chapters, name)];
  if (wanted.some((c) => c === undefined)) {
    console.error(`tangle: no chapter "${name}"; the chapters are ${chapters.map((c) => c.slug).join(', ')}`);
    return 2;
  }
  writeSnapshots(root, result.snapshots);
  for (const chapter of wanted as typeof chapters) {
    if (librarySources(root, snapshotFolder(chapter)).length === 0) continue; // no C yet
    const built = await buildSnapshot(root, chapter);
    console.log(built.command);
    if (!built.ok) {
      console.error(describeFailure(chapter, built));
      return 1;
    }
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { root: { type: 'string', default: process.cwd() }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`tangle: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = positionals;
  const arity = command === 'build' ? 1 : 0;
  if (!['write', 'check', 'list', 'build'].includes(command ?? '') || rest.length > arity) {
    console.error(USAGE);
    return 2;
  }
  const root = values.root;
  const result = load(root);
  if (result.diagnostics.length > 0) {
    for (const d of result.diagnostics) console.error(formatDiagnostic(d));
    const n = result.diagnostics.length;
    console.error(`tangle: ${n} error${n === 1 ? '' : 's'}; nothing written`);
    return 1;
  }
  if (command === 'write') return write(root, result);
  if (command === 'check') return check(root, result);
  if (command === 'build') return build(root, result, rest[0]);
  console.log(formatList(result.book));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
