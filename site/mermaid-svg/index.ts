// A remark plugin: every ```mermaid fence becomes the diagram itself, as SVG drawn at build
// time (render.ts), instead of a script that draws it in the reader's browser.
//
// Drawn in the browser, a diagram appears after the page has scrolled to a link's target
// and pushes the target down; without JavaScript it is missing. Drawn at build time it is
// in the HTML with its size (its viewBox), so the page is laid out once, and a link lands
// where it points. The page carries both themes' drawings; CSS shows the one that matches
// the colour mode (src/components/MermaidDiagram).
//
// The first time a page with a diagram is compiled, every diagram of docs/ is drawn in one
// browser, so a cold build starts chromium once.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Code, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { drawDiagrams } from './render.ts';

export interface MermaidSvgOptions {
  root?: string; // the site's folder, which holds docs/ and out/
}

export const COMPONENT = 'MermaidDiagram';

/** Every mermaid fence's source in the Markdown text. */
export function mermaidSources(markdown: string): string[] {
  const found: string[] = [];
  visit(unified().use(remarkParse).parse(markdown), 'code', (node: Code) => {
    if (node.lang === 'mermaid') found.push(node.value);
  });
  return found;
}

function allDocsSources(docs: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(docs).filter((n) => /\.mdx?$/.test(n));
  } catch {
    return [];
  }
  return names.flatMap((n) => mermaidSources(readFileSync(join(docs, n), 'utf8')));
}

function element(light: string, dark: string): MdxJsxFlowElement {
  return {
    type: 'mdxJsxFlowElement',
    name: COMPONENT,
    attributes: [
      { type: 'mdxJsxAttribute', name: 'light', value: light },
      { type: 'mdxJsxAttribute', name: 'dark', value: dark },
    ],
    children: [],
  };
}

export default function mermaidSvg(options: MermaidSvgOptions = {}) {
  const root = resolve(options.root ?? process.cwd());
  const cache = join(root, 'out/mermaid-svg');
  let warmed: Promise<unknown> | undefined;
  return async (tree: Root): Promise<void> => {
    const found: { node: Code; index: number; parent: { children: RootContent[] } }[] = [];
    visit(tree, 'code', (node: Code, index, parent) => {
      if (node.lang === 'mermaid' && parent && index !== undefined) {
        found.push({ node, index, parent: parent as { children: RootContent[] } });
      }
    });
    if (found.length === 0) return;
    // Draw the whole book's diagrams the first time (one browser), then this page's.
    warmed ??= drawDiagrams(cache, allDocsSources(join(root, 'docs'))).catch(() => undefined);
    await warmed;
    const drawn = await drawDiagrams(cache, found.map((f) => f.node.value));
    found.forEach(({ index, parent }, i) => {
      parent.children[index] = element(drawn[i]!.light, drawn[i]!.dark) as RootContent;
    });
  };
}
