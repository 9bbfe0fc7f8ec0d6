// Resolve: the parsed chapters -> the chunk table of every chapter's snapshot, checked.
//
// The snapshot of chapter N is what the blocks of chapters 1..N say, in book order:
// a definition starts a chunk, append adds to it, replace starts it again.

import { diagnostic, formatPosition, type Diagnostic } from './diagnostics.ts';
import type { Block, Chapter, ParsedChapter, Reference } from './parse.ts';

/** A chunk's body at some point of the book: the blocks that make it, in order. */
export type Table = Map<string, Block[]>;

export interface Snapshot {
  chapter: Chapter;
  roots: Table; // file path -> blocks
  chunks: Table; // chunk name -> blocks
}

export interface Use {
  block: Block;
  reference: Reference;
}

/** Everything the book says about one chunk or root, for `list` and the weave. */
export interface Entry {
  kind: 'root' | 'chunk';
  name: string;
  blocks: Block[]; // every block that defines, appends to or replaces it, in book order
  uses: Use[]; // every reference to it, in book order
}

export interface Book {
  chapters: Chapter[];
  snapshots: Snapshot[];
  roots: Map<string, Entry>;
  chunks: Map<string, Entry>;
  diagnostics: Diagnostic[];
}

function tableOf(snapshot: Snapshot, block: Block): Table {
  return block.kind === 'root' ? snapshot.roots : snapshot.chunks;
}

function describe(block: Block): string {
  return block.kind === 'root' ? `file "${block.name}"` : `chunk "${block.name}"`;
}

function entryOf(book: Book, kind: 'root' | 'chunk', name: string): Entry {
  const entries = kind === 'root' ? book.roots : book.chunks;
  let entry = entries.get(name);
  if (!entry) {
    entry = { kind, name, blocks: [], uses: [] };
    entries.set(name, entry);
  }
  return entry;
}

/** Applies one block to the chunk table, or says why it cannot be applied. */
function applyBlock(table: Table, block: Block, allBlocks: readonly Block[]): Diagnostic | undefined {
  const current = table.get(block.name);
  if (block.mode === 'define') {
    if (current) {
      return diagnostic(
        block.position,
        `second definition of ${describe(block)} (first defined at ${formatPosition(current[0]!.position)}); use append or replace`,
      );
    }
    table.set(block.name, [block]);
    return undefined;
  }
  if (!current) {
    const later = allBlocks.find((b) => b.kind === block.kind && b.name === block.name && b.mode === 'define');
    const hint = later ? ` (it is defined later, at ${formatPosition(later.position)})` : '';
    const verb = block.mode === 'append' ? 'append to' : 'replace';
    return diagnostic(block.position, `cannot ${verb} ${describe(block)}: it is not defined yet${hint}`);
  }
  table.set(block.name, block.mode === 'append' ? [...current, block] : [block]);
  return undefined;
}

/**
 * A chapter may show a draft and then replace it (the draft is shown, and is in no
 * snapshot); replacing twice in one chapter would hide the first replace from every
 * snapshot and from the reader's sense of what the chapter builds, so it is refused,
 * at the second replace.
 */
function checkSecondReplace(block: Block, replaced: Map<string, Block>): Diagnostic | undefined {
  if (block.mode !== 'replace') return undefined;
  const key = `${block.kind}:${block.name}`;
  const first = replaced.get(key);
  replaced.set(key, block);
  if (!first) return undefined;
  return diagnostic(
    block.position,
    `${describe(block)} is replaced twice in this chapter (first at ${formatPosition(first.position)}): ` +
      'the first replace would be in no snapshot; merge the two, or make this one an append',
  );
}

/** Builds every chapter's snapshot; returns the blocks that could not be applied. */
function buildSnapshots(chapters: readonly ParsedChapter[], book: Book): Set<Block> {
  const rejected = new Set<Block>();
  const allBlocks = chapters.flatMap((c) => c.blocks);
  let previous: Snapshot | undefined;
  for (const parsed of chapters) {
    const snapshot: Snapshot = {
      chapter: parsed.chapter,
      roots: new Map(previous?.roots),
      chunks: new Map(previous?.chunks),
    };
    const replaced = new Map<string, Block>();
    for (const block of parsed.blocks) {
      entryOf(book, block.kind === 'root' ? 'root' : 'chunk', block.name).blocks.push(block);
      for (const reference of block.references) entryOf(book, 'chunk', reference.name).uses.push({ block, reference });
      const problem = checkSecondReplace(block, replaced) ?? applyBlock(tableOf(snapshot, block), block, allBlocks);
      if (problem) {
        book.diagnostics.push(problem);
        rejected.add(block);
      }
    }
    book.snapshots.push(snapshot);
    previous = snapshot;
  }
  return rejected;
}

/** Walks one snapshot from its roots: marks what it reaches, reports what it cannot reach. */
function walkSnapshot(snapshot: Snapshot, book: Book, reached: Set<Block>): void {
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (blocks: readonly Block[]): void => {
    for (const block of blocks) {
      reached.add(block);
      for (const reference of block.references) checkReference(block, reference);
    }
  };
  const checkReference = (block: Block, reference: Reference): void => {
    const at = { file: block.chapter.file, line: reference.line, column: reference.column };
    const name = reference.name;
    if (stack.includes(name)) {
      const path = [...stack.slice(stack.indexOf(name)), name].map((n) => `"${n}"`).join(' -> ');
      book.diagnostics.push(diagnostic(at, `cycle: ${path}`));
      return;
    }
    const target = snapshot.chunks.get(name);
    if (!target) {
      book.diagnostics.push(diagnostic(at, missingMessage(book, snapshot, name)));
      return;
    }
    if (done.has(name)) return;
    stack.push(name);
    visit(target);
    stack.pop();
    done.add(name);
  };
  for (const [path, blocks] of snapshot.roots) {
    stack.push(`file ${path}`);
    visit(blocks);
    stack.pop();
  }
}

function missingMessage(book: Book, snapshot: Snapshot, name: string): string {
  const definition = book.chunks.get(name)?.blocks.find((b) => b.mode === 'define');
  if (definition && definition.chapter.number > snapshot.chapter.number) {
    return `chunk "${name}" is used before its chapter: it is first defined in a later chapter, at ${formatPosition(definition.position)}`;
  }
  return `reference to undefined chunk "${name}"`;
}

/** Blocks that a later replace in their own chapter supersedes: a draft, shown and then bettered. */
function draftsOf(chapters: readonly ParsedChapter[], rejected: Set<Block>): Set<Block> {
  const drafts = new Set<Block>();
  for (const { blocks } of chapters) {
    blocks.forEach((block, i) => {
      if (block.mode !== 'replace' || rejected.has(block)) return;
      for (const earlier of blocks.slice(0, i)) if (earlier.kind === block.kind && earlier.name === block.name) drafts.add(earlier);
    });
  }
  return drafts;
}

function reportUnreached(chapters: readonly ParsedChapter[], reached: Set<Block>, rejected: Set<Block>, book: Book): void {
  const drafts = draftsOf(chapters, rejected);
  for (const block of chapters.flatMap((c) => c.blocks)) {
    // A rejected block has been reported already; it is not also "never used". A draft
    // replaced in its own chapter is reached by name, through the block that replaces it.
    if (reached.has(block) || rejected.has(block) || drafts.has(block)) continue;
    const what = block.mode === 'define' ? `${describe(block)} is` : `this ${block.mode} of ${describe(block)} is`;
    book.diagnostics.push(diagnostic(block.position, `${what} never used: no chapter's snapshot reaches it`));
  }
}

export function resolveBook(chapters: readonly ParsedChapter[]): Book {
  const book: Book = {
    chapters: chapters.map((c) => c.chapter),
    snapshots: [],
    roots: new Map(),
    chunks: new Map(),
    diagnostics: chapters.flatMap((c) => c.diagnostics),
  };
  const rejected = buildSnapshots(chapters, book);
  const reached = new Set<Block>();
  for (const snapshot of book.snapshots) walkSnapshot(snapshot, book, reached);
  reportUnreached(chapters, reached, rejected, book);
  return book;
}
