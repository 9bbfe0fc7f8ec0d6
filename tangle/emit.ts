// Emit: a checked snapshot -> the text of each file it holds.
//
// C files get #line directives so that compiler messages and gdb point into the
// chapter's Markdown; other files (a Makefile) are plain expansions.

import type { Block } from './parse.ts';
import type { Snapshot } from './resolve.ts';

/** A file's text, by path relative to the snapshot's folder. */
export type Files = Map<string, string>;

export function isC(path: string): boolean {
  return path.endsWith('.c') || path.endsWith('.h');
}

interface Origin {
  file: string;
  line: number;
}

interface Out {
  lines: string[];
  withLines: boolean;
  next: Origin | undefined; // where the preprocessor thinks the next line comes from
}

function emitLine(out: Out, indent: string, text: string, origin: Origin): void {
  if (out.withLines && (out.next?.file !== origin.file || out.next.line !== origin.line)) {
    out.lines.push(`${indent}#line ${origin.line} "${origin.file}"`);
  }
  out.lines.push(text === '' ? '' : indent + text);
  out.next = { file: origin.file, line: origin.line + 1 };
}

function expandBlocks(snapshot: Snapshot, blocks: readonly Block[], indent: string, out: Out): void {
  for (const block of blocks) {
    const references = new Map(block.references.map((r) => [r.index, r]));
    block.lines.forEach((text, index) => {
      const reference = references.get(index);
      if (reference) {
        // resolve has checked that every reference exists and that there is no cycle.
        expandBlocks(snapshot, snapshot.chunks.get(reference.name)!, indent + reference.indent, out);
      } else {
        emitLine(out, indent, text, { file: block.chapter.file, line: block.firstLine + index });
      }
    });
  }
}

export function emitFile(snapshot: Snapshot, path: string): string {
  const out: Out = { lines: [], withLines: isC(path), next: undefined };
  expandBlocks(snapshot, snapshot.roots.get(path) ?? [], '', out);
  return out.lines.map((line) => `${line}\n`).join('');
}

export function emitSnapshot(snapshot: Snapshot): Files {
  const files: Files = new Map();
  for (const path of [...snapshot.roots.keys()].sort()) files.set(path, emitFile(snapshot, path));
  return files;
}
