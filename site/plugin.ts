// A Docusaurus plugin: the book as the pages need it, recomputed from docs/ on every build
// (and on every change under `docusaurus start`), never cached by the bundler:
//   - the weave: every literate block's anchor, links and references (site/weave-book.ts),
//     which the LiterateBlock and RefLink components read as global data;
//   - every chapter's snapshot as a tarball the reader can download, plus the list of its
//     files, so a reader can start from any chapter.
//
// The book is read and resolved once, with the tangler's own library. The plugin packs each
// chapter's snapshot folder (tangle/snapshot.ts; the tangler writes it and `make book` runs
// the tangler first), but only after checking that the folder holds exactly what the
// chapters say: a stale snapshot must never be offered for download. The tarballs go to
// out/site-static/snapshots/, one of the site's static directories, so `make serve` offers
// them too. Their contents are deterministic: sorted names, no owners, no dates.

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { compareTree, readBook } from '../tangle/files.ts';
import { formatDiagnostic, tangle } from '../tangle/index.ts';
import { SNAPSHOTS, snapshotFolder } from '../tangle/snapshot.ts';
import { blockKey, weaveBook, type Weave } from './weave-book.ts';

export const PLUGIN_NAME = 'obb-book';
export const DOCS_ROUTE = '/docs'; // the docs plugin's routeBasePath
export const SNAPSHOTS_ROUTE = 'snapshots'; // under the site's base URL

export interface SnapshotFile {
  path: string;
  /** The block whose text starts this file in this snapshot (its root, or the root's last replace). */
  root?: { href: string; label: string };
  lines: number;
  bytes: number;
}

export interface ChapterSnapshot {
  slug: string; // 03-buddies
  id: string; // buddies: the chapter's document id
  number: number;
  files: SnapshotFile[]; // empty when the book has no code yet at this chapter
  tarball?: string; // "snapshots/03-buddies.tar.gz", relative to the base URL
  tarballBytes?: number;
  problem?: string; // why there is no tarball although there are files (dev server only)
}

export interface BookData {
  chapters: ChapterSnapshot[];
  blocks: Weave;
  /** The tangler's errors, when there are any (the dev server shows them; a build stops). */
  errors: string[];
}

function pack(root: string, slug: string, paths: readonly string[]): Buffer {
  const tar = execFileSync(
    'tar',
    [
      '--create',
      '--format=ustar',
      '--sort=name',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--mtime=@0',
      '--mode=u+rw,go+r,go-w',
      '--file=-',
      `--directory=${join(root, SNAPSHOTS)}`,
      '--',
      ...paths.map((p) => `${slug}/${p}`),
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return gzipSync(tar, { level: 9 }); // zlib writes no timestamp into the gzip header
}

export default function bookPlugin(context: LoadContext): Plugin {
  const root = context.siteDir;
  const outFolder = join(root, 'out/site-static', SNAPSHOTS_ROUTE);
  // `docusaurus start` shows a stale snapshot as a note on the page; a build refuses it.
  const strict = process.env.NODE_ENV === 'production';
  return {
    name: PLUGIN_NAME,
    getPathsToWatch: () => [join(root, 'docs/*.{md,mdx}'), join(root, SNAPSHOTS, '**/*')],
    async loadContent(): Promise<BookData> {
      const { sources, diagnostics } = readBook(root);
      const result = tangle(sources, diagnostics);
      const blocks = weaveBook(result.book, DOCS_ROUTE);
      if (result.diagnostics.length > 0) {
        const errors = result.diagnostics.map(formatDiagnostic);
        const message = `The chapters do not tangle:\n${errors.join('\n')}`;
        if (strict) throw new Error(message);
        console.warn(message);
        return { chapters: [], blocks, errors };
      }
      rmSync(outFolder, { recursive: true, force: true });
      mkdirSync(outFolder, { recursive: true });
      const chapters = result.snapshots.map(({ chapter, files }, i): ChapterSnapshot => {
        const rootOf = (path: string): SnapshotFile['root'] => {
          const head = result.book.snapshots[i]?.roots.get(path)?.[0];
          const woven = head && blocks[blockKey(head.chapter.slug, head.position.line)];
          return woven && head ? { href: `${DOCS_ROUTE}/${head.chapter.id}#${woven.id}`, label: woven.label } : undefined;
        };
        const listing = [...files].map(([path, text]) => ({
          path,
          root: rootOf(path),
          lines: text.split('\n').length - 1,
          bytes: Buffer.byteLength(text),
        }));
        const snapshot: ChapterSnapshot = { slug: chapter.slug, id: chapter.id, number: chapter.number, files: listing };
        if (listing.length === 0) return snapshot;
        const folder = join(root, snapshotFolder(chapter));
        // Build products (libmalloc.so) may sit beside the sources: only missing or changed files matter.
        const stale = compareTree(folder, files).filter((d) => d.problem !== 'extra');
        if (stale.length > 0) {
          const problem =
            `${snapshotFolder(chapter)} is not the tangle of the chapters (${stale.map((d) => `${d.path}: ${d.problem}`).join(', ')}); ` +
            `run 'npx tsx tangle/cli.ts write' (make book does)`;
          if (strict) throw new Error(problem);
          console.warn(problem);
          return { ...snapshot, problem };
        }
        const tarball = pack(root, chapter.slug, [...files.keys()]);
        const name = `${chapter.slug}.tar.gz`;
        writeFileSync(join(outFolder, name), tarball);
        return { ...snapshot, tarball: `${SNAPSHOTS_ROUTE}/${name}`, tarballBytes: tarball.length };
      });
      return { chapters, blocks, errors: [] };
    },
    configureWebpack(config) {
      // package.json says "type": "module", so webpack would read the .js files Docusaurus
      // generates into .docusaurus/ as strict ES modules and leave their CommonJS calls
      // (require.resolveWeak) unbundled; they are CommonJS-flavoured, so read them as such.
      const generated = { test: /[\\/]\.docusaurus[\\/].*\.js$/, type: 'javascript/auto' };
      // The weave's code shapes every compiled page, but the bundler's persistent cache only
      // knows the config file: changing tangle/ or site/ must invalidate the cached pages too.
      const cache = config.cache;
      const weave = { type: 'filesystem' as const, buildDependencies: { weave: [`${join(root, 'tangle')}/`, `${join(root, 'site')}/`] } };
      return {
        module: { rules: [generated] },
        ...(typeof cache === 'object' && cache.type === 'filesystem' ? { cache: weave } : {}),
      };
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content);
    },
  };
}

