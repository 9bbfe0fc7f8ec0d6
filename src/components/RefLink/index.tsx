// A reference line inside highlighted code, ⟨chunk name⟩, as a link to the definition that
// this chapter's snapshot tangles. The page knows only the reference's key; the book knows
// where it leads (see site/weave.ts for why).

import type { ComponentProps } from 'react';
import Link from '@docusaurus/Link';
import useBook from '@site/src/hooks/useBook';
import { chapterLabel } from '@site/site/chapter-numbers/toc';

type Props = ComponentProps<'a'> & { 'data-obb-ref': string };

export default function RefLink({ 'data-obb-ref': key, children, className }: Props) {
  const { blocks } = useBook();
  const at = key.lastIndexOf(':');
  const link = blocks[key.slice(0, at)]?.references[Number(key.slice(at + 1))];
  if (!link) {
    // Only while the chapters do not tangle (the dev server; a build stops first).
    return <span className={className}>{children}</span>;
  }
  const where = link.here ? 'in this chapter' : `in chapter ${chapterLabel(link.chapter)}`;
  return (
    <Link to={link.href} className={className} title={`⟨${link.name}⟩: block ${link.label}, ${where}`}>
      {children}
    </Link>
  );
}
