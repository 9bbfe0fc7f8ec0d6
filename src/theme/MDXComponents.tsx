// The components MDX uses for the book's pages: Docusaurus's own, plus the weave's.
//
// Shiki has already turned every fence into a highlighted <pre class="shiki">, so <pre>
// and its <code> no longer go through Docusaurus's Prism CodeBlock; inline `code` still does.
// A reference inside code is an <a data-obb-ref> without an href, which RefLink completes.

import type { ComponentProps } from 'react';
import MDXComponentsOriginal from '@theme-original/MDXComponents';
import ChapterCode from '@site/src/components/ChapterCode';
import CodeFrame from '@site/src/components/CodeFrame';
import LiterateBlock from '@site/src/components/LiterateBlock';
import MermaidDiagram from '@site/src/components/MermaidDiagram';
import RefLink from '@site/src/components/RefLink';
import TreeWidget from '@site/src/components/TreeWidget';

const OriginalCode = MDXComponentsOriginal.code;
const OriginalA = MDXComponentsOriginal.a;

function Code(props: ComponentProps<'code'>) {
  return props.className?.split(' ').includes('obb-code') ? <code {...props} /> : <OriginalCode {...props} />;
}

function A(props: ComponentProps<'a'> & { 'data-obb-ref'?: string }) {
  const key = props['data-obb-ref'];
  return key === undefined ? <OriginalA {...props} /> : <RefLink {...props} data-obb-ref={key} />;
}

export default {
  ...MDXComponentsOriginal,
  pre: CodeFrame,
  code: Code,
  a: A,
  LiterateBlock,
  ChapterCode,
  TreeWidget, // site/tree-widget/remark.ts puts it where a ```tree-widget fence was
  MermaidDiagram,
};
