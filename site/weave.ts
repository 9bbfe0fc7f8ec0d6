// Weave: the remark plugin that shows each chapter's literate blocks as a reader needs them.
//
// It parses nothing itself: parse.ts reads the chapter exactly as the tangler does, and each
// code node of the page is matched to its block by the line of its fence. Then:
//   - a literate block is wrapped in <LiterateBlock>, which draws the header (what the block
//     does) and the footer ("used in", "continued in") — src/components/LiterateBlock;
//   - its code node carries the reference lines, which the shiki step (weave-shiki.ts) turns
//     into links once the code is highlighted;
//   - the chapter ends with <ChapterCode>: the snapshot's download and file listing.
//
// What depends on other chapters (anchor ids, where a reference leads, where a chunk is
// used) is not compiled into the page: the bundler caches a page by its own file, and would
// keep stale links when another chapter changes. The page names each block by its key
// (weave-book.ts) and the components look the rest up in the book plugin's global data,
// which site/plugin.ts recomputes from the whole book on every build.

import { relative, resolve } from 'node:path';
import type { Code, Root, RootContent } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { chapterOf } from '../tangle/chapters.ts';
import { formatDiagnostic } from '../tangle/diagnostics.ts';
import { DOCS } from '../tangle/files.ts';
import { parseChapter, parseFenceMeta, type Block } from '../tangle/parse.ts';
import { blockKey } from './weave-book.ts';
import { fenceProperties, type WeaveProperties } from './weave-shiki.ts';

export interface WeaveOptions {
  root?: string; // the repository root, which holds docs/
}

/** What LiterateBlock receives from the page itself (the rest comes from global data). */
export interface LiterateBlockProps {
  block: string; // blockKey()
  kind: 'root' | 'chunk';
  mode: Block['mode'];
  name: string;
  title?: string;
}

function jsx(name: string, props: Record<string, string | undefined>): MdxJsxFlowElement {
  const attributes: MdxJsxAttribute[] = Object.entries(props)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ({ type: 'mdxJsxAttribute', name: key, value }));
  return { type: 'mdxJsxFlowElement', name, attributes, children: [] };
}

function annotate(node: Code, properties: WeaveProperties): void {
  node.data = node.data ?? {};
  node.data.hProperties = { ...node.data.hProperties, ...properties };
}

export default function weave(options: WeaveOptions = {}) {
  const root = resolve(options.root ?? process.cwd());
  return (tree: Root, file: VFile): void => {
    const [folder, name, ...deeper] = relative(root, file.path).split(/[\\/]/);
    const chapter = folder === DOCS && name && deeper.length === 0 ? chapterOf(DOCS, name) : undefined;
    if (!chapter) return; // not a chapter: nothing of the book to weave into it
    const parsed = parseChapter(chapter, String(file.value));
    if (parsed.diagnostics.length > 0) {
      throw new Error(`Unexpected literate-format errors:\n${parsed.diagnostics.map(formatDiagnostic).join('\n')}`);
    }
    const fences = new Map(parsed.blocks.map((b) => [b.position.line, b]));
    const wrap: { node: Code; wrapper: MdxJsxFlowElement }[] = [];
    visit(tree, 'code', (node: Code) => {
      if (node.lang === 'mermaid') return; // Docusaurus draws it
      const line = node.position?.start.line ?? -1;
      const block = fences.get(line);
      const { meta } = parseFenceMeta(node.lang, node.meta);
      if (meta.kind !== 'illustration' && !block) {
        throw new Error(`Unexpected: ${chapter.file}:${line}: a literate fence that parse.ts did not see`);
      }
      fences.delete(line);
      const key = block ? blockKey(chapter.slug, line) : undefined;
      const properties = fenceProperties(meta.docusaurus, key, block?.references ?? []);
      annotate(node, properties);
      if (block && key) {
        const { kind, mode, name: chunk } = block;
        const props = { block: key, kind: kind === 'root' ? 'root' : 'chunk', mode, name: chunk, title: properties.dataObbTitle };
        wrap.push({ node, wrapper: jsx('LiterateBlock', props) });
      }
    });
    if (fences.size > 0) {
      const lines = [...fences.keys()].join(', ');
      throw new Error(`Unexpected: ${chapter.file}: the site did not find the literate fences at lines ${lines}`);
    }
    // Wrap after the walk, so that visit() never meets a node it has just moved.
    for (const { node, wrapper } of wrap) {
      visit(tree, (candidate, index, parent) => {
        if (candidate !== node || !parent || index === undefined) return;
        wrapper.children = [node];
        (parent.children as RootContent[])[index] = wrapper;
      });
    }
    tree.children.push(
      { type: 'heading', depth: 2, children: [{ type: 'text', value: "This chapter's code" }] },
      jsx('ChapterCode', { slug: chapter.slug }),
    );
  };
}
