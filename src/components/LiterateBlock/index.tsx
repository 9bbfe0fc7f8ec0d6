// One literate block as the weave presents it: a header that says what the block does and
// where it goes, the highlighted code (with its references as links), and a footer that
// says where the chunk is used and continued. The data comes from tangle/weave.ts.

import type { ReactNode } from 'react';
import clsx from 'clsx';
import Link from '@docusaurus/Link';
import useBrokenLinks from '@docusaurus/useBrokenLinks';
import type { BlockLink } from '@site/tangle/weave-book';
import type { LiterateBlockData } from '@site/tangle/weave';
import styles from './styles.module.css';

function Name({ link, name, kind }: { link?: BlockLink; name: string; kind: 'root' | 'chunk' }) {
  const text = kind === 'root' ? <code>{name}</code> : <>⟨{name}⟩</>;
  return link ? (
    <Link to={link.href} className={styles.name}>
      {text}
    </Link>
  ) : (
    <span className={styles.name}>{text}</span>
  );
}

/** Where a link leads, for a reader: "this chapter" or "chapter 4". */
function where(link: BlockLink): string {
  return link.here ? 'this chapter' : `chapter ${link.chapter}`;
}

function Action({ data }: { data: LiterateBlockData }): ReactNode {
  const { kind, mode, name, target } = data;
  if (mode === 'define') {
    return kind === 'root' ? (
      <>
        new file <Name name={name} kind={kind} />
      </>
    ) : (
      <>
        defines <Name name={name} kind={kind} />
      </>
    );
  }
  if (mode === 'append') {
    return (
      <>
        appends to <Name name={name} kind={kind} link={target} />
      </>
    );
  }
  return (
    <>
      replaces <Name name={name} kind={kind} link={target} />
      {target && ` from chapter ${target.chapter}`}
    </>
  );
}

function LinkList({ label, links, show }: { label: string; links: BlockLink[]; show: (l: BlockLink) => ReactNode }) {
  if (links.length === 0) return null;
  return (
    <span className={styles.links}>
      {label}{' '}
      {links.map((link, i) => (
        <span key={link.id}>
          {i > 0 && ', '}
          <Link to={link.href} title={`${link.name}, ${where(link)}`}>
            {show(link)}
          </Link>
        </span>
      ))}
    </span>
  );
}

export default function LiterateBlock({ data: json, children }: { data: string; children: ReactNode }) {
  const data = JSON.parse(json) as LiterateBlockData;
  useBrokenLinks().collectAnchor(data.id);
  const usedIn = (link: BlockLink) => (
    <>
      {link.kind === 'root' ? <code>{link.name}</code> : `⟨${link.name}⟩`}
      {!link.here && <span className={styles.chapter}> (chapter {link.chapter})</span>}
    </>
  );
  const continued = (link: BlockLink) => (link.here ? 'this chapter' : `chapter ${link.chapter}`);
  const footer = data.usedIn.length > 0 || data.continuedIn.length > 0 || data.replacedIn;
  return (
    <section id={data.id} className={clsx('obb-block', `obb-block-${data.mode}`, styles.block)} data-chunk={data.name}>
      <header className={clsx('obb-block-header', styles.header)}>
        <span className={styles.action}>
          <Action data={data} />
        </span>
        {data.title && <span className={styles.title}>{data.title}</span>}
        <Link to={`#${data.id}`} className={styles.permalink} aria-label="Link to this block" title="Link to this block">
          #
        </Link>
      </header>
      {children}
      {footer && (
        <footer className={clsx('obb-block-footer', styles.footer)}>
          <LinkList label="used in" links={data.usedIn} show={usedIn} />
          <LinkList label="continued in" links={data.continuedIn} show={continued} />
          {data.replacedIn && <LinkList label="replaced in" links={[data.replacedIn]} show={continued} />}
        </footer>
      )}
    </section>
  );
}
