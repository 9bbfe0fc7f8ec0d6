// The components MDX uses for the book's pages: Docusaurus's own, plus the weave's.
//
// Shiki has already turned every fence into a highlighted <pre class="shiki">, so <pre>
// and its <code> no longer go through Docusaurus's Prism CodeBlock; inline `code` still does.

import type { ComponentProps } from 'react';
import MDXComponentsOriginal from '@theme-original/MDXComponents';
import ChapterCode from '@site/src/components/ChapterCode';
import { ShikiCode, ShikiPre } from '@site/src/components/CodeBlock';
import LiterateBlock from '@site/src/components/LiterateBlock';

const OriginalCode = MDXComponentsOriginal.code;

function Code(props: ComponentProps<'code'>) {
  return props.className?.split(' ').includes('obb-code') ? <ShikiCode {...props} /> : <OriginalCode {...props} />;
}

export default {
  ...MDXComponentsOriginal,
  pre: ShikiPre,
  code: Code,
  LiterateBlock,
  ChapterCode,
};
