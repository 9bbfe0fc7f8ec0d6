// The book's website, built once from the real chapters: the HTML Docusaurus writes, then
// the pages in Debian's chromium as a reader meets them.
//
// The build takes a minute or two; every test below reads the same build. Screenshots go to
// out/screenshots/ (ignored), for a person to look at.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readBook } from '../../tangle/files.ts';
import { tangle, type Block, type Tangle } from '../../tangle/index.ts';
import { openBrowser, type Browser } from './browser.ts';
import { readingTests } from './reading.ts';
import { serveFolder, type StaticServer } from './serve.ts';
import { chapterExample, drawnStates, openWidget, replay, setTheme } from './tree-widget.ts';

// OBB_SITE_ROOT lets a developer point the suite at a scratch copy of the book.
const ROOT = resolve(process.env.OBB_SITE_ROOT ?? join(import.meta.dirname, '../..'));
const OUT = join(ROOT, 'out/site-build'); // not build/, which `make book` owns
const SCREENSHOTS = join(ROOT, 'out/screenshots');

let book: Tangle;
let buildLog = '';

function chapterHtml(id: string): string {
  return readFileSync(join(OUT, 'docs', `${id}.html`), 'utf8');
}

function allBlocks(): Block[] {
  return [...book.book.roots.values(), ...book.book.chunks.values()].flatMap((e) => e.blocks);
}

function blocksOf(chapterFile: string): Block[] {
  return allBlocks().filter((b) => b.chapter.file === chapterFile);
}

/** The chapter that draws the benchmark charts: the one that reads the committed results. */
function benchmarkChapter(): Tangle['book']['chapters'][number] {
  const found = book.book.chapters.find((c) => readFileSync(join(ROOT, c.file), 'utf8').includes('@site/bench/results/'));
  if (!found) throw new Error('no chapter imports bench/results/');
  return found;
}

/** Every <section id=...> of a page, as its HTML from the id onward. */
function sections(html: string): string[] {
  return html.split('<section id="').slice(1).map((s) => s.slice(0, s.indexOf('</section>')));
}

beforeAll(async () => {
  const { sources, diagnostics } = readBook(ROOT);
  book = tangle(sources, diagnostics);
  await execa('npx', ['tsx', 'tangle/cli.ts', 'write'], { cwd: ROOT });
  // --no-minify: the test reads the HTML, and minifying the client bundle doubles the time.
  const result = await execa('npx', ['docusaurus', 'build', '--no-minify', '--out-dir', OUT], {
    cwd: ROOT,
    all: true,
    reject: false,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  buildLog = result.all ?? '';
  if (result.exitCode !== 0) throw new Error(`docusaurus build failed:\n${buildLog}`);
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 600_000);

describe('the built HTML', () => {
  test('should build without a warning about broken links or anchors', () => {
    expect(buildLog).toContain('[SUCCESS]');
    expect(buildLog).not.toMatch(/broken (link|anchor)/i);
    expect(buildLog).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  test('should have a page for every chapter, in the sidebar in book order', () => {
    expect(book.book.chapters.length).toBeGreaterThan(0);
    const html = chapterHtml(book.book.chapters[0]!.id);
    const sidebar = html.slice(html.indexOf('theme-doc-sidebar-menu'));
    const positions = book.book.chapters.map((c) => sidebar.indexOf(`href="/docs/${c.id}"`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test('should highlight every code block with shiki, in both colour schemes, and none with Prism', () => {
    for (const chapter of book.book.chapters) {
      const html = chapterHtml(chapter.id);
      expect(html).not.toContain('prism-code');
      const pres = (html.match(/<pre [^>]*>/g) ?? []).filter((p) => !p.includes('obb-commands'));
      for (const pre of pres) expect(pre).toContain('class="shiki ');
      // Each highlighted block keeps a copy button.
      expect(html.split('aria-label="Copy code to clipboard"').length - 1, chapter.file).toBe(pres.length);
      if (blocksOf(chapter.file).length > 0) {
        expect(html).toMatch(/<span style="color:#[0-9A-Fa-f]{6};--shiki-dark:#[0-9A-Fa-f]{6}">/);
      }
    }
  });

  test('should give every literate block a header saying what it does, and an anchor', () => {
    for (const chapter of book.book.chapters) {
      const found = sections(chapterHtml(chapter.id)).filter((s) => s.includes('obb-block'));
      const blocks = blocksOf(chapter.file).sort((a, b) => a.position.line - b.position.line);
      expect(found.length, chapter.file).toBe(blocks.length);
      blocks.forEach((block, i) => {
        const header = found[i]!.slice(found[i]!.indexOf('obb-block-header'), found[i]!.indexOf('</header>'));
        const text = header.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
        const verb =
          block.mode === 'define' ? (block.kind === 'root' ? 'new file' : 'defines') : block.mode === 'append' ? 'appends to' : 'replaces';
        expect(text, `${block.chapter.file}:${block.position.line}`).toContain(verb);
        expect(text).toContain(block.name);
        if (block.mode === 'replace') expect(text).toMatch(/from chapter \d+/);
      });
    }
  });

  test('should make every reference a link to an anchor that exists', () => {
    const ids = new Map(book.book.chapters.map((c) => [c.id, new Set([...chapterHtml(c.id).matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!))]));
    let links = 0;
    for (const chapter of book.book.chapters) {
      const html = chapterHtml(chapter.id);
      // Attribute order differs between same-page and cross-page links: read each tag whole.
      const tags = (html.match(/<a [^>]*class="obb-ref"[^>]*>/g) ?? []);
      const hrefs = tags.map((tag) => / href="([^"]*)"/.exec(tag)?.[1] ?? '(no href)');
      const references = blocksOf(chapter.file).reduce((n, b) => n + b.references.length, 0);
      expect(hrefs.length, chapter.file).toBe(references);
      for (const href of hrefs) {
        const [path, id] = href.split('#');
        const page = path === '' ? chapter.id : path!.replace(/^\/docs\//, '');
        expect(ids.get(page)?.has(id!), `${chapter.file}: ${href}`).toBe(true);
      }
      links += hrefs.length;
    }
    expect(links).toBe(allBlocks().reduce((n, b) => n + b.references.length, 0));
  });

  test("should leave the charts' labels out of the search index, and keep their captions", () => {
    const route = `/docs/${benchmarkChapter().id}`;
    const indexes = JSON.parse(readFileSync(join(OUT, 'search-index.json'), 'utf8')) as { documents: { u: string; t: string }[] }[];
    const text = indexes.flatMap((i) => i.documents).filter((d) => d.u.startsWith(route)).map((d) => d.t).join('\n');
    expect(text).toContain('left of the glibc line is faster'); // a caption is prose
    expect(text).not.toContain('← faster'); // a label drawn in a chart
    expect(text).not.toMatch(/\b\S+ under ours: /); // a bar's tooltip
  });

  test("should end each chapter with its snapshot: a tarball of the chapter's files and their list", async () => {
    for (const { chapter, files } of book.snapshots) {
      const html = chapterHtml(chapter.id);
      if (files.size === 0) {
        expect(html).toContain('This chapter has no code yet');
        continue;
      }
      expect(html).toContain(`href="/snapshots/${chapter.slug}.tar.gz"`);
      for (const path of files.keys()) expect(html).toContain(`${chapter.slug}<!-- -->/<!-- -->${path}`);
      const tarball = join(OUT, 'snapshots', `${chapter.slug}.tar.gz`);
      const { stdout } = await execa('tar', ['--list', '--gzip', `--file=${tarball}`]);
      expect(stdout.split('\n').sort()).toEqual([...files.keys()].map((p) => `${chapter.slug}/${p}`).sort());
    }
  });

  test("should build the latest chapter's downloaded snapshot with make alone", async () => {
    const last = book.snapshots.filter((s) => s.files.size > 0).at(-1);
    expect(last, 'no chapter has code yet').toBeDefined();
    expect(last!.files.has('Makefile')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'obb-snapshot-'));
    try {
      await execa('tar', ['--extract', '--gzip', `--file=${join(OUT, 'snapshots', `${last!.chapter.slug}.tar.gz`)}`], { cwd: dir });
      await execa('make', [], { cwd: join(dir, last!.chapter.slug) });
      expect(existsSync(join(dir, last!.chapter.slug, 'libmalloc.so'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the site in chromium', () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await serveFolder(OUT);
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * A page that records every console error, uncaught exception and failed request.
   * A request the page itself aborted (a prefetch cut short by the test's next navigation)
   * is not a failure of the site, but its file must exist: each is fetched again at the end.
   */
  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
    page.on('requestfailed', (r) => {
      if (r.failure()?.errorText === 'net::ERR_ABORTED') aborted.add(r.url());
      else problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    return { page, problems };
  }

  const aborted = new Set<string>();

  /** Fetches every aborted request again; one that is missing is a failure after all. */
  async function missingAborted(): Promise<string[]> {
    const missing: string[] = [];
    for (const url of aborted) {
      const response = await fetch(url);
      if (!response.ok) missing.push(`HTTP ${response.status}: ${url} (aborted in the page)`);
    }
    return missing;
  }

  async function visit(page: Page, path: string): Promise<void> {
    await page.goto(server.url + path);
    await page.waitForLoadState('networkidle');
  }

  test('should open the landing page and every chapter without a console error or a failed request', async () => {
    const { page, problems } = await openPage();
    await visit(page, '/');
    await expect(page.locator('h1').first().textContent()).resolves.toBe('One Byte a Block');
    await page.screenshot({ path: join(SCREENSHOTS, 'landing.png'), fullPage: true });
    for (const chapter of book.book.chapters) {
      await visit(page, `/docs/${chapter.id}`);
      await page.locator('article h1').first().waitFor();
      const source = readFileSync(join(ROOT, chapter.file), 'utf8');
      const diagrams = (source.match(/^```mermaid/gm) ?? []).length;
      if (diagrams > 0) {
        // Each diagram is in the page as SVG, drawn at build time (site/mermaid-svg).
        await expect(page.locator('.obb-mermaid-light svg').count()).resolves.toBe(diagrams);
      }
      // What a reader sees first, and the first literate block (full pages are slow to encode).
      await page.screenshot({ path: join(SCREENSHOTS, `${chapter.slug}.png`) });
      const block = page.locator('.obb-block').first();
      if ((await block.count()) > 0) {
        await block.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, `${chapter.slug}-code.png`) });
      }
    }
    expect([...problems, ...(await missingAborted())]).toEqual([]);
    await page.close();
  });

  test("should bring a chunk's definition into view when a reference to it is clicked", async () => {
    const user = allBlocks().find((b) => b.references.length > 0);
    expect(user, 'no chapter has a reference yet').toBeDefined();
    const { page, problems } = await openPage();
    await visit(page, `/docs/${user!.chapter.id}`);
    const link = page.locator('a.obb-ref').last();
    const href = (await link.getAttribute('href'))!;
    const id = decodeURIComponent(href.slice(href.indexOf('#') + 1));
    await link.click();
    await page.waitForURL((url) => url.hash === `#${id}`);
    const target = page.locator(`[id="${id}"]`);
    await expect(target.count()).resolves.toBe(1);
    await page.waitForFunction(
      (anchor) => {
        const box = document.getElementById(anchor)?.getBoundingClientRect();
        return box !== undefined && box.top >= 0 && box.top < window.innerHeight;
      },
      id,
      { timeout: 10_000 },
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'reference-followed.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('should switch to dark mode, and the code with it', async () => {
    const chapter = book.snapshots.find((s) => s.files.size > 0)?.chapter ?? book.book.chapters[0]!;
    const { page, problems } = await openPage();
    await visit(page, `/docs/${chapter.id}`);
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('light');
    // The toggle cycles through light, dark and "system"; click until the page is dark.
    const toggle = page.locator('button[aria-label*="dark and light mode"]');
    for (let i = 0; i < 3 && (await page.locator('html').getAttribute('data-theme')) !== 'dark'; i += 1) {
      await toggle.click();
    }
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    const colours = await page.evaluate(() => {
      const span = document.querySelector<HTMLElement>('pre.shiki span[style*="--shiki-dark"]');
      if (!span) return undefined;
      const probe = document.createElement('span');
      probe.style.color = span.style.getPropertyValue('--shiki-dark');
      document.body.append(probe);
      const wanted = getComputedStyle(probe).color;
      probe.remove();
      return { shown: getComputedStyle(span).color, wanted };
    });
    expect(colours).toBeDefined();
    expect(colours!.shown).toBe(colours!.wanted);
    await page.locator('.obb-block').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, `${chapter.slug}-dark.png`) });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('should draw every chart label at 12 px or more, on a desktop and on a phone, scrolling rather than shrinking', async () => {
    for (const width of [1280, 390]) {
      const { page, problems } = await openPage();
      await page.setViewportSize({ width, height: 900 });
      await visit(page, `/docs/${benchmarkChapter().id}`);
      const measured = await page.evaluate(() => {
        const labels = Array.from(document.querySelectorAll<SVGTextElement>('.obb-chart svg text'));
        const sizes = labels.map((t) => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0));
        const plots = Array.from(document.querySelectorAll<HTMLElement>('.obb-chart-plot'));
        return {
          sizes,
          pageFits: document.documentElement.scrollWidth <= window.innerWidth,
          scrolls: plots.filter((p) => p.scrollWidth > p.clientWidth).length,
        };
      });
      expect(measured.sizes.length, `${width} px`).toBeGreaterThan(100);
      expect(Math.min(...measured.sizes), `${width} px`).toBeGreaterThanOrEqual(12);
      expect(measured.pageFits, `${width} px: the page itself scrolls sideways`).toBe(true);
      if (width < 500) expect(measured.scrolls, 'on a phone, every chart scrolls').toBeGreaterThan(0);
      await page.locator('.obb-chart').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, `charts-${width}.png`) });
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  test('should find a chapter by a word of its text and open it from the search box', async () => {
    const chapter = book.book.chapters.at(-1)!;
    const title = /^title:\s*"?([^"\n]+)"?/m.exec(readFileSync(join(ROOT, chapter.file), 'utf8'))?.[1] ?? chapter.id;
    const word = title.split(/\W+/).sort((a, b) => b.length - a.length)[0]!;
    const { page, problems } = await openPage();
    await visit(page, '/');
    await page.locator('input.navbar__search-input').fill(word);
    // The search index loads on first use; the chapter's own title is one of the hits.
    const hit = page.locator('[role="option"]', { hasText: title }).first();
    await hit.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'search.png') });
    await hit.click();
    await page.waitForURL((url) => url.pathname === `/docs/${chapter.id}`);
    await expect(page.locator('article').first().textContent()).resolves.toContain(word);
    expect(problems).toEqual([]);
    await page.close();
  });
  test("should replay the chapters' examples in the tree widget, drawn from the C's own nibbles", async () => {
    const { page, problems } = await openPage();
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    await visit(page, '/');
    const pages = book.book.chapters.filter((c) => readFileSync(join(ROOT, c.file), 'utf8').includes('```tree-widget'));
    expect(pages.map((c) => c.id)).toEqual(expect.arrayContaining(['buddies', 'one-byte-a-block']));
    for (const chapter of pages) {
      const example = chapterExample(ROOT, chapter.file);
      for (const width of [1280, 390]) {
        for (const theme of ['light', 'dark'] as const) {
          await page.setViewportSize({ width, height: 900 });
          await setTheme(page, theme);
          const { before, after } = await openWidget(page, `${server.url}/docs/${chapter.id}`);
          expect(after, `${chapter.id} at ${width} px moved when the WebAssembly loaded`).toBeCloseTo(before, 0);
          await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe(theme);
          await replay(page, example);
          const drawn = await drawnStates(page);
          for (const [n, words] of example.drawn) expect(drawn.get(n), `${chapter.id}: node ${n}`).toMatch(new RegExp(`^${words}`));
          if (example.drawn.size > 0) expect([...drawn.keys()].sort((a, b) => a - b)).toEqual([...example.drawn.keys()].sort((a, b) => a - b));
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${chapter.id} is wider than ${width} px`).toBeLessThanOrEqual(0);
          await page.addStyleTag({ content: '.navbar { display: none !important; }' }); // it would cover the widget's top
          await page.locator('.obb-tree-widget').first().screenshot({ path: join(SCREENSHOTS, `tree-widget-${chapter.slug}-${width}-${theme}.png`) });
        }
      }
    }
    // A command typed at the keyboard reaches the C, and a bad free shows the C's verdict.
    const chapter04 = pages.find((c) => c.id === 'one-byte-a-block')!;
    await openWidget(page, `${server.url}/docs/${chapter04.id}`);
    await replay(page, chapterExample(ROOT, chapter04.file));
    const widget = page.locator('.obb-tree-widget').first();
    const status = widget.locator('[role="status"]');
    await widget.locator('input').focus();
    await page.keyboard.type('malloc 48'); // after the example, 256 bytes hold no free 64
    await page.keyboard.press('Enter');
    await expect(status.textContent()).resolves.toBe('malloc(48) returns NULL: the tree has no free block of 48 bytes or more.');
    await page.keyboard.type('malloc 16');
    await page.keyboard.press('Enter');
    await expect(status.textContent()).resolves.toMatch(/^d = malloc\(16\): the 16-byte block at 0x[0-9a-f]+, node \d+\.$/);
    for (let i = 0; i < 2; i += 1) {
      await page.keyboard.type('free a');
      await page.keyboard.press('Enter');
    }
    await expect(status.getAttribute('data-verdict')).resolves.toBe('block is not allocated (double free?)');
    await setTheme(page, 'light');
    expect([...problems, ...foreign]).toEqual([]);
    await page.close();
  });

  readingTests(() => ({ url: server.url, browser, book, root: ROOT, screenshots: SCREENSHOTS }));
});
