// The tree widget (site/tree-widget, src/components/TreeWidget): chapter 04's tree.c
// compiled to WebAssembly must do exactly what the same tree.c does compiled natively.
//
// tests/tree-widget/driver.c runs a sequence of operations on the chapter's C with gcc and
// prints, after each, the result, the verdict and every nibble; the .wasm runs the same
// sequence and must print the same lines. The sequences mix good and bad calls (double
// frees, pointers inside blocks, unaligned pointers) on the smallest and largest regions.

import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Code } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTreeWasm, widgetSnapshot, type TreeWasm } from '../site/tree-widget/build.ts';
import { WIDGET_FENCE } from '../site/tree-widget/remark.ts';
import { cString, liveNodes, parseCommand, type TreeExports } from '../src/components/TreeWidget/model.ts';
import { TreeSession } from '../src/components/TreeWidget/session.ts';
import { ROOT, tangleSnapshots } from './harness.ts';

const OUT = join(ROOT, 'out/tree-widget-test'); // not the site's folder: a site build may be copying it
let wasm: TreeWasm;
let driver: string;

beforeAll(async () => {
  tangleSnapshots();
  wasm = buildTreeWasm(ROOT, { folder: OUT });
  const snapshot = widgetSnapshot(ROOT)!;
  driver = join(OUT, 'driver');
  mkdirSync(OUT, { recursive: true });
  const src = join(snapshot, 'src');
  await execa('gcc', ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-I', src, '-o', driver,
    'tests/tree-widget/driver.c', join(src, 'tree.c'), join(src, 'diagnostics.c')], { cwd: ROOT });
}, 120_000);

async function load(): Promise<TreeExports> {
  expect(wasm.problem, 'the widget was not built').toBeUndefined();
  const { instance } = await WebAssembly.instantiate(readFileSync(join(OUT, `${wasm.slug}.wasm`)));
  return instance.exports as unknown as TreeExports;
}

/** A program that answers each line of input with one line of output. */
function talk(program: string, args: string[]): { ask: (line: string) => Promise<string>; close: () => void } {
  const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    ask: async (line) => {
      child.stdin!.write(`${line}\n`);
      const next = await answers.next();
      if (next.done) throw new Error(`${program} stopped answering at: ${line}`);
      return next.value;
    },
    close: () => child.stdin!.end(),
  };
}

/**
 * Runs on the native build one call at a time, choosing each next call from the answers so
 * far (which blocks are live), so that frees and reallocs name real blocks.
 */
async function nativeRun(order: number, seed: number, count: number): Promise<{ lines: string[]; output: string[] }> {
  let x = seed;
  const random = (n: number) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % n;
  };
  const region = 2 ** order;
  const live: number[] = [];
  const dead: number[] = [];
  const lines: string[] = [];
  const output: string[] = [];
  const native = talk(driver, [String(order)]);
  for (let i = 0; i < count; i += 1) {
    const pick = random(100);
    let line: string;
    if (pick < 45 || live.length === 0) line = `m ${1 + random(random(4) === 0 ? region / 2 : region / 8)}`;
    else if (pick < 75) line = `f ${live[random(live.length)]}`;
    else if (pick < 85) line = `r ${live[random(live.length)]} ${1 + random(region / 4)}`;
    else if (pick < 90 && dead.length > 0) line = `f ${dead[random(dead.length)]}`;
    else if (pick < 95) line = `f ${(live[random(live.length)]! + 16 * (1 + random(2))) % region}`;
    else line = `f ${random(region)}`;
    lines.push(line);
    const last = await native.ask(line);
    output.push(last);
    const [result, verdict] = last.split(' ').map(Number) as [number, number];
    const [op, a] = line.split(' ');
    const at = Number(a);
    if (op === 'm' && result >= 0) live.push(result);
    if ((op === 'f' || op === 'r') && verdict === 0 && live.includes(at) && !(op === 'r' && result === at) && result !== -1) {
      live.splice(live.indexOf(at), 1);
      dead.push(at);
    }
    if (op === 'r' && result >= 0 && result !== at) live.push(result);
  }
  native.close();
  return { lines, output };
}

function wasmRun(e: TreeExports, order: number, lines: string[]): string[] {
  expect(e.obbw_init(order)).toBe(0);
  const nodes = () => [...new Uint8Array(e.memory.buffer, e.obbw_nodes(), e.obbw_node_bytes())].map((b) => b.toString(16).padStart(2, '0')).join('');
  return lines.map((line) => {
    const [op, a, b] = line.split(' ');
    let result = 0;
    let verdict = 0;
    if (op === 'm') result = e.obbw_malloc(Number(a));
    else if (op === 'f') verdict = e.obbw_free(Number(a));
    else {
      result = e.obbw_realloc(Number(a), Number(b));
      verdict = e.obbw_verdict();
    }
    return `${result} ${verdict} ${cString(e.memory, e.obbw_verdict_text(verdict))} ${nodes()}`;
  });
}

describe('the tree widget', () => {
  it("should be built from chapter 04's snapshot, small", () => {
    expect(wasm.problem).toBeUndefined();
    expect(wasm.slug).toMatch(/^\d+-one-byte-a-block$/);
    expect(wasm.bytes).toBeGreaterThan(1000);
    expect(wasm.bytes).toBeLessThan(16 * 1024);
  });

  it('should say why, and leave no .wasm behind, when the compiler is missing', () => {
    const folder = join(OUT, 'without-clang');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'stale.wasm'), '');
    const result = buildTreeWasm(ROOT, { folder, cc: 'clang-obb-not-installed' });
    expect(result.file).toBeUndefined();
    expect(result.problem).toMatch(/clang-obb-not-installed was not found/);
    expect(existsSync(folder)).toBe(false);
  });

  for (const [order, seed] of [[8, 1], [8, 7], [10, 3], [12, 5]] as const) {
    it(`should give the native tree's results, verdicts and nibbles, call by call (${2 ** order} B, seed ${seed})`, async () => {
      const { lines, output } = await nativeRun(order, seed, order === 12 ? 400 : 200);
      // The sequence must exercise what it claims to: blocks, refusals of both kinds, merges.
      expect(output.some((l) => l.startsWith('-1 '))).toBe(true);
      expect(output.some((l) => l.split(' ')[1] === '1')).toBe(true);
      expect(output.some((l) => l.split(' ')[1] === '2')).toBe(true);
      expect(wasmRun(await load(), order, lines)).toEqual(output);
    });
  }

  it('should keep and shift the hints as the native build does, past OBB_HINTS frees at one depth', async () => {
    // Fill 4 KiB with 16-byte blocks, free every other one (no merges: 128 hints at the
    // leaves, where 8 are kept, the oldest shifted out with memmove), then allocate again.
    const lines = [
      ...Array.from({ length: 256 }, () => 'm 16'),
      ...Array.from({ length: 128 }, (_, i) => `f ${32 * i}`),
      ...Array.from({ length: 24 }, () => 'm 16'),
    ];
    const native = talk(driver, ['12']);
    const output: string[] = [];
    for (const line of lines) output.push(await native.ask(line));
    native.close();
    const wasmOutput = wasmRun(await load(), 12, lines);
    expect(wasmOutput.slice(-24).map((l) => Number(l.split(' ')[0]))).toEqual(output.slice(-24).map((l) => Number(l.split(' ')[0])));
    expect(wasmOutput).toEqual(output);
  });

  it("should leave the chapter's worked example drawn as the chapter draws it", async () => {
    const text = readFileSync(join(ROOT, 'docs/04-one-byte-a-block.md'), 'utf8');
    const fences: Code[] = [];
    visit(unified().use(remarkParse).parse(text), 'code', (node: Code) => void fences.push(node));
    const script = fences.find((f) => f.lang === WIDGET_FENCE);
    expect(script, 'chapter 04 has no tree-widget fence').toBeDefined();
    // The diagram just before it: "n20["20: allocated (16 B at 64)"]" and so on.
    const diagram = fences.filter((f) => f.lang === 'mermaid' && (f.position?.start.line ?? 0) < script!.position!.start.line).at(-1)!;
    const drawn = new Map([...diagram.value.matchAll(/n(\d+)\["\1: ([a-z, ]+?)(?: \(|")/g)].map((m) => [Number(m[1]), m[2]!]));
    expect(drawn.size).toBeGreaterThan(5);

    const session = new TreeSession(await load());
    for (const line of script!.value.split('\n').filter((l) => l.trim() !== '')) {
      const command = parseCommand(line);
      if ('error' in command) throw new Error(command.error);
      expect(session.run(command).ok).toBe(true);
    }
    const live = liveNodes(session.nodes(), session.order, session.minOrder, session.states);
    const names = new Map(live.map((node) => [node.n, session.states[node.state]!.name]));
    expect([...names.keys()].sort((a, b) => a - b)).toEqual([...drawn.keys()].sort((a, b) => a - b));
    for (const [n, words] of drawn) expect(names.get(n), `node ${n}`).toMatch(new RegExp(`^${words}`));
  });

  it('should report a bad free with the verdict the C returns, and change nothing', async () => {
    const session = new TreeSession(await load());
    session.run({ op: 'malloc', size: 64 });
    session.run({ op: 'malloc', size: 16 });
    const before = session.nodes();
    const inside = session.run({ op: 'free', target: { name: 'a', delta: 16 } });
    expect(inside.ok).toBe(false);
    expect(inside.verdict).toBe('pointer is not the start of a block');
    expect(session.run({ op: 'free', target: { name: 'b', delta: 0 } }).ok).toBe(true);
    const twice = session.run({ op: 'free', target: { name: 'b', delta: 0 } });
    expect(twice.verdict).toBe('block is not allocated (double free?)');
    expect(twice.changed).toEqual([]);
    expect(inside.changed).toEqual([]);
    expect(before.length).toBe(16);
  });
});
