// What the landing page reads from site/chapter-numbers: safe for the browser bundle.

export const TOC_PLUGIN = 'obb-toc';

/**
 * A chapter's number as the book writes it: the NN of its file name, "03". Where only the
 * number is at hand (a block's link), it is written with the same two digits.
 */
export function chapterLabel(number: number): string {
  return String(number).padStart(2, '0');
}

export interface TocEntry {
  number: number;
  label: string; // "03", the NN- prefix of the file name
  title: string; // without its number
  permalink: string;
}
