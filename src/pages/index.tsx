// The landing page: what the book teaches, its contents (one line per chapter, from docs/),
// and how to get its code running.

import Link from '@docusaurus/Link';
import { usePluginData } from '@docusaurus/useGlobalData';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import Layout from '@theme/Layout';
import { TOC_PLUGIN, type TocEntry } from '@site/site/chapter-numbers/toc';
import styles from './index.module.css';

/** The chapters, in book order, as site/chapter-numbers reads them from docs/. */
function useChapters(): TocEntry[] {
  return (usePluginData(TOC_PLUGIN) as { chapters: TocEntry[] }).chapters;
}

function Contents() {
  const chapters = useChapters();
  return (
    <nav aria-label="Contents">
      <h2>Contents</h2>
      <ol className={styles.contents}>
        {chapters.map((chapter) => (
          <li key={chapter.permalink} className={styles.entry}>
            <Link to={chapter.permalink} className={styles.entryLink}>
              <span className={styles.number}>{chapter.label}</span>
              <span className={styles.entryTitle}>{chapter.title}</span>
            </Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export default function Home() {
  const { siteConfig } = useDocusaurusContext();
  return (
    <Layout title="A malloc written as a book" description={siteConfig.tagline}>
      <header className={styles.hero}>
        <div className="container">
          <h1 className={styles.title}>{siteConfig.title}</h1>
          <p className={styles.tagline}>{siteConfig.tagline}</p>
          <Link className="button button--primary button--lg" to="/docs/introduction">
            Start reading
          </Link>
        </div>
      </header>
      <main className="container">
        <section className={styles.section}>
          <p className={styles.lead}>
            This book builds a complete <code>malloc</code> replacement in C, one chapter at a time. The chapters
            are the program: every code block on these pages is tangled into the library's sources, and every
            chapter ends with a library that compiles and runs real programs. Stop after any chapter and you
            have working code.
          </p>
          <Contents />
        </section>
        <section className={styles.section}>
          <h2>Run it</h2>
          <p>
            In a clone of the repository, two commands build the library from the chapters and run every test:
          </p>
          <pre className={styles.commands}>
            <code>{'make\nmake test'}</code>
          </pre>
          <p>Then run any program on it:</p>
          <pre className={styles.commands}>
            <code>{'LD_PRELOAD=./libmalloc.so ls -l /usr/bin'}</code>
          </pre>
        </section>
      </main>
    </Layout>
  );
}
