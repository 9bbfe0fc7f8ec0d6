// One literate block as the weave presents it: a header that says what the block does and
// where it goes, the highlighted code (with its references as links), and a footer that
// says where the chunk is used and continued. The page gives the block's key and what its
// own fence says (site/weave.ts); the anchor and the links come from the book's global
// data (site/weave-book.ts, through site/plugin.ts).

import type { ReactNode } from 'react';
import clsx from 'clsx';
import Link from '@docusaurus/Link';
import useBrokenLinks from '@docusaurus/useBrokenLinks';
import type { LiterateBlockProps } from '@site/site/weave';
import type { BlockLink, WovenBlock } from '@site/site/weave-book';
import useBook from '@site/src/hooks/useBook';
import styles from './styles.module.css';
import { chapterLabel } from '@site/site/chapter-numbers/toc';

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

/** Where a link leads, for a reader: block 4.3 is chapter 4's third literate block. */
function where(link: BlockLink): string {
  return link.here ? `block ${link.label}, in this chapter` : `block ${link.label}, in chapter ${chapterLabel(link.chapter)}`;
}

const number = (link: BlockLink) => link.label;

function Action({ props, target }: { props: LiterateBlockProps; target?: BlockLink }): ReactNode {
  const { kind, mode, name } = props;
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
      {target && (target.here ? ' above' : ` from chapter ${chapterLabel(target.chapter)}`)}
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
          <Link to={link.href} title={`${link.kind === 'root' ? link.name : `⟨${link.name}⟩`}: ${where(link)}`}>
            {show(link)}
          </Link>
        </span>
      ))}
    </span>
  );
}

const usedIn = (link: BlockLink) => (
  <>
    {link.kind === 'root' ? <code>{link.name}</code> : `⟨${link.name}⟩`}
    <span className={styles.number}> {link.label}</span>
  </>
);

function Footer({ woven }: { woven: WovenBlock }) {
  const { usedIn: users, continuedIn, replacedIn } = woven;
  if (users.length === 0 && continuedIn.length === 0 && !replacedIn) return null;
  return (
    <footer className={clsx('obb-block-footer', styles.footer)}>
      <LinkList label="used in" links={users} show={usedIn} />
      <LinkList label="continued in" links={continuedIn} show={number} />
      {replacedIn && (
        // A draft and its replacement in one chapter: the reader meets the better version next.
        <LinkList label={replacedIn.here ? 'replaced below, in' : 'replaced in'} links={[replacedIn]} show={number} />
      )}
    </footer>
  );
}

export default function LiterateBlock({ children, ...props }: LiterateBlockProps & { children: ReactNode }) {
  const woven: WovenBlock | undefined = useBook().blocks[props.block];
  const id = woven?.id;
  const brokenLinks = useBrokenLinks();
  if (id) brokenLinks.collectAnchor(id);
  return (
    <section id={id} className={clsx('obb-block', `obb-block-${props.mode}`, styles.block)} data-chunk={props.name}>
      <header className={clsx('obb-block-header', styles.header)}>
        <span className={styles.action}>
          <Action props={props} target={woven?.target} />
        </span>
        {props.title && <span className={styles.title}>{props.title}</span>}
        {id && woven && (
          <Link to={`#${id}`} className={styles.permalink} title={`Block ${woven.label}: a link to it`}>
            {woven.label}
          </Link>
        )}
      </header>
      {children}
      {woven && <Footer woven={woven} />}
    </section>
  );
}
