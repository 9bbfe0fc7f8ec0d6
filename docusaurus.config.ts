// The book's website. `make book` tangles the chapters, then builds this site into build/.

import type { Config } from '@docusaurus/types';
import type { Options as DocsOptions } from '@docusaurus/plugin-content-docs';
import type { Options as PresetOptions, ThemeConfig } from '@docusaurus/preset-classic';
import type { PluginOptions as SearchOptions } from '@easyops-cn/docusaurus-search-local';
import bookPlugin, { DOCS_ROUTE } from './site/plugin.ts';
import weave from './site/weave.ts';
import chapterToc, { chapterFrontMatter, remarkChapterNumber } from './site/chapter-numbers/index.ts';
import mermaidSvg from './site/mermaid-svg/index.ts';
import treeWidget from './site/tree-widget/index.ts';
import treeWidgetFence from './site/tree-widget/remark.ts';
import { shikiOptions } from './site/weave-shiki.ts';
import { PLOT_CLASS } from './src/components/bench/lib.ts';

// GitHub Pages serves a project site from https://<owner>.github.io/<repo>/; the deploy
// workflow sets these two, a local build uses the defaults.
const siteUrl = process.env.OBB_SITE_URL ?? 'http://localhost:3000';
const baseUrl = process.env.OBB_BASE_URL ?? '/';

// The repository's web address, for "edit this page" and the navbar (the workflow sets it).
const repository = process.env.OBB_REPOSITORY_URL;

export default async function createConfig(): Promise<Config> {
  // ESM-only packages: imported here, once, because this file is loaded as CommonJS.
  const { default: rehypeShiki } = await import('@shikijs/rehype');

  const docs = {
    path: 'docs',
    routeBasePath: DOCS_ROUTE,
    sidebarPath: './sidebars.ts',
    // Diagrams are drawn to SVG at build time (site/mermaid-svg), so a link into a page
    // lands where it points. A ```tree-widget fence becomes the tree widget before the
    // weave, which never sees it. Weave before Docusaurus's own plugins: it must see the
    // fences before code meta is rewritten.
    beforeDefaultRemarkPlugins: [
      treeWidgetFence,
      [mermaidSvg, { root: __dirname }],
      [weave, { root: __dirname }],
      [remarkChapterNumber, { root: __dirname }],
    ],
    // Shiki replaces Prism; it runs after remark-rehype, on the <pre> the weave annotated.
    rehypePlugins: [[rehypeShiki, shikiOptions]],
    editUrl: repository ? `${repository}/edit/main/` : undefined,
    showLastUpdateTime: false,
  } satisfies DocsOptions;

  const preset = {
    docs,
    blog: false,
    pages: {},
    theme: { customCss: ['./src/css/custom.css', './src/css/reading.css'] },
    sitemap: { changefreq: 'weekly' },
  } satisfies PresetOptions;

  const search = {
    hashed: true,
    language: ['en'],
    indexBlog: false,
    docsRouteBasePath: DOCS_ROUTE,
    // Jumping from a result highlights the word on the chapter page.
    highlightSearchTermsOnTargetPage: true,
    searchResultLimits: 10,
    // A chart's tick and bar labels are not words a reader searches for; its caption is.
    ignoreCssSelectors: [`.${PLOT_CLASS}`],
  } satisfies SearchOptions;

  const themeConfig = {
    colorMode: { defaultMode: 'light', respectPrefersColorScheme: true },
    navbar: {
      title: 'One Byte a Block',
      logo: { alt: 'One Byte a Block', src: 'img/logo.svg' },
      items: [
        { type: 'docSidebar', sidebarId: 'book', position: 'left', label: 'The book' },
        ...(repository ? [{ href: repository, label: 'GitHub', position: 'right' as const }] : []),
      ],
    },
    footer: {
      style: 'dark',
      copyright: 'One Byte a Block: a malloc written as a book. Built with Docusaurus.',
    },
    docs: { sidebar: { hideable: true } },
    tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
  } satisfies ThemeConfig;

  return {
    title: 'One Byte a Block',
    tagline: 'A malloc replacement in C, written as a book you can run',
    favicon: 'img/logo.svg',
    url: siteUrl,
    baseUrl,
    trailingSlash: false,
    // A broken link, or a link to an anchor no page defines, fails the build.
    onBrokenLinks: 'throw',
    onBrokenAnchors: 'throw',
    onDuplicateRoutes: 'throw',
    markdown: {
      // .md chapters stay CommonMark, so C's `<` and `{` in prose are plain text; only .mdx is MDX.
      format: 'detect',
      // A chapter's title carries its number, from its file name (site/chapter-numbers).
      parseFrontMatter: chapterFrontMatter(__dirname),
      hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
    },
    i18n: { defaultLocale: 'en', locales: ['en'] },
    presets: [['classic', preset]],
    themes: [['@easyops-cn/docusaurus-search-local', search]],
    // treeWidget builds chapter 04's tree.c to WebAssembly.
    plugins: [bookPlugin, chapterToc, treeWidget],
    // The snapshot tarballs are written here by site/plugin.ts (out/ is ignored).
    staticDirectories: ['static', 'out/site-static'],
    themeConfig,
  } satisfies Config;
}
