// Chapter numbers, everywhere a reader looks, from the NN- prefix of the chapter's file name
// (tangle/chapters.ts decides what a chapter is): never written by hand, so renumbering a
// chapter is renaming its file.
//
//   - parseFrontMatter (markdown.parseFrontMatter in the site config) puts the number in
//     the chapter's title, "03 · Buddies", which Docusaurus shows in the sidebar, the
//     previous/next cards, the browser's title bar and the search results;
//   - remarkChapterNumber puts "Chapter 03" above the chapter's own heading;
//   - the toc plugin (default export) gives the landing page every chapter's number, title
//     and address, for its table of contents.

import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Heading, Root } from 'mdast';
import type { LoadContext, ParseFrontMatter, Plugin } from '@docusaurus/types';
import type { VFile } from 'vfile';
import { chapterOf } from '../../tangle/chapters.ts';
import { DOCS } from '../../tangle/files.ts';
import type { Chapter } from '../../tangle/parse.ts';
import { TOC_PLUGIN, type TocEntry } from './toc.ts';


/** The chapter a file is, if it is docs/NN-slug.md(x) directly under root. */
export function chapterAt(root: string, filePath: string): Chapter | undefined {
  const folder = relative(resolve(root), dirname(resolve(filePath)));
  return folder === DOCS ? chapterOf(DOCS, basename(filePath)) : undefined;
}

/** "03": the NN- prefix of the chapter's file name, exactly as written there. */
export function labelOf(chapter: Chapter): string {
  return chapter.slug.slice(0, chapter.slug.indexOf('-'));
}

export function numberedTitle(chapter: Chapter, title: string): string {
  return `${labelOf(chapter)} · ${title}`;
}

/** The front matter as Docusaurus reads it, with the chapter's number before its title. */
export function chapterFrontMatter(root: string): ParseFrontMatter {
  return async (params) => {
    const result = await params.defaultParseFrontMatter(params);
    const chapter = chapterAt(root, params.filePath);
    const title = result.frontMatter.title;
    if (chapter && typeof title === 'string') {
      result.frontMatter = { ...result.frontMatter, title: numberedTitle(chapter, title) };
    }
    return result;
  };
}

/** A remark plugin: the chapter's first heading gets "Chapter NN" above its text. */
export function remarkChapterNumber(options: { root?: string } = {}) {
  const root = resolve(options.root ?? process.cwd());
  return (tree: Root, file: VFile): void => {
    const chapter = file.path ? chapterAt(root, file.path) : undefined;
    if (!chapter) return;
    const heading = tree.children.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
    if (!heading) return;
    heading.children.unshift({
      type: 'text',
      value: `Chapter ${labelOf(chapter)}`,
      data: { hName: 'span', hProperties: { className: ['obb-chapter-number'] } },
    });
  };
}

interface LoadedDoc {
  source: string; // @site/docs/03-buddies.md
  title: string;
  permalink: string;
}

/** A Docusaurus plugin: the chapters, in order, as global data for the landing page. */
export default function chapterToc(context: LoadContext): Plugin {
  return {
    name: TOC_PLUGIN,
    // The bundler's persistent cache knows the config file, not the remark plugins under
    // site/ (the weave, chapter numbers, diagrams): a change to them must recompile the pages.
    configureWebpack(config) {
      const cache = config.cache;
      if (typeof cache !== 'object' || cache.type !== 'filesystem') return {};
      return { cache: { type: 'filesystem', buildDependencies: { plugins: [`${join(context.siteDir, 'site')}/`] } } };
    },
    async allContentLoaded({ allContent, actions }) {
      const docs = allContent['docusaurus-plugin-content-docs']?.default as
        | { loadedVersions: { docs: LoadedDoc[] }[] }
        | undefined;
      const entries: TocEntry[] = [];
      for (const doc of docs?.loadedVersions[0]?.docs ?? []) {
        const chapter = chapterAt(context.siteDir, resolve(context.siteDir, doc.source.replace(/^@site\//, '')));
        if (!chapter) continue;
        const prefix = numberedTitle(chapter, '');
        const title = doc.title.startsWith(prefix) ? doc.title.slice(prefix.length) : doc.title;
        entries.push({ number: chapter.number, label: labelOf(chapter), title, permalink: doc.permalink });
      }
      entries.sort((a, b) => a.number - b.number);
      actions.setGlobalData({ chapters: entries });
    },
  };
}
