// The tree widget's WebAssembly: chapter 04's own tree.c, from its snapshot in
// out/chapters/, compiled with Debian's clang-14 and lld-14 for wasm32, without a libc.
//
// wasm/tree-widget.c #includes the snapshot's tree.c and diagnostics.c and exports what the
// page calls; wasm/freestanding.c and wasm/include/ stand in for the few libc pieces they
// use. The result goes to out/site-static/tree-widget/<slug>.wasm, which the site serves.
//
// A missing compiler is not an error: the site is built without the widget, which then says
// why (`problem`). A chapter that no longer compiles for the page is an error.
//
// Used by the site plugin (index.ts), by `make`, and by the tests:
//   npx tsx site/tree-widget/build.ts

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNAPSHOTS } from '../../tangle/snapshot.ts';

/** The chapter whose tree the widget runs (its id: the slug without the number). */
export const WIDGET_CHAPTER = 'one-byte-a-block';
export const WASM_ROUTE = 'tree-widget'; // under the site's base URL
export const WASM_CC = process.env.OBB_WASM_CC ?? 'clang-14';

export interface TreeWasm {
  slug?: string; // 04-one-byte-a-block
  file?: string; // "tree-widget/04-one-byte-a-block.wasm", relative to the base URL
  bytes?: number;
  problem?: string; // why there is no .wasm
}

const FLAGS = ['--target=wasm32', '-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-nostdlib'];
const LINK = ['-Wl,--no-entry', '-Wl,--strip-all'];

/** The snapshot folder of the widget's chapter, e.g. out/chapters/04-one-byte-a-block. */
export function widgetSnapshot(root: string): string | undefined {
  const folder = join(root, SNAPSHOTS);
  if (!existsSync(folder)) return undefined;
  const slug = readdirSync(folder).find((name) => name.replace(/^\d+-/, '') === WIDGET_CHAPTER);
  return slug === undefined ? undefined : join(SNAPSHOTS, slug);
}

/** The compiler's command line, from the repository root, so #line paths reach the chapter. */
export function wasmCommand(snapshot: string, output: string): string[] {
  return [
    ...FLAGS,
    '-isystem', 'wasm/include',
    '-iquote', '.', // the snapshot's paths are relative to the repository root
    `-DOBBW_TREE_C="${snapshot}/src/tree.c"`,
    `-DOBBW_DIAGNOSTICS_C="${snapshot}/src/diagnostics.c"`,
    ...LINK,
    '-o', output,
    'wasm/tree-widget.c', 'wasm/freestanding.c',
  ];
}

export interface BuildOptions {
  folder?: string; // instead of out/site-static/tree-widget/ (the tests use their own)
  cc?: string; // instead of WASM_CC
}

export function buildTreeWasm(rootDir: string, { folder, cc = WASM_CC }: BuildOptions = {}): TreeWasm {
  const root = resolve(rootDir);
  const snapshot = widgetSnapshot(root);
  if (snapshot === undefined) {
    return { problem: `the snapshot of chapter ${WIDGET_CHAPTER} is missing from ${SNAPSHOTS}/ (npx tsx tangle/cli.ts write makes it)` };
  }
  const slug = snapshot.split('/').at(-1)!;
  const outFolder = folder ?? join(root, 'out/site-static', WASM_ROUTE);
  const output = join(outFolder, `${slug}.wasm`);
  rmSync(outFolder, { recursive: true, force: true }); // never serve a .wasm of an older tree
  const probe = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    return { slug, problem: `${cc} was not found when this site was built (Debian's clang-14 and lld-14 build the widget)` };
  }
  mkdirSync(outFolder, { recursive: true });
  const run = spawnSync(cc, wasmCommand(snapshot, output), { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) {
    const text = `${run.stderr}${run.stdout}`.trim();
    // Without lld there is no wasm-ld: a missing tool, like a missing compiler.
    if (/wasm-ld/.test(text) && /(not found|doesn't exist|No such file)/i.test(text)) {
      return { slug, problem: `wasm-ld was not found when this site was built (Debian's lld-14 provides it)` };
    }
    throw new Error(`${cc} could not build the tree widget from ${snapshot}:\n${text}`);
  }
  return { slug, file: `${WASM_ROUTE}/${slug}.wasm`, bytes: statSync(output).size };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(import.meta.url), '../../..');
  const result = buildTreeWasm(root);
  console.log(result.file ? `tree widget: out/site-static/${result.file} (${result.bytes} bytes)` : `tree widget not built: ${result.problem}`);
}
