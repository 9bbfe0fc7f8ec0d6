// Weave, the book-wide half: the resolved book -> what the site says about each literate block.
//
// Pure, like parse and resolve: every anchor id, header and link is computed here, once per
// build, from the same Book the tangler writes snapshots from (site/plugin.ts does that and
// hands the result to every page as global data). A chapter's compiled page holds only what
// its own text says, and finds the rest here by the block's key, "<NN-slug>:<fence line>":
// the bundler caches each page by its own file, so nothing that depends on another chapter
// may be compiled into it.

import type { Block, Chapter, Mode } from '../tangle/parse.ts';
import type { Book, Entry } from '../tangle/resolve.ts';

/** A link from one chapter's page to a block, in that page's terms. */
export interface BlockLink {
  href: string; // "#id" on the same page, "/docs/<chapter id>#id" on another
  id: string; // the target block's anchor id
  name: string; // the chunk's name or the root's file path
  kind: 'root' | 'chunk';
  chapter: number; // the target's chapter number
  label: string; // the target's number in the book: "3.5" is chapter 3's fifth literate block
  here: boolean; // the target is on the page that holds the link
}

export interface WovenBlock {
  key: string; // blockKey(): how the chapter's page asks for this block
  id: string; // the block's anchor id, unique in the book
  label: string; // "3.5": chapter 3's fifth literate block, as headers and links name it
  kind: 'root' | 'chunk';
  mode: Mode;
  name: string;
  chapter: number;
  /** For append: the block that starts the body it extends; for replace: the one it replaces. */
  target?: BlockLink;
  usedIn: BlockLink[]; // blocks whose references this block's body answers
  continuedIn: BlockLink[]; // later appends to the same body
  replacedIn?: BlockLink; // the block that next replaces the body this block belongs to
  /** Reference links by the line's 0-based index in the block's body. */
  references: Record<number, BlockLink>;
}

/** Every literate block of the book by its key: plain JSON, for the pages' global data. */
export type Weave = Record<string, WovenBlock>;

/** A block's key: its chapter's folder name and the line of its opening fence. */
export function blockKey(chapterSlug: string, fenceLine: number): string {
  return `${chapterSlug}:${fenceLine}`;
}

/** Lowercase words joined by "-": a chunk name or path made fit for an HTML id. */
export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

/**
 * Gives every block an anchor id. A definition gets the entry's own id (chunk-<name>,
 * file-<path>); an append or replace adds its chapter's id, so an id changes only when
 * the same chunk gains another block in the same chapter.
 */
function assignIds(book: Book): Map<Block, string> {
  const ids = new Map<Block, string>();
  const taken = new Set<string>();
  const unique = (wanted: string): string => {
    let id = wanted;
    for (let n = 2; taken.has(id); n += 1) id = `${wanted}-${n}`;
    taken.add(id);
    return id;
  };
  const entries = [...book.roots.values(), ...book.chunks.values()];
  for (const entry of entries) {
    const base = `${entry.kind === 'root' ? 'file' : 'chunk'}-${slugify(entry.name)}`;
    for (const block of entry.blocks) {
      const first = block === entry.blocks[0] && block.mode === 'define';
      ids.set(block, unique(first ? base : `${base}--${block.chapter.id}`));
    }
  }
  return ids;
}

/** The block that starts the body a block belongs to: itself, or the define/replace before it. */
function headOf(entry: Entry, block: Block): Block | undefined {
  const at = entry.blocks.indexOf(block);
  for (let i = at; i >= 0; i -= 1) {
    const candidate = entry.blocks[i]!;
    if (candidate.mode !== 'append') return candidate;
  }
  return undefined;
}

/** A block's number in the book, like a noweb chunk number: chapter, then place in it. */
function labelOf(block: Block): string {
  return `${block.chapter.number}.${block.ordinal + 1}`;
}

function inBookOrder(blocks: readonly Block[]): Block[] {
  return [...blocks].sort((a, b) => a.chapter.number - b.chapter.number || a.position.line - b.position.line);
}

export function weaveBook(book: Book, docsRoute: string): Weave {
  const ids = assignIds(book);
  const route = docsRoute.replace(/\/+$/, '');
  const linkTo = (block: Block, from: Chapter): BlockLink => {
    const id = ids.get(block)!;
    const here = block.chapter.file === from.file;
    return {
      href: here ? `#${id}` : `${route}/${block.chapter.id}#${id}`,
      id,
      name: block.name,
      kind: block.kind === 'root' ? 'root' : 'chunk',
      chapter: block.chapter.number,
      label: labelOf(block),
      here,
    };
  };
  const snapshotOf = new Map(book.snapshots.map((s) => [s.chapter.file, s]));

  const blocks = new Map<Block, WovenBlock>();
  const entries = [...book.roots.values(), ...book.chunks.values()];
  for (const entry of entries) {
    entry.blocks.forEach((block, i) => {
      const later = entry.blocks.slice(i + 1);
      const nextReplace = later.findIndex((b) => b.mode === 'replace');
      const sameBody = nextReplace < 0 ? later : later.slice(0, nextReplace);
      const head = headOf(entry, block);
      const previousHead = i > 0 ? headOf(entry, entry.blocks[i - 1]!) : undefined;
      const target = block.mode === 'append' ? head : block.mode === 'replace' ? previousHead : undefined;
      const woven: WovenBlock = {
        key: blockKey(block.chapter.slug, block.position.line),
        id: ids.get(block)!,
        label: labelOf(block),
        kind: block.kind === 'root' ? 'root' : 'chunk',
        mode: block.mode,
        name: block.name,
        chapter: block.chapter.number,
        target: target ? linkTo(target, block.chapter) : undefined,
        usedIn: [],
        continuedIn: sameBody.map((b) => linkTo(b, block.chapter)),
        replacedIn: nextReplace < 0 ? undefined : linkTo(later[nextReplace]!, block.chapter),
        references: {},
      };
      blocks.set(block, woven);
    });
  }
  // Each reference links to the body the chapter's own snapshot gives it.
  for (const [block, woven] of blocks) {
    for (const reference of block.references) {
      const definition = snapshotOf.get(block.chapter.file)?.chunks.get(reference.name)?.[0];
      if (definition) woven.references[reference.index] = linkTo(definition, block.chapter);
      // else resolve has reported it, and the chapter fails to build
    }
  }
  // "Used in": every block that, in some chapter's snapshot, reaches this body by a reference.
  // A block of chapter 2 can use a body that chapter 3 replaces, in chapter 3's snapshot.
  for (const snapshot of book.snapshots) {
    const live = [...snapshot.roots.values(), ...snapshot.chunks.values()].flat();
    for (const user of inBookOrder(live)) {
      for (const reference of user.references) {
        const head = snapshot.chunks.get(reference.name)?.[0];
        const target = head && blocks.get(head);
        if (!target || !head) continue;
        const link = linkTo(user, head.chapter);
        if (!target.usedIn.some((l) => l.id === link.id)) target.usedIn.push(link);
      }
    }
  }
  return Object.fromEntries([...blocks.values()].map((w) => [w.key, w]));
}
