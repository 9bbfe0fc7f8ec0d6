// Weave: the remark plugin that shows each chapter's literate blocks as a reader needs them.
//
// The site's Markdown pipeline and the tangler must agree on every block, so this plugin
// parses nothing itself: it reads the whole book through parse.ts and resolve.ts (cached
// while docs/ is unchanged), finds each fence of the page in that book by its line, and:
//   - wraps a literate block in <LiterateBlock>, whose header says what it does and whose
//     footer links to where it is used and continued (src/components/LiterateBlock);
//   - marks its code node with the reference links, which the shiki step (weave-shiki.ts)
//     turns into <a> elements once the code is highlighted;
//   - ends the chapter with <ChapterCode>, the snapshot's download and file listing.

import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import type { Code, Parents, Root, RootContent } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { chapterOf } from './chapters.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { DOCS, readBook } from './files.ts';
import { parseChapter, parseFenceMeta } from './parse.ts';
import { resolveBook, type Book } from './resolve.ts';
import { weaveBook, type BlockLink, type Weave, type WovenBlock } from './weave-book.ts';
import { fenceProperties, type WeaveProperties } from './weave-shiki.ts';

export interface WeaveOptions {
  root?: string; // the repository root, which holds docs/
  docsRoute?: string; // the docs plugin's routeBasePath
}

interface Loaded {
  key: string;
  book: Book;
  weave: Weave;
}

let cache: Loaded | undefined;

/** The whole book, parsed and resolved again only when a chapter's text has changed. */
function loadBook(root: string, docsRoute: string): Loaded {
  const { sources, diagnostics } = readBook(root);
  const hash = createHash('sha256').update(docsRoute);
  for (const s of sources) hash.update(`\0${s.chapter.file}\0${s.text}`);
  const key = hash.digest('hex');
  if (cache?.key === key) return cache;
  const book = resolveBook(sources.map((s) => parseChapter(s.chapter, s.text)));
  book.diagnostics.push(...diagnostics);
  cache = { key, book, weave: weaveBook(book, docsRoute) };
  return cache;
}

function attribute(name: string, value: string | undefined): MdxJsxAttribute[] {
  return value === undefined ? [] : [{ type: 'mdxJsxAttribute', name, value }];
}

function jsx(name: string, attributes: MdxJsxAttribute[], children: MdxJsxFlowElement['children'] = []): MdxJsxFlowElement {
  return { type: 'mdxJsxFlowElement', name, attributes, children };
}

/** What LiterateBlock receives: plain JSON, since a .md page's JSX takes only strings. */
export interface LiterateBlockData {
  id: string;
  kind: 'root' | 'chunk';
  mode: WovenBlock['mode'];
  name: string;
  title?: string;
  target?: BlockLink;
  usedIn: BlockLink[];
  continuedIn: BlockLink[];
  replacedIn?: BlockLink;
}

function blockData(woven: WovenBlock, title: string | undefined): LiterateBlockData {
  const { id, kind, mode, name, target, usedIn, continuedIn, replacedIn } = woven;
  return { id, kind, mode, name, title, target, usedIn, continuedIn, replacedIn };
}

function annotate(node: Code, properties: WeaveProperties): void {
  node.data = node.data ?? {};
  node.data.hProperties = { ...node.data.hProperties, ...properties };
}

export default function weave(options: WeaveOptions = {}) {
  const root = resolve(options.root ?? process.cwd());
  const docsRoute = options.docsRoute ?? '/docs';
  return (tree: Root, file: VFile): void => {
    const path = relative(root, file.path);
    const [folder, name, ...deeper] = path.split(/[\\/]/);
    const chapter = folder === DOCS && name && deeper.length === 0 ? chapterOf(DOCS, name) : undefined;
    if (!chapter) return; // not a chapter: nothing of the book to weave into it
    const { book, weave: woven } = loadBook(root, docsRoute);
    const own = book.diagnostics.filter((d) => d.file === chapter.file);
    if (own.length > 0) {
      throw new Error(`Unexpected tangle errors in ${chapter.file}:\n${own.map(formatDiagnostic).join('\n')}`);
    }
    const fences = woven.byFence.get(chapter.file) ?? new Map<number, WovenBlock>();
    const replacements: { parent: Parents; node: Code; wrapper: MdxJsxFlowElement }[] = [];
    const seen = new Set<WovenBlock>();
    visit(tree, 'code', (node: Code, _index, parent) => {
      if (node.lang === 'mermaid' || !parent) return;
      const { meta } = parseFenceMeta(node.lang, node.meta);
      const line = node.position?.start.line ?? -1;
      const block = fences.get(line);
      const properties = fenceProperties(meta.docusaurus, block);
      annotate(node, properties);
      if (!block) {
        if (meta.kind !== 'illustration') {
          throw new Error(`Unexpected: ${chapter.file}:${line}: a literate fence the tangler did not see`);
        }
        return;
      }
      seen.add(block);
      const data = blockData(block, properties.dataObbTitle);
      replacements.push({ parent, node, wrapper: jsx('LiterateBlock', attribute('data', JSON.stringify(data))) });
    });
    const missed = [...fences.values()].filter((b) => !seen.has(b));
    if (missed.length > 0) {
      throw new Error(`Unexpected: ${chapter.file}: the site did not find the fence of ${missed.map((b) => `"${b.name}"`).join(', ')}`);
    }
    for (const { parent, node, wrapper } of replacements) {
      wrapper.children = [node];
      const siblings = parent.children as RootContent[];
      siblings[siblings.indexOf(node)] = wrapper;
    }
    tree.children.push(
      {
        type: 'heading',
        depth: 2,
        children: [{ type: 'text', value: "This chapter's code" }],
      },
      jsx('ChapterCode', attribute('slug', chapter.slug)),
    );
  };
}
