// Width: the book's code fits its column, as -Werror keeps it warning-free.
//
// A printed page or the site's text column holds about 78 monospace characters; a code
// line wider than MAX_CODE_COLUMNS would scroll sideways and hide its end (often the
// comment that says why). Every line of every literate block is measured, tabs expanded
// to the next multiple of 8 as an editor shows them, and each line too wide is an error
// at the chapter's file, line and the first column past the limit.

import { diagnostic, type Diagnostic } from './diagnostics.ts';
import type { Block } from './parse.ts';

export const MAX_CODE_COLUMNS = 76;
const TAB = 8;

/** The columns a line takes on screen, and the index of the character that passes `limit`. */
export function measure(line: string, limit = MAX_CODE_COLUMNS): { width: number; over?: number } {
  let width = 0;
  let over: number | undefined;
  let index = 0;
  for (const char of line) {
    width = char === '\t' ? width + TAB - (width % TAB) : width + 1;
    if (over === undefined && width > limit) over = index;
    index += char.length;
  }
  return { width, over };
}

/** One error per literate line wider than MAX_CODE_COLUMNS, at the chapter position of its first excess column. */
export function checkWidths(blocks: readonly Block[], source: readonly string[]): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const block of blocks) {
    block.lines.forEach((text, index) => {
      const { width, over } = measure(text);
      if (over === undefined) return;
      const line = block.firstLine + index;
      const sourceLine = source[line - 1] ?? text;
      // The fence may be indented (in a list): the body's text starts that much further right.
      const indent = Math.max(0, sourceLine.length - text.length);
      found.push(
        diagnostic(
          { file: block.chapter.file, line, column: indent + over + 1 },
          `code line is ${width} columns wide; the book's code fits in ${MAX_CODE_COLUMNS}`,
        ),
      );
    });
  }
  return found;
}
