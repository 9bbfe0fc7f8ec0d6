// The tree widget in chromium (called from site.test.ts, which owns the build and the
// browser): the chapter's worked example, replayed by clicking, must be drawn as the
// chapter's own diagram says; a command typed at the keyboard must reach the C; the frame
// must not move when the WebAssembly arrives; nothing may come from another site.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Code } from 'mdast';
import type { Page } from 'playwright-core';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { WIDGET_FENCE } from '../../site/tree-widget/remark.ts';

export interface WidgetExample {
  steps: string[]; // the fence's commands, the region line left out
  drawn: Map<number, string>; // node -> the first words of its state in the chapter's diagram
}

/** The chapter's tree-widget fence, and the mermaid diagram just before it. */
export function chapterExample(root: string, file: string): WidgetExample {
  const fences: Code[] = [];
  visit(unified().use(remarkParse).parse(readFileSync(join(root, file), 'utf8')), 'code', (node: Code) => void fences.push(node));
  const script = fences.find((f) => f.lang === WIDGET_FENCE);
  if (!script) throw new Error(`${file} has no ${WIDGET_FENCE} fence`);
  const line = script.position!.start.line;
  const diagram = fences.filter((f) => f.lang === 'mermaid' && f.position!.start.line < line).at(-1);
  const labels = diagram?.value.matchAll(/n(\d+)\["\1: ([a-z, ]+?)(?: \(|")/g) ?? [];
  const drawn = new Map([...labels].map((m) => [Number(m[1]), m[2]!]));
  const steps = script.value.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('region'));
  return { steps, drawn };
}

/** The states the widget's table shows: node -> state name. */
export async function drawnStates(page: Page): Promise<Map<number, string>> {
  const rows = await page.locator('.obb-tree-widget').first().locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [Number(tr.getAttribute('data-node')), tr.querySelector('td:last-child span:last-child')?.textContent ?? ''] as const),
  );
  return new Map(rows);
}

export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate((t) => window.localStorage.setItem('theme', t), theme);
}

/**
 * Opens a page with the widget while its .wasm is held back for a moment: the widget's
 * box must be as tall before the WebAssembly as after.
 */
export async function openWidget(page: Page, url: string): Promise<{ before: number; after: number }> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(url);
  const widget = page.locator('.obb-tree-widget').first();
  await widget.waitFor();
  await widget.scrollIntoViewIfNeeded();
  await page.waitForLoadState('load');
  const before = (await widget.boundingBox())!.height;
  if ((await widget.getAttribute('data-ready')) !== 'no') throw new Error('the widget was ready before its .wasm arrived');
  release();
  await page.locator('.obb-tree-widget[data-ready="yes"]').first().waitFor({ timeout: 20_000 });
  const after = (await widget.boundingBox())!.height;
  await page.unroute('**/*.wasm');
  return { before, after };
}

/** Steps through the example from the keyboard; before each step the button names it. */
export async function replay(page: Page, example: WidgetExample): Promise<void> {
  const widget = page.locator('.obb-tree-widget').first();
  const button = widget.locator('button[data-replay]');
  await button.focus();
  for (const [i, step] of example.steps.entries()) {
    const label = await button.textContent();
    if (label !== `Step ${i + 1} of ${example.steps.length}: ${step}`) throw new Error(`the replay button says "${label}" before step ${i + 1}, ${step}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (n) => document.querySelector('.obb-tree-widget button[data-replay]')?.getAttribute('data-replay') === String(n),
      i + 1,
    );
  }
}
