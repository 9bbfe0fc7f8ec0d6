// Chapters: which files of docs/ are chapters, and in what order.
//
// A chapter is docs/NN-slug.md (or .mdx); the book's order is the numeric order of NN.

import { diagnostic, type Diagnostic } from './diagnostics.ts';
import type { Chapter } from './parse.ts';

const CHAPTER_FILE = /^(\d+)-([a-z0-9][a-z0-9-]*)\.mdx?$/;

export function chapterOf(folder: string, fileName: string): Chapter | undefined {
  const match = CHAPTER_FILE.exec(fileName);
  if (!match) return undefined;
  return {
    file: `${folder}/${fileName}`,
    number: Number(match[1]),
    slug: `${match[1]}-${match[2]}`,
    id: match[2]!,
  };
}

/** Orders the chapters found among a folder's file names; two chapters may not share a number. */
export function orderChapters(folder: string, fileNames: readonly string[]): { chapters: Chapter[]; diagnostics: Diagnostic[] } {
  const chapters = fileNames
    .map((name) => chapterOf(folder, name))
    .filter((c): c is Chapter => c !== undefined)
    .sort((a, b) => a.number - b.number || a.file.localeCompare(b.file));
  const diagnostics: Diagnostic[] = [];
  chapters.forEach((chapter, i) => {
    const before = chapters[i - 1];
    if (before && before.number === chapter.number) {
      diagnostics.push(
        diagnostic({ file: chapter.file, line: 1, column: 1 }, `chapter number ${chapter.number} is also used by ${before.file}`),
      );
    }
  });
  return { chapters, diagnostics };
}
