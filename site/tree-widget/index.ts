// A Docusaurus plugin: builds the tree widget's WebAssembly from chapter 04's snapshot on
// every site build (build.ts), and tells the widget where it is, or why it is missing.

import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { buildTreeWasm, type TreeWasm } from './build.ts';

export const PLUGIN_NAME = 'obb-tree-widget';

export default function treeWidget(context: LoadContext): Plugin {
  const root = context.siteDir;
  return {
    name: PLUGIN_NAME,
    getPathsToWatch: () => [join(root, 'wasm/**/*'), join(root, 'out/chapters/*/src/*')],
    async loadContent(): Promise<TreeWasm> {
      const result = buildTreeWasm(root);
      if (result.problem) console.warn(`The tree widget is left out: ${result.problem}`);
      return result;
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content);
    },
  };
}
