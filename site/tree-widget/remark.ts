// A remark plugin: a ```tree-widget fence in a chapter becomes the <TreeWidget> of
// src/components/TreeWidget, with the fence's lines as the example it replays.
//
// Why a fence: the chapters are CommonMark (.md), where JSX would be text. A fence stays
// readable anywhere Markdown is shown (a list of commands), the tangler ignores it (no
// file= or chunk=: an illustration), and the site swaps it for the widget. It runs before
// the weave, so the weave never sees it.

import type { Code, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { visit } from 'unist-util-visit';

export const WIDGET_FENCE = 'tree-widget';
export const WIDGET_COMPONENT = 'TreeWidget';

function widget(script: string): MdxJsxFlowElement {
  return {
    type: 'mdxJsxFlowElement',
    name: WIDGET_COMPONENT,
    attributes: [{ type: 'mdxJsxAttribute', name: 'script', value: script }],
    children: [],
  };
}

export default function treeWidgetFence() {
  return (tree: Root): void => {
    visit(tree, 'code', (node: Code, index, parent) => {
      if (node.lang !== WIDGET_FENCE || !parent || index === undefined) return;
      if (node.meta) throw new Error(`Unexpected words after \`\`\`${WIDGET_FENCE}: "${node.meta}" (the commands go inside the fence)`);
      (parent.children as RootContent[])[index] = widget(node.value);
    });
  };
}
