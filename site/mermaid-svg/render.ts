// Mermaid diagrams drawn to SVG once, at build time, in Debian's chromium.
//
// Mermaid needs a browser to lay a diagram out (it measures its labels' text), so the
// build drives /usr/bin/chromium through playwright-core, never a downloaded browser.
// Each diagram is drawn twice, in the light and the dark theme, and the SVG is cached in
// out/mermaid-svg/ under a hash of what shapes it (mermaid's version, the theme, the
// source), so a build that changed no diagram never starts the browser.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

// Debian's chromium; OBB_CHROMIUM names another installed Chrome (the Pages workflow's
// Ubuntu runner has /usr/bin/google-chrome). Nothing is ever downloaded.
export const CHROMIUM = process.env.OBB_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** The site's two colour modes and the mermaid theme each one uses. */
export const THEMES = { light: 'neutral', dark: 'dark' } as const;
export type Mode = keyof typeof THEMES;

export interface Drawn {
  light: string;
  dark: string;
}

const require = createRequire(import.meta.url);
const MERMAID_PACKAGE = require.resolve('mermaid/package.json');
const MERMAID_VERSION = (JSON.parse(readFileSync(MERMAID_PACKAGE, 'utf8')) as { version: string }).version;
const MERMAID_SCRIPT = join(dirname(MERMAID_PACKAGE), 'dist/mermaid.min.js');
// Bump when the way a diagram is drawn changes, so cached SVG is drawn again.
const RENDERER = 'obb-mermaid-svg 1';

export function diagramKey(source: string, mode: Mode): string {
  return createHash('sha256').update(`${RENDERER}\0${MERMAID_VERSION}\0${THEMES[mode]}\0${source}`).digest('hex').slice(0, 20);
}

function cachePath(cache: string, key: string): string {
  return join(cache, `${key}.svg`);
}

function cached(cache: string, source: string): Drawn | undefined {
  const light = cachePath(cache, diagramKey(source, 'light'));
  const dark = cachePath(cache, diagramKey(source, 'dark'));
  if (!existsSync(light) || !existsSync(dark)) return undefined;
  return { light: readFileSync(light, 'utf8'), dark: readFileSync(dark, 'utf8') };
}

/** Draws every source not yet in the cache, all in one browser, and returns every drawing. */
async function drawMissing(cache: string, sources: readonly string[]): Promise<void> {
  const missing = [...new Set(sources)].filter((s) => cached(cache, s) === undefined);
  if (missing.length === 0) return;
  const profile = mkdtempSync(join(tmpdir(), 'obb-mermaid-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await context.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: MERMAID_SCRIPT });
    mkdirSync(cache, { recursive: true });
    for (const source of missing) {
      for (const mode of Object.keys(THEMES) as Mode[]) {
        const key = diagramKey(source, mode);
        // The SVG's id scopes its own <style>: it must differ between the two drawings.
        const svg = await page.evaluate(
          async ({ id, theme, text }) => {
            const mermaid = (globalThis as unknown as { mermaid: MermaidApi }).mermaid;
            mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme });
            return (await mermaid.render(id, text)).svg;
          },
          { id: `obb-mermaid-${key}`, theme: THEMES[mode], text: source },
        );
        writeFileSync(cachePath(cache, key), svg);
      }
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

// One browser at a time: the bundler compiles pages in parallel.
let queue: Promise<unknown> = Promise.resolve();

/** The light and dark SVG of each source, drawing (in one browser) those not cached yet. */
export function drawDiagrams(cache: string, sources: readonly string[]): Promise<Drawn[]> {
  const job = queue.then(async () => {
    await drawMissing(cache, sources);
    return sources.map((s) => {
      const drawn = cached(cache, s);
      if (!drawn) throw new Error(`mermaid-svg: a diagram was not drawn:\n${s}`);
      return drawn;
    });
  });
  queue = job.catch(() => undefined);
  return job;
}
