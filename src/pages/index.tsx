// The landing page: what the book teaches, and how to get its code running.

import Link from '@docusaurus/Link';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import Layout from '@theme/Layout';
import styles from './index.module.css';

const LESSONS = [
  {
    title: 'Pages from the kernel',
    text: 'Where memory comes from: mmap, munmap and the page, and a first malloc that works for real programs.',
  },
  {
    title: 'A buddy tree in nibbles',
    text: 'Buddy allocation over a binary tree kept as an array, four bits a node: about one byte of bookkeeping per block, away from the blocks.',
  },
  {
    title: 'The whole C API',
    text: 'free, calloc, realloc and the rest of the allocation API a real program calls, with the 16-byte alignment the x86-64 ABI asks for.',
  },
  {
    title: 'Threads',
    text: 'An arena per thread, frees from other threads without scanning every arena, and what each lock costs.',
  },
  {
    title: 'Measured',
    text: 'The same workloads under glibc, jemalloc, tcmalloc and mimalloc, side by side: time and memory.',
  },
];

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
          <div className={styles.lessons}>
            {LESSONS.map((lesson) => (
              <div key={lesson.title} className={styles.lesson}>
                <h3>{lesson.title}</h3>
                <p>{lesson.text}</p>
              </div>
            ))}
          </div>
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
