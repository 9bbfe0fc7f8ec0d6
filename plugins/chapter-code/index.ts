// A Docusaurus plugin: every chapter's snapshot as a tarball the reader can download, plus
// the list of its files, so a reader can start from any chapter.
//
// It packs out/chapters/<NN-slug>/ (written by the tangler; `make book` runs it first), but
// only after checking, with the tangler's own library, that the folder holds exactly what
// the chapters say: a stale snapshot must never be offered for download. The tarballs go to
// out/site-static/snapshots/, one of the site's static directories, so `make serve` offers
// them too. Their contents are deterministic: sorted names, no owners, no dates.

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { compareTree, readBook } from '../../tangle/files.ts';
import { formatDiagnostic, tangle } from '../../tangle/index.ts';

export const PLUGIN_NAME = 'chapter-code';
export const SNAPSHOTS_ROUTE = 'snapshots'; // under the site's base URL

export interface SnapshotFile {
  path: string;
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

export interface ChapterCodeData {
  chapters: ChapterSnapshot[];
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
      `--directory=${join(root, 'out/chapters')}`,
      '--',
      ...paths.map((p) => `${slug}/${p}`),
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return gzipSync(tar, { level: 9 }); // zlib writes no timestamp into the gzip header
}

export default function chapterCode(context: LoadContext): Plugin {
  const root = context.siteDir;
  const outFolder = join(root, 'out/site-static', SNAPSHOTS_ROUTE);
  // `docusaurus start` shows a stale snapshot as a note on the page; a build refuses it.
  const strict = process.env.NODE_ENV === 'production';
  return {
    name: PLUGIN_NAME,
    getPathsToWatch: () => [join(root, 'out/chapters/**/*')],
    async loadContent(): Promise<ChapterCodeData> {
      const { sources, diagnostics } = readBook(root);
      const result = tangle(sources, diagnostics);
      if (result.diagnostics.length > 0) {
        // The weave reports these against each chapter's page; here they mean "no snapshots".
        const message = `chapter-code: the chapters do not tangle:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`;
        if (strict) throw new Error(message);
        console.warn(message);
        return { chapters: [] };
      }
      rmSync(outFolder, { recursive: true, force: true });
      mkdirSync(outFolder, { recursive: true });
      const chapters = result.snapshots.map(({ chapter, files }): ChapterSnapshot => {
        const listing = [...files].map(([path, text]) => ({
          path,
          lines: text.split('\n').length - 1,
          bytes: Buffer.byteLength(text),
        }));
        const snapshot: ChapterSnapshot = { slug: chapter.slug, id: chapter.id, number: chapter.number, files: listing };
        if (listing.length === 0) return snapshot;
        const folder = join(root, 'out/chapters', chapter.slug);
        // Build products (libmalloc.so) may sit beside the sources: only missing or changed files matter.
        const stale = compareTree(folder, files).filter((d) => d.problem !== 'extra');
        if (stale.length > 0) {
          const problem =
            `out/chapters/${chapter.slug} is not the tangle of the chapters (${stale.map((d) => `${d.path}: ${d.problem}`).join(', ')}); ` +
            `run 'npx tsx tangle/cli.ts write' (make book does)`;
          if (strict) throw new Error(`chapter-code: ${problem}`);
          console.warn(`chapter-code: ${problem}`);
          return { ...snapshot, problem };
        }
        const tarball = pack(root, chapter.slug, [...files.keys()]);
        const name = `${chapter.slug}.tar.gz`;
        writeFileSync(join(outFolder, name), tarball);
        return { ...snapshot, tarball: `${SNAPSHOTS_ROUTE}/${name}`, tarballBytes: tarball.length };
      });
      return { chapters };
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content);
    },
  };
}

