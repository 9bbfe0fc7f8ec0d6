// The tangler as a library: chapter texts in, every snapshot's files (or every error) out.
// Pure: nothing here reads or writes the disk; cli.ts does that.

import { sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { emitSnapshot, type Files } from './emit.ts';
import { parseChapter, type Chapter } from './parse.ts';
import { resolveBook, type Book } from './resolve.ts';
import { checkWidths } from './width.ts';

export interface ChapterSource {
  chapter: Chapter;
  text: string;
}

export interface Tangle {
  book: Book;
  diagnostics: Diagnostic[]; // sorted; when any, nothing may be written
  snapshots: { chapter: Chapter; files: Files }[];
}

export function tangle(sources: readonly ChapterSource[], extra: readonly Diagnostic[] = []): Tangle {
  const parsed = sources.map((s) => parseChapter(s.chapter, s.text));
  const book = resolveBook(parsed);
  const widths = parsed.flatMap((p, i) => checkWidths(p.blocks, sources[i]!.text.split(/\r?\n/)));
  const diagnostics = sortDiagnostics([...extra, ...book.diagnostics, ...widths]);
  const snapshots = diagnostics.length > 0 ? [] : book.snapshots.map((s) => ({ chapter: s.chapter, files: emitSnapshot(s) }));
  return { book, diagnostics, snapshots };
}

export { formatDiagnostic, type Diagnostic } from './diagnostics.ts';
export type { Files } from './emit.ts';
export type { Block, Chapter, Reference } from './parse.ts';
export type { Book, Entry, Snapshot } from './resolve.ts';
