// The moves every e2e step makes in code-server: wait for something, run a palette command,
// find the webview that shows a selector, take a numbered screenshot into test-output/e2e/.
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { ROOT } from './codeServer';

export const OUT = path.join(ROOT, 'test-output', 'e2e');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let shot = 0;
export async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(OUT, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  process.stderr.write(`e2e: screenshot ${path.relative(ROOT, file)}\n`);
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined | null | false>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(500);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
  );
}

export async function palette(page: Page, command: string, pick?: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first();
  // The extension's commands appear only once the extension host has scanned it, which
  // can lag the workbench by many seconds: reopen the palette until the command is listed.
  await waitFor(`"${command}" in the command palette`, 120_000, async () => {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill(`>${command}`);
    try {
      await row.waitFor({ timeout: 5_000 });
      return true;
    } catch {
      await page.keyboard.press('Escape');
      return undefined;
    }
  });
  await page.keyboard.press('Enter');
  if (pick) {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().waitFor({ timeout: 30_000 });
    await input.fill(pick);
    await sleep(300);
    await page.keyboard.press('Enter');
  }
}

/**
 * The webview whose page holds `selector`. Webviews in code-server are nested iframes (the
 * host frame, then #active-frame with the page), one per view or panel, so with the Metrics
 * view and a panel both open the right one is found by what it shows.
 */
export async function webviewWith(
  page: Page,
  selector: string,
  what: string,
  timeoutMs: number,
): Promise<FrameLocator> {
  const hosts = page.frameLocator('iframe.webview.ready');
  return waitFor(what, timeoutMs, async () => {
    const n = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < n; i++) {
      const frame = hosts.nth(i).frameLocator('#active-frame');
      if (await frame.locator(selector).count()) return frame;
    }
    return undefined;
  });
}
