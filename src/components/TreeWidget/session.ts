// A reader's session with the tree: named blocks, and what each command did. Every change
// to the tree is made by the chapter's C, through the WebAssembly exports.

import {
  VERDICT_VALID,
  blockName,
  cString,
  depthOf,
  hex,
  nibble,
  nodeOf,
  readStates,
  type Command,
  type StateInfo,
  type Target,
  type TreeExports,
} from './model';

export interface Outcome {
  command: string; // as the reader would write it in C
  text: string; // what happened, in words
  ok: boolean;
  verdict?: string; // the C's obb_verdict_text for a pointer it refused
  path: number[]; // the nodes from the root to the block the command was about
  changed: number[]; // the nodes whose nibble the command rewrote
}

interface Named {
  offset: number;
  live: boolean;
}

export class TreeSession {
  readonly states: StateInfo[];
  readonly minOrder: number;
  order = 8;
  private names = new Map<string, Named>();
  private nextName = 0;

  constructor(private readonly e: TreeExports) {
    this.states = readStates(e);
    this.minOrder = e.obbw_min_order();
    this.reset(this.order);
  }

  reset(order: number): void {
    if (this.e.obbw_init(order) !== 0) throw new Error(`Unexpected region order ${order}`);
    this.order = order;
    this.names.clear();
    this.nextName = 0;
  }

  /** A copy of the nibble array as the C left it. */
  nodes(): Uint8Array {
    return new Uint8Array(this.e.memory.buffer, this.e.obbw_nodes(), this.e.obbw_node_bytes()).slice();
  }

  get regionBytes(): number {
    return 2 ** this.order;
  }

  /** The live name of the block at an offset, if the reader's malloc made it. */
  nameAt(offset: number): string | undefined {
    for (const [name, block] of this.names) if (block.live && block.offset === offset) return name;
    return undefined;
  }

  /** The nodes free() reads on its way to the offset: the root, then each split node's half. */
  locatePath(nodes: Uint8Array, offset: number): number[] {
    const path: number[] = [];
    let n = 1;
    for (let d = 0; d <= this.order - this.minOrder; d += 1) {
      path.push(n);
      if (this.states[nibble(nodes, n)]?.kind !== 'split') break;
      n = 2 * n + ((offset >> (this.order - d - 1)) & 1);
    }
    return path;
  }

  run(command: Command): Outcome {
    const before = this.nodes();
    const outcome = this.perform(command, before);
    const after = this.nodes();
    const changed: number[] = [];
    for (let n = 1; n < after.length * 2; n += 1) if (nibble(before, n) !== nibble(after, n)) changed.push(n);
    return { ...outcome, changed };
  }

  private perform(command: Command, before: Uint8Array): Omit<Outcome, 'changed'> {
    switch (command.op) {
      case 'region':
        this.reset(Math.log2(command.bytes));
        return { command: `region ${command.bytes}`, text: `A fresh region of ${command.bytes} bytes: one free node, the root.`, ok: true, path: [1] };
      case 'reset':
        this.reset(this.order);
        return { command: 'reset', text: `A fresh region of ${this.regionBytes} bytes: one free node, the root.`, ok: true, path: [1] };
      case 'malloc':
        return this.malloc(command.size);
      case 'free':
        return this.free(command.target, before);
      case 'realloc':
        return this.realloc(command.target, command.size, before);
    }
  }

  private describe(offset: number): string {
    const size = this.e.obbw_usable(offset);
    return `the ${size}-byte block at ${hex(offset)}, node ${nodeOf(this.order, offset, size)}`;
  }

  private malloc(size: number): Omit<Outcome, 'changed'> {
    const command = `malloc(${size})`;
    const offset = this.e.obbw_malloc(size);
    if (offset < 0) {
      return { command, text: `${command} returns NULL: the tree has no free block of ${size} bytes or more.`, ok: false, path: [] };
    }
    const name = blockName(this.nextName++);
    this.names.set(name, { offset, live: true });
    const usable = this.e.obbw_usable(offset);
    return { command: `${name} = ${command}`, text: `${name} = ${command}: ${this.describe(offset)}.`, ok: true, path: pathTo(nodeOf(this.order, offset, usable)) };
  }

  /** The offset a target names, or why it names none. */
  private resolve(target: Target): { offset: number; label: string } | { error: string } {
    if ('offset' in target) {
      if (target.offset >= this.regionBytes) {
        return { error: `${hex(target.offset)} is outside the ${this.regionBytes}-byte region (the library refuses it before the tree is asked).` };
      }
      return { offset: target.offset, label: hex(target.offset) };
    }
    const block = this.names.get(target.name);
    if (!block) return { error: `No block is called ${target.name}: malloc names them a, b, c, …` };
    const offset = block.offset + target.delta;
    const label = target.delta === 0 ? target.name : `${target.name} ${target.delta < 0 ? '-' : '+'} ${Math.abs(target.delta)}`;
    if (offset < 0 || offset >= this.regionBytes) return { error: `${label} is outside the region.` };
    return { offset, label };
  }

  private refused(command: string, verdict: number, path: number[]): Omit<Outcome, 'changed'> {
    const text = cString(this.e.memory, this.e.obbw_verdict_text(verdict));
    return { command, text: `${command}: the tree refuses it: ${text}.`, ok: false, verdict: text, path };
  }

  private free(target: Target, before: Uint8Array): Omit<Outcome, 'changed'> {
    const where = this.resolve(target);
    if ('error' in where) return { command: 'free', text: where.error, ok: false, path: [] };
    const command = `free(${where.label})`;
    const path = this.locatePath(before, where.offset);
    const size = this.e.obbw_usable(where.offset);
    const verdict = this.e.obbw_free(where.offset);
    if (verdict !== VERDICT_VALID) return this.refused(command, verdict, path);
    this.forget(where.offset);
    const merged = this.mergedUpTo(nodeOf(this.order, where.offset, size));
    const node = nodeOf(this.order, where.offset, size);
    const tail = merged === node ? '' : `; it merged with its buddies up to node ${merged}, ${2 ** (this.order - depthOf(merged))} bytes`;
    return { command, text: `${command}: node ${node} is free again${tail}.`, ok: true, path };
  }

  private realloc(target: Target, size: number, before: Uint8Array): Omit<Outcome, 'changed'> {
    const where = this.resolve(target);
    if ('error' in where) return { command: 'realloc', text: where.error, ok: false, path: [] };
    const command = `realloc(${where.label}, ${size})`;
    const path = this.locatePath(before, where.offset);
    const oldSize = this.e.obbw_usable(where.offset);
    const offset = this.e.obbw_realloc(where.offset, size);
    const verdict = this.e.obbw_verdict();
    if (verdict !== VERDICT_VALID) return this.refused(command, verdict, path);
    if (offset < 0) {
      return { command, text: `${command} returns NULL: no free block of ${size} bytes; the old block stays as it was.`, ok: false, path };
    }
    const usable = this.e.obbw_usable(offset);
    const newPath = pathTo(nodeOf(this.order, offset, usable));
    if (offset === where.offset) {
      return { command, text: `${command}: the block already holds ${usable} bytes, so it stays where it is.`, ok: true, path: newPath };
    }
    const name = this.nameAt(where.offset) ?? blockName(this.nextName++);
    this.forget(where.offset);
    this.names.set(name, { offset, live: true });
    return { command: `${name} = ${command}`, text: `${name} = ${command}: the old block holds ${oldSize} bytes, too few, so it moves to ${this.describe(offset)}; the old one was copied and freed.`, ok: true, path: newPath };
  }

  private forget(offset: number): void {
    for (const block of this.names.values()) if (block.live && block.offset === offset) block.live = false;
  }

  /** After a free: the biggest free block the merges made, climbing while the parent is free. */
  private mergedUpTo(n: number): number {
    const nodes = this.nodes();
    let m = n;
    while (m > 1 && this.states[nibble(nodes, m >> 1)]?.kind === 'free') m >>= 1;
    return m;
  }
}

export function pathTo(n: number): number[] {
  const path: number[] = [];
  for (let m = n; m >= 1; m >>= 1) path.push(m);
  return path.reverse();
}
