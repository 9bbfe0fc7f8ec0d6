// Parse: one chapter's Markdown -> its literate blocks.
//
// Markdown is read with remark (unified + remark-parse), never with regular expressions;
// only the fence's info string and single lines of code are examined as text.

import type { Code, Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { diagnostic, type Diagnostic, type Position } from './diagnostics.ts';

export interface Chapter {
  file: string; // path from the repository root: docs/03-buddies.md
  number: number; // 3
  slug: string; // 03-buddies (the snapshot's folder name)
  id: string; // buddies (the document id Docusaurus gives it)
}

export type Kind = 'root' | 'chunk' | 'illustration';
export type Mode = 'define' | 'append' | 'replace';

export interface FenceMeta {
  kind: Kind;
  name: string; // the normalized chunk name, or the root's file path; '' for an illustration
  mode: Mode;
  docusaurus: string[]; // words Docusaurus itself understands (title=, showLineNumbers, {1,3})
}

export interface MetaProblem {
  offset: number; // 0-based offset into the meta string
  message: string;
}

export interface Reference {
  name: string;
  indent: string;
  line: number; // where the reference stands in the chapter
  column: number; // the column of its "<<"
  index: number; // its line's index in the block's body
}

export interface Block extends FenceMeta {
  chapter: Chapter;
  ordinal: number; // 0-based among the chapter's literate blocks
  lang: string;
  position: Position; // the opening fence
  firstLine: number; // the chapter line of the body's first line
  lines: string[];
  references: Reference[];
}

export interface ParsedChapter {
  chapter: Chapter;
  blocks: Block[];
  diagnostics: Diagnostic[];
}

const FORBIDDEN_IN_NAME = /[<>"]/;
const REFERENCE = /^([ \t]*)<<([^<>"]+)>>[ \t]*$/;
const LINE_RANGES = /^\{[\d,\s-]*\}$/;
const DOCUSAURUS_KEYS = new Set(['title', 'showLineNumbers']);

/** Names are compared after trimming, collapsing inner white space and Unicode NFC. */
export function normalizeName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

interface Word {
  key: string;
  value?: string;
  offset: number;
  end: number; // just past the word, closing quote included
}

/** Splits an info string into words: key, key=value or key="a quoted value". */
function splitMeta(meta: string): { words: Word[]; problems: MetaProblem[] } {
  const words: Word[] = [];
  const problems: MetaProblem[] = [];
  let i = 0;
  while (i < meta.length) {
    if (/\s/.test(meta[i]!)) {
      i += 1;
      continue;
    }
    const start = i;
    if (meta[i] === '{') {
      const end = meta.indexOf('}', i);
      i = end < 0 ? meta.length : end + 1;
      words.push({ key: meta.slice(start, i), offset: start, end: i });
      continue;
    }
    while (i < meta.length && !/[\s=]/.test(meta[i]!)) i += 1;
    const key = meta.slice(start, i);
    if (meta[i] !== '=') {
      words.push({ key, offset: start, end: i });
      continue;
    }
    i += 1;
    if (meta[i] === '"') {
      const close = meta.indexOf('"', i + 1);
      if (close < 0) {
        problems.push({ offset: start, message: `unterminated quoted value for "${key}"` });
        return { words, problems };
      }
      words.push({ key, value: meta.slice(i + 1, close), offset: start, end: close + 1 });
      i = close + 1;
    } else {
      const valueStart = i;
      while (i < meta.length && !/\s/.test(meta[i]!)) i += 1;
      words.push({ key, value: meta.slice(valueStart, i), offset: start, end: i });
    }
  }
  return { words, problems };
}

function checkFilePath(path: string): string | undefined {
  if (path === '') return 'file= needs a path';
  if (path.startsWith('/')) return `file path "${path}" must be relative`;
  if (path.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    return `file path "${path}" must not contain empty, "." or ".." parts`;
  }
  if (FORBIDDEN_IN_NAME.test(path) || /\s/.test(path)) return `file path "${path}" has a forbidden character`;
  return undefined;
}

function checkChunkName(name: string): string | undefined {
  if (name === '') return 'chunk= needs a name';
  if (FORBIDDEN_IN_NAME.test(name)) return `chunk name "${name}" may not contain <, > or "`;
  return undefined;
}

/**
 * Reads a fence's language and meta the way both the tangler and the weave must:
 * this is the only place that decides whether a block is literate.
 */
export function parseFenceMeta(
  lang: string | null | undefined,
  meta: string | null | undefined,
): { meta: FenceMeta; problems: MetaProblem[] } {
  const result: FenceMeta = { kind: 'illustration', name: '', mode: 'define', docusaurus: [] };
  const text = meta ?? '';
  const { words, problems } = splitMeta(text);
  if (lang && (lang.includes('=') || lang === 'append' || lang === 'replace')) {
    problems.push({ offset: -1, message: `a literate fence needs a language before "${lang}"` });
  }
  const seen = new Set<string>();
  for (const word of words) {
    const at = word.offset;
    if (seen.has(word.key) && !word.key.startsWith('{')) {
      problems.push({ offset: at, message: `"${word.key}" given twice` });
      continue;
    }
    seen.add(word.key);
    if (word.key === 'file' || word.key === 'chunk') {
      if (result.kind !== 'illustration') {
        problems.push({ offset: at, message: 'a block takes either file= or chunk=, not both' });
        continue;
      }
      if (word.value === undefined) {
        problems.push({ offset: at, message: `"${word.key}" needs a value: ${word.key}=...` });
        continue;
      }
      const name = word.key === 'file' ? word.value : normalizeName(word.value);
      const problem = word.key === 'file' ? checkFilePath(name) : checkChunkName(name);
      if (problem) problems.push({ offset: at, message: problem });
      result.kind = word.key === 'file' ? 'root' : 'chunk';
      result.name = name;
    } else if ((word.key === 'append' || word.key === 'replace') && word.value === undefined) {
      if (result.mode !== 'define') {
        problems.push({ offset: at, message: 'a block takes either append or replace, not both' });
      }
      result.mode = word.key;
    } else if (DOCUSAURUS_KEYS.has(word.key) || LINE_RANGES.test(word.key)) {
      result.docusaurus.push(text.slice(word.offset, word.end));
    } else {
      problems.push({ offset: at, message: `unknown fence key "${word.key}"` });
    }
  }
  if (result.kind === 'illustration' && result.mode !== 'define') {
    problems.push({ offset: 0, message: `"${result.mode}" needs chunk= or file=` });
  }
  return { meta: result, problems };
}

/** Where, in the chapter's own text, the fence's meta begins (for error columns). */
function metaColumn(sourceLine: string, meta: string): number {
  const at = sourceLine.lastIndexOf(meta);
  return at < 0 ? 1 : at + 1;
}

function findReferences(lines: readonly string[], firstLine: number, source: readonly string[]): Reference[] {
  const references: Reference[] = [];
  lines.forEach((text, index) => {
    const match = REFERENCE.exec(text);
    if (!match) return;
    const line = firstLine + index;
    const sourceLine = source[line - 1] ?? text;
    references.push({
      name: normalizeName(match[2]!),
      indent: match[1]!,
      line,
      column: sourceLine.indexOf('<<') + 1,
      index,
    });
  });
  return references;
}

/** A reference after a line ending in a backslash would put a #line inside a macro. */
function checkContinuations(block: Block): Diagnostic[] {
  return block.references
    .filter((ref) => ref.index > 0 && /\\[ \t]*$/.test(block.lines[ref.index - 1]!))
    .map((ref) =>
      diagnostic(
        { file: block.chapter.file, line: ref.line, column: ref.column },
        `reference to "${ref.name}" follows a line ending in "\\"`,
      ),
    );
}

export function parseMarkdown(text: string): Root {
  return unified().use(remarkParse).parse(text);
}

export function parseChapter(chapter: Chapter, text: string): ParsedChapter {
  const source = text.split(/\r?\n/);
  const blocks: Block[] = [];
  const diagnostics: Diagnostic[] = [];
  visit(parseMarkdown(text), 'code', (node: Code) => {
    const start = node.position?.start ?? { line: 1, column: 1 };
    const fence = source[start.line - 1] ?? '';
    const isFenced = /^(```|~~~)/.test(fence.slice(start.column - 1));
    if (!isFenced) return; // an indented code block has no meta: never literate
    const { meta, problems } = parseFenceMeta(node.lang, node.meta);
    for (const problem of problems) {
      const column = problem.offset < 0 ? start.column : metaColumn(fence, node.meta ?? '') + problem.offset;
      diagnostics.push(diagnostic({ file: chapter.file, line: start.line, column }, problem.message));
    }
    if (meta.kind === 'illustration' || problems.length > 0) return;
    const lines = node.value === '' ? [] : node.value.split(/\r?\n/);
    const firstLine = start.line + 1;
    const block: Block = {
      ...meta,
      chapter,
      ordinal: blocks.length,
      lang: node.lang ?? '',
      position: { file: chapter.file, line: start.line, column: start.column },
      firstLine,
      lines,
      references: findReferences(lines, firstLine, source),
    };
    diagnostics.push(...checkContinuations(block));
    blocks.push(block);
  });
  return { chapter, blocks, diagnostics };
}
