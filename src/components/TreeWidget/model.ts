// The tree widget's model: the chapter's C (compiled to WebAssembly) does every operation;
// this file only calls it, reads the nibbles it wrote, and puts words to them.
//
// No allocation decision is made here. The walk below reads the nibbles the way the
// chapter's census does (a node is a block when it is free or allocated, split otherwise)
// to draw them; names come from the C's own tables (left_fill, right_fill).

/** What wasm/tree-widget.c exports. */
export interface TreeExports {
  memory: WebAssembly.Memory;
  obbw_init(order: number): number;
  obbw_malloc(size: number): number;
  obbw_free(offset: number): number;
  obbw_usable(offset: number): number;
  obbw_realloc(offset: number, size: number): number;
  obbw_verdict(): number;
  obbw_verdict_text(verdict: number): number;
  obbw_nodes(): number;
  obbw_node_bytes(): number;
  obbw_min_order(): number;
  obbw_states(): number;
  obbw_free_state(): number;
  obbw_allocated_state(): number;
  obbw_left_fill(state: number): number;
  obbw_right_fill(state: number): number;
}

export const MIN_REGION_ORDER = 8; // 256 B
export const MAX_REGION_ORDER = 12; // 4 KiB
export const VERDICT_VALID = 0;

export type Fill = 'free' | 'used' | 'full'; // the chapter's words for EMPTY, PART, FULL
const FILLS: Fill[] = ['free', 'used', 'full'];

export interface StateInfo {
  value: number;
  name: string; // "left used, right full", as the chapter's table says it
  kind: 'free' | 'allocated' | 'split';
  left?: Fill;
  right?: Fill;
}

/** Names a split state the way the chapter does: the left half first, "both" when alike. */
export function splitName(left: Fill, right: Fill): string {
  if (left === right) return `both ${left}`;
  return `left ${left}, right ${right}`;
}

export function readStates(e: TreeExports): StateInfo[] {
  const free = e.obbw_free_state();
  const allocated = e.obbw_allocated_state();
  return Array.from({ length: e.obbw_states() }, (_, value): StateInfo => {
    if (value === free) return { value, name: 'free', kind: 'free' };
    if (value === allocated) return { value, name: 'allocated at this level', kind: 'allocated' };
    const left = FILLS[e.obbw_left_fill(value)]!;
    const right = FILLS[e.obbw_right_fill(value)]!;
    return { value, name: splitName(left, right), kind: 'split', left, right };
  });
}

export function cString(memory: WebAssembly.Memory, at: number): string {
  const bytes = new Uint8Array(memory.buffer);
  let end = at;
  while (bytes[end] !== 0) end += 1;
  return new TextDecoder().decode(bytes.subarray(at, end));
}

/** The nibble of node n: byte n / 2, the low nibble when n is even. */
export function nibble(nodes: Uint8Array, n: number): number {
  return ((nodes[n >> 1] ?? 0) >> ((n & 1) * 4)) & 0xf;
}

export interface TreeNode {
  n: number;
  depth: number;
  offset: number;
  size: number;
  state: number;
}

/** Node n's depth, the position of its highest set bit. */
export function depthOf(n: number): number {
  return 31 - Math.clz32(n);
}

/** The nodes that carry information: the root, and the children of every split node. */
export function liveNodes(nodes: Uint8Array, order: number, minOrder: number, states: StateInfo[]): TreeNode[] {
  const out: TreeNode[] = [];
  const maxDepth = order - minOrder;
  const visit = (n: number, depth: number) => {
    const size = 2 ** (order - depth);
    const state = nibble(nodes, n);
    out.push({ n, depth, offset: (n - 2 ** depth) * size, size, state });
    if (states[state]?.kind === 'split' && depth < maxDepth) {
      visit(2 * n, depth + 1);
      visit(2 * n + 1, depth + 1);
    }
  };
  visit(1, 0);
  return out;
}

/** The blocks, in address order: the live nodes that are not split. */
export function blocksOf(live: TreeNode[], states: StateInfo[]): TreeNode[] {
  return live.filter((node) => states[node.state]?.kind !== 'split').sort((a, b) => a.offset - b.offset);
}

/** The node of the block of `size` bytes at `offset`. */
export function nodeOf(order: number, offset: number, size: number): number {
  const depth = order - Math.log2(size);
  return 2 ** depth + offset / size;
}


// ---------------------------------------------------------------------------------------
// Commands: what the reader types.

export type Target = { name: string; delta: number } | { offset: number };
export type Command =
  | { op: 'malloc'; size: number }
  | { op: 'free'; target: Target }
  | { op: 'realloc'; target: Target; size: number }
  | { op: 'region'; bytes: number }
  | { op: 'reset' };

const NUMBER = /^(0x[0-9a-f]+|\d+)$/i;

function parseNumber(word: string | undefined): number | undefined {
  if (word === undefined || !NUMBER.test(word)) return undefined;
  const value = Number(word);
  return Number.isSafeInteger(value) ? value : undefined;
}

function parseTarget(word: string | undefined): Target | undefined {
  if (word === undefined) return undefined;
  const offset = parseNumber(word);
  if (offset !== undefined) return { offset };
  const match = /^([a-z]+)(?:([+-])(0x[0-9a-f]+|\d+))?$/i.exec(word);
  if (!match) return undefined;
  const delta = match[3] === undefined ? 0 : Number(match[3]) * (match[2] === '-' ? -1 : 1);
  return { name: match[1]!.toLowerCase(), delta };
}

export const COMMAND_HELP =
  'malloc SIZE · free NAME (or NAME+BYTES, or an offset such as 0x40) · realloc NAME SIZE · region BYTES · reset';

/** One line of the command box, or the reason it is not a command. */
export function parseCommand(line: string): Command | { error: string } {
  const words = line.trim().replace(/[(),]/g, ' ').split(/\s+/).filter((w) => w !== '');
  const [verb, first, second] = words;
  const bad = { error: `Not a command: "${line.trim()}". Try ${COMMAND_HELP}.` };
  switch (verb?.toLowerCase()) {
    case 'malloc': {
      const size = parseNumber(first);
      return size === undefined || words.length !== 2 ? bad : { op: 'malloc', size };
    }
    case 'free': {
      const target = parseTarget(first);
      return target === undefined || words.length !== 2 ? bad : { op: 'free', target };
    }
    case 'realloc': {
      const target = parseTarget(first);
      const size = parseNumber(second);
      return target === undefined || size === undefined || words.length !== 3 ? bad : { op: 'realloc', target, size };
    }
    case 'region': {
      const bytes = parseNumber(first);
      const order = bytes === undefined ? NaN : Math.log2(bytes);
      if (!Number.isInteger(order) || order < MIN_REGION_ORDER || order > MAX_REGION_ORDER) {
        return { error: 'A region is 256, 512, 1024, 2048 or 4096 bytes.' };
      }
      return { op: 'region', bytes: bytes! };
    }
    case 'reset':
      return words.length === 1 ? { op: 'reset' } : bad;
    default:
      return bad;
  }
}

/** Block names in the order of the mallocs: a, b, …, z, aa, ab, … */
export function blockName(index: number): string {
  let name = '';
  for (let i = index + 1; i > 0; i = Math.floor((i - 1) / 26)) name = String.fromCharCode(97 + ((i - 1) % 26)) + name;
  return name;
}

export function hex(value: number, digits = 3): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}
