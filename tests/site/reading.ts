// The site as a book reader meets it (issue 16): links land where they point, diagrams are
// in the page without JavaScript, the code fits its column, chapters carry their numbers,
// and the landing page's contents lead to the chapters.
//
// site.test.ts calls readingTests() inside its browser suite, so these share its build.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { Chapter, Tangle } from '../../tangle/index.ts';
import { MAX_CODE_COLUMNS } from '../../tangle/width.ts';
import { openBrowser, type Browser } from './browser.ts';

export interface ReadingContext {
  url: string; // the static server's root
  browser: Browser;
  book: Tangle;
  root: string; // the repository
  screenshots: string;
}

/** "03": the NN- prefix of the chapter's file name. */
function labelOf(chapter: Chapter): string {
  return chapter.slug.slice(0, chapter.slug.indexOf('-'));
}

function titleOf(root: string, chapter: Chapter): string {
  const title = /^title:\s*"?([^"\n]+)"?/m.exec(readFileSync(join(root, chapter.file), 'utf8'))?.[1];
  if (!title) throw new Error(`${chapter.file} has no title in its front matter`);
  return title;
}

function diagramCount(root: string, chapter: Chapter): number {
  return (readFileSync(join(root, chapter.file), 'utf8').match(/^```mermaid/gm) ?? []).length;
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  // Anything that would move the page later (fonts, late layout) has had its chance.
  await page.waitForTimeout(500);
}

/** How far below the navbar's bottom edge the element with this id starts, in px. */
async function belowNavbar(page: Page, id: string): Promise<number> {
  return page.evaluate((anchor) => {
    const target = document.getElementById(anchor);
    const navbar = document.querySelector('.navbar');
    if (!target || !navbar) return Number.NaN;
    return target.getBoundingClientRect().top - navbar.getBoundingClientRect().bottom;
  }, id);
}

// A target lands "at the top" when it starts just under the navbar: its scroll margin is
// the navbar's height plus at most 0.75 rem (12 px); a few px of rounding on top of that.
const LANDS_WITHIN = 20;

export function readingTests(context: () => ReadingContext): void {
  test('should land a cross-chapter link into a page with diagrams at the top of the window', async () => {
    const { url, browser, book, root, screenshots } = context();
    const chapters = book.book.chapters;
    const withDiagrams = chapters.filter((c) => diagramCount(root, c) > 0 && c.number > chapters[0]!.number);
    expect(withDiagrams.length, 'no chapter after the first has a diagram').toBeGreaterThan(0);
    const page = await browser.context.newPage();
    let followed = 0;
    for (const target of withDiagrams) {
      // A block footer's link ("continued in", "used in") from an earlier chapter into this one.
      let from: Chapter | undefined;
      for (const candidate of chapters.slice(0, chapters.indexOf(target))) {
        await page.goto(`${url}/docs/${candidate.id}`);
        await settle(page);
        if ((await page.locator(`.obb-block a[href^="/docs/${target.id}#"]`).count()) > 0) {
          from = candidate;
          break;
        }
      }
      if (!from) continue;
      const links = page.locator(`.obb-block a[href^="/docs/${target.id}#"]`);
      const link = links.last();
      const href = (await link.getAttribute('href'))!;
      const id = decodeURIComponent(href.slice(href.indexOf('#') + 1));
      await link.scrollIntoViewIfNeeded();
      await link.click();
      await page.waitForURL((u) => u.pathname === `/docs/${target.id}` && u.hash === `#${id}`);
      await settle(page);
      const offset = await belowNavbar(page, id);
      if (offset < 0 || offset > LANDS_WITHIN) {
        await page.screenshot({ path: join(screenshots, `landing-${target.slug}.png`) });
      }
      expect(offset, `${from.id} -> ${href}: the target starts ${offset} px below the navbar`).toBeGreaterThanOrEqual(0);
      expect(offset, `${from.id} -> ${href}: the target starts ${offset} px below the navbar`).toBeLessThanOrEqual(LANDS_WITHIN);
      followed += 1;
    }
    expect(followed, 'no block links into a later chapter with diagrams').toBeGreaterThan(0);
    await page.close();
  });

  test('should land a link to a heading below a diagram at the top, on a fresh load too', async () => {
    const { url, browser, book, root } = context();
    const page = await browser.context.newPage();
    let checked = 0;
    for (const chapter of book.book.chapters.filter((c) => diagramCount(root, c) > 0)) {
      await page.goto(`${url}/docs/${chapter.id}`);
      await settle(page);
      // The first section heading below the last diagram: every diagram is above it.
      const id = await page.evaluate(() => {
        const figures = Array.from(document.querySelectorAll('article .obb-mermaid'));
        const below = figures.at(-1)!.getBoundingClientRect().bottom;
        const headings = Array.from(document.querySelectorAll<HTMLElement>('article .markdown h2[id], article .markdown h3[id]'));
        // ...that the page can scroll to the top: one near the end of a short page cannot.
        const end = document.documentElement.scrollHeight - window.innerHeight;
        const reachable = (h: HTMLElement) =>
          h.getBoundingClientRect().top + window.scrollY - parseFloat(getComputedStyle(h).scrollMarginTop) <= end;
        return headings.find((h) => h.getBoundingClientRect().top > below && reachable(h))?.id;
      });
      if (!id) continue;
      await page.goto(`${url}/docs/${chapter.id}#${encodeURIComponent(id)}`);
      await settle(page);
      const offset = await belowNavbar(page, id);
      expect(offset, `${chapter.id}#${id} starts ${offset} px below the navbar`).toBeGreaterThanOrEqual(0);
      expect(offset, `${chapter.id}#${id} starts ${offset} px below the navbar`).toBeLessThanOrEqual(LANDS_WITHIN);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
    await page.close();
  });

  test('should show every diagram without JavaScript, and the dark drawing in dark mode', async () => {
    const { url, browser, book, root, screenshots } = context();
    const noScript = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await noScript.context.newPage();
      let diagrams = 0;
      for (const chapter of book.book.chapters) {
        const expected = diagramCount(root, chapter);
        await page.goto(`${url}/docs/${chapter.id}`);
        const shown = await page.locator('.obb-mermaid').evaluateAll((figures) =>
          figures.map((f) => {
            const svg = Array.from(f.querySelectorAll('svg')).find((s) => s.getBoundingClientRect().height > 0);
            return svg ? { height: svg.getBoundingClientRect().height, labels: svg.textContent?.length ?? 0 } : undefined;
          }),
        );
        expect(shown.length, `${chapter.file}: diagrams in the page`).toBe(expected);
        for (const diagram of shown) {
          expect(diagram, `${chapter.file}: a diagram with no visible drawing`).toBeDefined();
          expect(diagram!.height).toBeGreaterThan(40);
          expect(diagram!.labels).toBeGreaterThan(0);
        }
        if (expected > 0 && diagrams === 0) {
          await page.locator('.obb-mermaid').first().scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(screenshots, `${chapter.slug}-diagram-no-js.png`) });
        }
        diagrams += expected;
      }
      expect(diagrams).toBeGreaterThan(0);
    } finally {
      await noScript.close();
    }
    // With JavaScript, in dark mode, the dark drawing shows and the light one does not.
    const chapter = book.book.chapters.find((c) => diagramCount(root, c) > 0)!;
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.addInitScript(() => window.localStorage.setItem('theme', 'dark'));
    await page.goto(`${url}/docs/${chapter.id}`);
    await settle(page);
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    const visible = await page.locator('.obb-mermaid').first().evaluate((f) => ({
      light: (f.querySelector('.obb-mermaid-light svg')?.getBoundingClientRect().height ?? 0) > 0,
      dark: (f.querySelector('.obb-mermaid-dark svg')?.getBoundingClientRect().height ?? 0) > 0,
    }));
    expect(visible).toEqual({ light: false, dark: true });
    await page.close();
  });

  test(`should fit every code block of every chapter in its column at 1280 px (${MAX_CODE_COLUMNS} columns)`, async () => {
    const { url, browser, book } = context();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const scrolling: string[] = [];
    for (const chapter of book.book.chapters) {
      await page.goto(`${url}/docs/${chapter.id}`);
      await page.waitForLoadState('networkidle');
      const found = await page.locator('article pre.shiki').evaluateAll((pres) =>
        pres
          .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
          .map((pre) => {
            const widest = (pre.textContent ?? '').split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
            return `${pre.scrollWidth} > ${pre.clientWidth} px: ${widest.slice(0, 60)}`;
          }),
      );
      scrolling.push(...found.map((f) => `${chapter.file}: ${f}`));
      // The column holds the widest line the tangler allows, plus two: 78 characters.
      const room = await page.locator('article pre.shiki').first().evaluate((pre, columns) => {
        const probe = document.createElement('span');
        probe.textContent = 'x'.repeat(columns);
        probe.style.whiteSpace = 'pre';
        pre.querySelector('code')!.append(probe);
        const wide = probe.getBoundingClientRect().width;
        probe.remove();
        const style = getComputedStyle(pre);
        return pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - wide;
      }, MAX_CODE_COLUMNS + 2).catch(() => undefined);
      if (room !== undefined) expect(room, `${chapter.file}: 78 characters do not fit the code column`).toBeGreaterThanOrEqual(0);
    }
    expect(scrolling).toEqual([]);
    await page.close();
  });

  test('should show on a phone that a code block scrolls sideways', async () => {
    const { url, browser, book, screenshots } = context();
    const chapter = book.snapshots.find((s) => s.files.size > 0)!.chapter;
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/docs/${chapter.id}`);
    await page.waitForLoadState('networkidle');
    const wide = page.locator('article pre.shiki').filter({ has: page.locator('code') });
    const index = await wide.evaluateAll((pres) => pres.findIndex((p) => p.scrollWidth > p.clientWidth + 1));
    expect(index, 'no code block is wider than a phone').toBeGreaterThanOrEqual(0);
    const pre = wide.nth(index);
    await pre.scrollIntoViewIfNeeded();
    // The right edge is shaded while there is more to the right, and the left edge once the
    // block is scrolled: each edge is compared with the same block drawn without the shading.
    const box = (await pre.boundingBox())!;
    const shaded = async (side: 'left' | 'right'): Promise<boolean> => {
      const x = side === 'left' ? box.x + 1 : box.x + box.width - 4;
      const clip = { x, y: box.y + 4, width: 3, height: Math.min(box.height - 8, 200) };
      const normal = await page.screenshot({ clip });
      await pre.evaluate((p) => p.style.setProperty('background-image', 'none', 'important'));
      const plain = await page.screenshot({ clip });
      await pre.evaluate((p) => p.style.removeProperty('background-image'));
      return !normal.equals(plain);
    };
    await page.screenshot({ path: join(screenshots, `${chapter.slug}-phone-scroll.png`) });
    expect(await shaded('right'), 'a block with more to its right has no shade on its right edge').toBe(true);
    expect(await shaded('left'), 'a block at its start has a shade on its left edge').toBe(false);
    await pre.evaluate((p) => {
      p.scrollLeft = p.scrollWidth;
    });
    expect(await shaded('left'), 'a block scrolled to its end has no shade on its left edge').toBe(true);
    expect(await shaded('right'), 'a block scrolled to its end still has a shade on its right edge').toBe(false);
    await page.close();
  });

  test('should number the chapters in the sidebar, the titles and the previous/next cards', async () => {
    const { url, browser, book, root } = context();
    const chapters = book.book.chapters;
    const page = await browser.context.newPage();
    for (const [i, chapter] of chapters.entries()) {
      const label = `${labelOf(chapter)} · ${titleOf(root, chapter)}`;
      await page.goto(`${url}/docs/${chapter.id}`);
      await page.waitForLoadState('networkidle');
      await expect(page.title()).resolves.toContain(label);
      const heading = (await page.locator('article h1').first().textContent()) ?? '';
      expect(heading, chapter.file).toContain(`Chapter ${labelOf(chapter)}`);
      const sidebar = page.locator(`.theme-doc-sidebar-menu a[href="/docs/${chapter.id}"]`);
      await expect(sidebar.textContent()).resolves.toBe(label);
      const next = chapters[i + 1];
      if (next) {
        const card = page.locator('.pagination-nav__link--next');
        await expect(card.textContent()).resolves.toContain(`${labelOf(next)} · ${titleOf(root, next)}`);
      }
      const previous = chapters[i - 1];
      if (previous) {
        const card = page.locator('.pagination-nav__link--prev');
        await expect(card.textContent()).resolves.toContain(`${labelOf(previous)} · ${titleOf(root, previous)}`);
      }
    }
    await page.close();
  });

  test("should list every chapter on the landing page, each line a link to the chapter", async () => {
    const { url, browser, book, root } = context();
    const page = await browser.context.newPage();
    await page.goto(`${url}/`);
    await page.waitForLoadState('networkidle');
    const lines = page.locator('nav[aria-label="Contents"] li a');
    const entries = await lines.evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
    expect(entries).toEqual(
      book.book.chapters.map((c) => ({ href: `/docs/${c.id}`, text: `${labelOf(c)}${titleOf(root, c)}` })),
    );
    // Each line leads to its chapter (through the router, as a reader's click does).
    for (const [i, chapter] of book.book.chapters.entries()) {
      if (i > 0) {
        await page.goto(`${url}/`);
        await page.waitForLoadState('networkidle');
      }
      await lines.nth(i).click();
      await page.waitForURL((u) => u.pathname === `/docs/${chapter.id}`);
      await expect(page.locator('article h1').first().textContent()).resolves.toContain(titleOf(root, chapter));
    }
    await page.close();
  });
}
