// The weave on a small book of its own, without building a site: what each block's header,
// anchor and links say (weave-book.ts), what the remark plugin leaves in a chapter's tree
// (weave.ts), and how the highlighter turns a reference line into a link (weave-shiki.ts).

import type { Code, Root } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import remarkParse from 'remark-parse';
import { codeToHast } from 'shiki';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { describe, expect, test } from 'vitest';
import { chapterOf } from '../../tangle/chapters.ts';
import { parseChapter } from '../../tangle/parse.ts';
import { resolveBook } from '../../tangle/resolve.ts';
import { weaveBook, type WovenBlock } from '../../site/weave-book.ts';
import weave from '../../site/weave.ts';
import { fenceProperties, weaveTransformer } from '../../site/weave-shiki.ts';

const FENCE = '```';

const CHAPTERS: Record<string, string> = {
  '01-introduction.md': `---\ntitle: "Introduction"\n---\n\nNo code, one diagram:\n\n${FENCE}mermaid\nflowchart TD\n  A --> B\n${FENCE}\n`,
  '02-pages.md': [
    '---',
    'title: "Pages"',
    '---',
    '',
    'The file:',
    '',
    `${FENCE}c file=src/api.c`,
    '<<api: includes>>',
    '<<api: free>>',
    FENCE,
    '',
    `${FENCE}c chunk="api: includes"`,
    '#include <stddef.h>',
    FENCE,
    '',
    `${FENCE}c chunk="api: free" title="free.c" {1}`,
    'void free(void *p) { (void)p; }',
    FENCE,
    '',
    'An illustration:',
    '',
    `${FENCE}c`,
    'int x = a << b >> c;',
    FENCE,
    '',
  ].join('\n'),
  '03-buddies.md': [
    '---',
    'title: "Buddies"',
    '---',
    '',
    `${FENCE}c chunk="api: includes" append`,
    '#include <string.h>',
    FENCE,
    '',
    `${FENCE}c chunk="api: free" replace`,
    'void free(void *p) {',
    '    <<free: find the block>>',
    '}',
    FENCE,
    '',
    `${FENCE}c chunk="free: find the block"`,
    '(void)p;',
    FENCE,
    '',
  ].join('\n'),
};

function loadBook() {
  const parsed = Object.entries(CHAPTERS).map(([name, text]) => parseChapter(chapterOf('docs', name)!, text));
  const book = resolveBook(parsed);
  expect(book.diagnostics).toEqual([]);
  return weaveBook(book, '/docs');
}

function find(weave: ReturnType<typeof weaveBook>, chapter: number, name: string, mode = 'define'): WovenBlock {
  const found = Object.values(weave).find((w) => w.chapter === chapter && w.name === name && w.mode === mode);
  expect(found, `${name} in chapter ${chapter}`).toBeDefined();
  return found!;
}

describe('weave-book', () => {
  test("should give a definition its chunk's own anchor, and an append or a replace its chapter's", () => {
    const weave = loadBook();
    expect(find(weave, 2, 'src/api.c').id).toBe('file-src-api-c');
    expect(find(weave, 2, 'api: includes').id).toBe('chunk-api-includes');
    expect(find(weave, 3, 'api: includes', 'append').id).toBe('chunk-api-includes--buddies');
    expect(find(weave, 3, 'api: free', 'replace').id).toBe('chunk-api-free--buddies');
    expect(find(weave, 2, 'api: includes').key).toBe('02-pages:12');
  });

  test('should number each block by its chapter and its place there, as headers and links name it', () => {
    const weave = loadBook();
    expect(find(weave, 2, 'src/api.c').label).toBe('2.1');
    expect(find(weave, 3, 'api: free', 'replace').label).toBe('3.2');
    expect(find(weave, 2, 'api: free').replacedIn?.label).toBe('3.2');
  });

  test('should point an append at the body it extends and a replace at the body it replaces', () => {
    const weave = loadBook();
    const append = find(weave, 3, 'api: includes', 'append');
    expect(append.target).toMatchObject({ href: '/docs/pages#chunk-api-includes', chapter: 2, here: false });
    const replace = find(weave, 3, 'api: free', 'replace');
    expect(replace.target).toMatchObject({ href: '/docs/pages#chunk-api-free', chapter: 2 });
    expect(find(weave, 2, 'api: free').target).toBeUndefined();
  });

  test("should link a reference to the body the reader's chapter tangles", () => {
    const weave = loadBook();
    const root = find(weave, 2, 'src/api.c');
    expect(root.references[1]).toMatchObject({ href: '#chunk-api-free', name: 'api: free', here: true });
    const replace = find(weave, 3, 'api: free', 'replace');
    expect(replace.references[1]).toMatchObject({ href: '#chunk-free-find-the-block', here: true });
  });

  test('should list, under "used in" of a replacement, the earlier chapter\'s block that reaches it', () => {
    const weave = loadBook();
    const replace = find(weave, 3, 'api: free', 'replace');
    expect(replace.usedIn.map((l) => l.href)).toEqual(['/docs/pages#file-src-api-c']);
    expect(find(weave, 3, 'free: find the block').usedIn.map((l) => l.href)).toEqual(['#chunk-api-free--buddies']);
  });

  test('should list later appends under "continued in" and the next replace under "replaced in"', () => {
    const weave = loadBook();
    const includes = find(weave, 2, 'api: includes');
    expect(includes.continuedIn.map((l) => l.href)).toEqual(['/docs/buddies#chunk-api-includes--buddies']);
    const free = find(weave, 2, 'api: free');
    expect(free.continuedIn).toEqual([]);
    expect(free.replacedIn?.href).toBe('/docs/buddies#chunk-api-free--buddies');
  });

  test('should show a draft replaced in its own chapter as replaced below, on the same page', () => {
    const text = [
      `${FENCE}c file=src/a.c`, '<<count>>', FENCE, '',
      `${FENCE}c chunk="count"`, 'int count;', FENCE, '',
      `${FENCE}c chunk="count" replace`, 'int count = 0;', FENCE, '',
    ].join('\n');
    const book = resolveBook([parseChapter(chapterOf('docs', '02-pages.md')!, text)]);
    expect(book.diagnostics).toEqual([]);
    const weave = weaveBook(book, '/docs');
    const draft = find(weave, 2, 'count');
    expect(draft.replacedIn).toMatchObject({ here: true, label: '2.3', href: '#chunk-count--pages' });
    expect(find(weave, 2, 'count', 'replace').target).toMatchObject({ here: true, href: '#chunk-count' });
  });
});

function weaveChapter(name: string, text = CHAPTERS[name]!): Root {
  const processor = unified().use(remarkParse).use(weave, { root: '/book' });
  const tree = processor.parse(text);
  processor.runSync(tree, { path: `/book/docs/${name}`, value: text });
  return tree;
}

function elements(tree: Root, name: string): MdxJsxFlowElement[] {
  const found: MdxJsxFlowElement[] = [];
  visit(tree, 'mdxJsxFlowElement', (node: MdxJsxFlowElement) => {
    if (node.name === name) found.push(node);
  });
  return found;
}

function props(node: MdxJsxFlowElement): Record<string, unknown> {
  return Object.fromEntries(node.attributes.map((a) => [a.type === 'mdxJsxAttribute' ? a.name : '', a.value]));
}

describe('weave, the remark plugin', () => {
  test('should wrap each literate fence in a LiterateBlock with its key and leave an illustration bare', () => {
    const tree = weaveChapter('02-pages.md');
    const blocks = elements(tree, 'LiterateBlock');
    expect(blocks.map(props)).toEqual([
      { block: '02-pages:7', kind: 'root', mode: 'define', name: 'src/api.c' },
      { block: '02-pages:12', kind: 'chunk', mode: 'define', name: 'api: includes' },
      { block: '02-pages:16', kind: 'chunk', mode: 'define', name: 'api: free', title: 'free.c' },
    ]);
    expect(blocks.every((b) => b.children.length === 1 && b.children[0]!.type === 'code')).toBe(true);
    const bare = tree.children.filter((n): n is Code => n.type === 'code');
    expect(bare.map((c) => c.value)).toEqual(['int x = a << b >> c;']);
  });

  test("should end every chapter with its code, and leave Mermaid's fences to Docusaurus", () => {
    const tree = weaveChapter('01-introduction.md');
    expect(elements(tree, 'LiterateBlock')).toEqual([]);
    expect(tree.children.some((n) => n.type === 'code' && n.lang === 'mermaid')).toBe(true);
    expect(props(tree.children.at(-1) as MdxJsxFlowElement)).toEqual({ slug: '01-introduction' });
  });

  test('should leave the references and the Docusaurus words on the code node for the highlighter', () => {
    const tree = weaveChapter('02-pages.md');
    const codes: Code[] = [];
    visit(tree, 'code', (node: Code) => void codes.push(node));
    expect(codes[0]!.data?.hProperties).toMatchObject({
      dataObbBlock: '02-pages:7',
      dataObbRefs: JSON.stringify([[0, 'api: includes'], [1, 'api: free']]),
    });
    expect(codes[2]!.data?.hProperties).toMatchObject({ dataObbTitle: 'free.c', dataObbHighlight: '1' });
    expect(codes[3]!.data?.hProperties?.dataObbBlock).toBeUndefined();
  });

  test('should fail a chapter whose fence has an unknown key, saying where', () => {
    const text = `---\ntitle: "Typo"\n---\n\n${FENCE}c chnk="api: free"\nvoid free(void *p);\n${FENCE}\n`;
    expect(() => weaveChapter('04-typo.md', text)).toThrow(/docs\/04-typo\.md:5:\d+: error: unknown fence key "chnk"/);
  });

  test('should leave a page that is not a chapter alone', () => {
    const processor = unified().use(remarkParse).use(weave, { root: '/book' });
    const tree = processor.parse('# Notes\n');
    processor.runSync(tree, { path: '/book/docs/notes.md', value: '# Notes\n' });
    expect(tree.children.map((n) => n.type)).toEqual(['heading']);
  });
});

describe('weave-shiki', () => {
  test('should turn a reference line into a link placeholder and keep the source for the copy button', async () => {
    const source = 'void free(void *p) {\n    <<free: find the block>>\n}';
    const meta = fenceProperties(['{3}'], '03-buddies:9', [
      { name: 'free: find the block', indent: '    ', line: 11, column: 5, index: 1 },
    ]);
    const hast = await codeToHast(source, {
      lang: 'c',
      themes: { light: 'github-light', dark: 'github-dark' },
      meta: { ...meta },
      transformers: [weaveTransformer],
    });
    const pre = hast.children[0] as import('hast').Element;
    expect(String(pre.properties.class)).toContain('obb-literate');
    expect(pre.properties.dataCode).toBe(source);
    expect(Object.keys(pre.properties).filter((k) => k.startsWith('dataObb'))).toEqual([]);
    const html = JSON.stringify(hast);
    expect(html).toContain('"dataObbRef":"03-buddies:9:1"');
    expect(html).toContain('obb-highlighted');
  });

  test('should mark a fence without a block as an illustration', async () => {
    const hast = await codeToHast('int x;', { lang: 'c', theme: 'github-light', transformers: [weaveTransformer] });
    const pre = hast.children[0] as import('hast').Element;
    expect(String(pre.properties.class)).toContain('obb-illustration');
  });
});
