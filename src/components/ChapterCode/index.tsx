// The end of every chapter: the code the reader has now, as a tarball of the chapter's
// snapshot with the list of its files (data from site/plugin.ts).

import Link from '@docusaurus/Link';
import useBaseUrl from '@docusaurus/useBaseUrl';
import type { ChapterSnapshot } from '@site/site/plugin';
import useBook from '@site/src/hooks/useBook';
import styles from './styles.module.css';
import { chapterLabel } from '@site/site/chapter-numbers/toc';

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

function Download({ snapshot }: { snapshot: ChapterSnapshot & { tarball: string } }) {
  const href = useBaseUrl(`/${snapshot.tarball}`);
  const file = `${snapshot.slug}.tar.gz`;
  return (
    <>
      <p>
        The library as chapters {chapterLabel(1)}–{chapterLabel(snapshot.number)} leave it, in one download:{' '}
        <a className="obb-tarball" href={href} download={file}>
          {file}
        </a>{' '}
        ({size(snapshot.tarballBytes ?? 0)}). Unpack it, build it and run a program on it:
      </p>
      <pre className={`obb-commands ${styles.commands}`}>
        <code>{`tar xzf ${file}\ncd ${snapshot.slug}\nmake\nLD_PRELOAD=./libmalloc.so ls -l /usr/bin`}</code>
      </pre>
    </>
  );
}

function Listing({ snapshot }: { snapshot: ChapterSnapshot }) {
  return (
    <table className={`obb-listing ${styles.listing}`}>
      <thead>
        <tr>
          <th>file</th>
          <th>lines</th>
          <th>begins in</th>
        </tr>
      </thead>
      <tbody>
        {snapshot.files.map((f) => (
          <tr key={f.path}>
            <td>
              <code>
                {snapshot.slug}/{f.path}
              </code>
            </td>
            <td>{f.lines}</td>
            <td>{f.root && <Link to={f.root.href}>{f.root.label}</Link>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function ChapterCode({ slug }: { slug: string }) {
  const { chapters } = useBook();
  const snapshot = chapters.find((c) => c.slug === slug);
  if (!snapshot) {
    return <p className="obb-chapter-code">The code of this chapter is not available: the chapters do not tangle.</p>;
  }
  if (snapshot.files.length === 0) {
    const first = chapters.find((c) => c.files.length > 0);
    return (
      <div className="obb-chapter-code">
        <p>
          This chapter has no code yet
          {first ? (
            <>
              : the library starts in <Link to={`/docs/${first.id}`}>chapter {chapterLabel(first.number)}</Link>.
            </>
          ) : (
            '.'
          )}
        </p>
      </div>
    );
  }
  return (
    <div className="obb-chapter-code">
      {snapshot.tarball ? (
        <Download snapshot={{ ...snapshot, tarball: snapshot.tarball }} />
      ) : (
        <p className={styles.problem}>The snapshot is not built yet: {snapshot.problem}</p>
      )}
      <Listing snapshot={snapshot} />
    </div>
  );
}
