// Weave, the highlighting half: shiki options for @shikijs/rehype, and the transformer that
// finishes what weave.ts started.
//
// The remark plugin cannot put links inside code (the highlighter would flatten them), and
// the highlighter knows nothing of the book. So weave.ts leaves data-obb-* properties on each
// code element; after remark-rehype, @shikijs/rehype hands that element to parseMetaString,
// and the transformer below reads the properties back while it builds the highlighted lines:
// a reference line becomes one <a data-obb-ref="<block key>:<line index>"> (the RefLink
// component gives it its href from the book's global data), {1,3-4} lines are marked, and
// the <pre> says whether it is literate or an illustration.

import type { Element, ElementContent } from 'hast';
import type { ShikiTransformer, ShikiTransformerContext } from 'shiki';
import type { Reference } from '../tangle/parse.ts';

/** Properties weave.ts puts on a fence's code element (hast spells data-obb-x as dataObbX). */
export interface WeaveProperties {
  dataObbBlock?: string; // the literate block's key; absent on an illustration
  dataObbTitle?: string;
  dataObbHighlight?: string; // body line numbers, 1-based, comma-separated
  dataObbLineNumbers?: string;
  dataObbRefs?: string; // JSON: [line index, chunk name][]
}

/** Expands Docusaurus's {1,3-4} into line numbers. */
function lineRanges(word: string): number[] {
  const lines: number[] = [];
  for (const part of word.slice(1, -1).split(',')) {
    const [from, to] = part.trim().split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) continue;
    for (let n = from; n <= (to ?? from); n += 1) lines.push(n);
  }
  return lines;
}

/**
 * The properties of one fence, from the Docusaurus words parse.ts kept for us
 * (title="...", showLineNumbers, {1,3-4}) and from the woven block, if it is literate.
 */
export function fenceProperties(
  docusaurus: readonly string[],
  block: string | undefined,
  references: readonly Reference[],
): WeaveProperties {
  const properties: WeaveProperties = {};
  const highlight: number[] = [];
  for (const word of docusaurus) {
    if (word.startsWith('title=')) properties.dataObbTitle = word.slice('title='.length).replace(/^"|"$/g, '');
    else if (word === 'showLineNumbers') properties.dataObbLineNumbers = 'true';
    else if (word.startsWith('{')) highlight.push(...lineRanges(word));
  }
  if (highlight.length > 0) properties.dataObbHighlight = highlight.join(',');
  if (block) {
    properties.dataObbBlock = block;
    properties.dataObbRefs = JSON.stringify(references.map((r) => [r.index, r.name]));
  }
  return properties;
}

interface FenceState {
  block?: string;
  title?: string;
  highlight: Set<number>;
  lineNumbers: boolean;
  refs: Map<number, string>;
}

function readState(meta: Record<string, unknown> | undefined): FenceState {
  const text = (key: string): string | undefined => {
    const value = meta?.[key];
    return typeof value === 'string' ? value : undefined;
  };
  const refs = text('dataObbRefs');
  const highlight = text('dataObbHighlight');
  return {
    block: text('dataObbBlock'),
    title: text('dataObbTitle'),
    highlight: new Set(highlight ? highlight.split(',').map(Number) : []),
    lineNumbers: text('dataObbLineNumbers') === 'true',
    refs: new Map(refs ? (JSON.parse(refs) as [number, string][]) : []),
  };
}

const states = new WeakMap<object, FenceState>();

/** The fence's state, read once per block (the line hook asks for every line). */
function stateOf(context: ShikiTransformerContext): FenceState {
  const meta = context.options.meta as Record<string, unknown> | undefined;
  if (!meta) return readState(undefined);
  let state = states.get(meta);
  if (!state) {
    state = readState(meta);
    states.set(meta, state);
  }
  return state;
}

/** A reference line: its indentation, then the chunk's name as a link, as ⟨name⟩. */
function referenceLine(line: Element, source: string, key: string, name: string): void {
  const indent = /^[ \t]*/.exec(source)?.[0] ?? '';
  const anchor: Element = {
    type: 'element',
    tagName: 'a',
    properties: { className: ['obb-ref'], dataObbRef: key },
    children: [
      { type: 'element', tagName: 'span', properties: { className: ['obb-ref-mark'] }, children: [{ type: 'text', value: '⟨' }] },
      { type: 'text', value: name },
      { type: 'element', tagName: 'span', properties: { className: ['obb-ref-mark'] }, children: [{ type: 'text', value: '⟩' }] },
    ],
  };
  const children: ElementContent[] = indent ? [{ type: 'text', value: indent }, anchor] : [anchor];
  line.children = children;
}

export const weaveTransformer: ShikiTransformer = {
  name: 'obb-weave',
  pre(pre) {
    const state = stateOf(this);
    // Shiki copies meta keys onto <pre> as attributes; the page has no use for them.
    for (const key of Object.keys(pre.properties)) if (key.startsWith('dataObb')) delete pre.properties[key];
    this.addClassToHast(pre, state.block ? 'obb-literate' : 'obb-illustration');
    if (state.lineNumbers) this.addClassToHast(pre, 'obb-line-numbers');
    pre.properties.dataCode = this.source; // the copy button copies the source, <<references>> included
    pre.properties.dataLang = this.options.lang;
    if (state.title && !state.block) pre.properties.dataTitle = state.title;
    return pre;
  },
  code(code) {
    this.addClassToHast(code, 'obb-code');
    return code;
  },
  line(line, number) {
    const state = stateOf(this);
    if (state.highlight.has(number)) this.addClassToHast(line, 'obb-highlighted');
    const name = state.refs.get(number - 1);
    if (name && state.block) {
      referenceLine(line, this.source.split('\n')[number - 1] ?? '', `${state.block}:${number - 1}`, name);
      this.addClassToHast(line, 'obb-ref-line');
    }
    return line;
  },
};

/** Reads the weave's properties off the <pre><code> that @shikijs/rehype is about to replace. */
function parseMetaString(_meta: string, pre: Element): Record<string, unknown> {
  const code = pre.children[0];
  if (!code || code.type !== 'element') return {};
  const { dataObbBlock, dataObbTitle, dataObbHighlight, dataObbLineNumbers, dataObbRefs } = code.properties;
  return { dataObbBlock, dataObbTitle, dataObbHighlight, dataObbLineNumbers, dataObbRefs };
}

/** Options for @shikijs/rehype: both colour schemes, the book's languages, our transformer. */
export const shikiOptions = {
  // Light colours inline; dark ones as --shiki-dark variables that custom.css switches to.
  themes: { light: 'github-light', dark: 'github-dark' },
  langs: ['c', 'cpp', 'asm', 'make', 'shellscript', 'shellsession', 'diff', 'typescript', 'tsx', 'javascript', 'json', 'yaml', 'python', 'markdown'],
  // Every fence goes through shiki, so no block falls back to Prism's look.
  defaultLanguage: 'text',
  fallbackLanguage: 'text',
  parseMetaString,
  transformers: [weaveTransformer],
};
