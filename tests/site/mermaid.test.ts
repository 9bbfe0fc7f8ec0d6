// Diagrams drawn at build time (site/mermaid-svg): a ```mermaid fence becomes the
// diagram itself, in both colour modes, and a second build reuses the drawings.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Root } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, describe, expect, it } from 'vitest';
import mermaidSvg, { COMPONENT } from '../../site/mermaid-svg/index.ts';

const FENCE = '```';
const root = mkdtempSync(join(tmpdir(), 'obb-mermaid-test-'));
mkdirSync(join(root, 'docs'));
const chapter = `# A chapter\n\nBefore.\n\n${FENCE}mermaid\nflowchart LR\n  A["left box"] --> B["right box"]\n${FENCE}\n\nAfter.\n`;
writeFileSync(join(root, 'docs/01-a.md'), chapter);

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(): Promise<Root> {
  const tree = unified().use(remarkParse).parse(chapter);
  await mermaidSvg({ root })(tree);
  return tree;
}

function attribute(node: MdxJsxFlowElement, name: string): string {
  const found = node.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === name);
  return typeof found?.value === 'string' ? found.value : '';
}

describe('mermaid-svg', () => {
  it('should replace the fence by the drawing in both themes, each SVG with its own id', async () => {
    const tree = await run();
    expect(tree.children.some((n) => n.type === 'code')).toBe(false);
    const diagrams = tree.children.filter((n): n is MdxJsxFlowElement => n.type === 'mdxJsxFlowElement');
    expect(diagrams.map((d) => d.name)).toEqual([COMPONENT]);
    const light = attribute(diagrams[0]!, 'light');
    const dark = attribute(diagrams[0]!, 'dark');
    for (const svg of [light, dark]) {
      expect(svg).toMatch(/^<svg [^>]*viewBox="[\d. ]+"/);
      expect(svg).toContain('left box');
      expect(svg).toContain('right box');
    }
    const id = (svg: string) => /^<svg id="([^"]+)"/.exec(svg)?.[1];
    expect(id(light)).toBeDefined();
    expect(id(light)).not.toBe(id(dark));
    expect(light).not.toBe(dark.replaceAll(id(dark)!, id(light)!)); // the themes differ, not only the ids
  }, 120_000);

  it('should draw nothing again when the diagrams are cached', async () => {
    const cache = join(root, 'out/mermaid-svg');
    const before = readdirSync(cache).sort();
    expect(before.length).toBe(2);
    // A cached drawing is used as it is: a changed file shows in the page.
    writeFileSync(join(cache, before[0]!), '<svg id="from-the-cache"></svg>');
    const tree = await run();
    const diagram = tree.children.find((n): n is MdxJsxFlowElement => n.type === 'mdxJsxFlowElement')!;
    expect([attribute(diagram, 'light'), attribute(diagram, 'dark')]).toContain('<svg id="from-the-cache"></svg>');
    expect(readdirSync(cache).sort()).toEqual(before);
  }, 60_000);
});
