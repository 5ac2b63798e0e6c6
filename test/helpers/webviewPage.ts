// The built webview bundle (dist/webview.js) as VS Code would show it, in real Chromium:
// served under the same kind of CSP (nonce scripts, styles only from the served origin,
// nothing inline, data: images for a PNG export: extension/webviewHtml.ts), with a stub acquireVsCodeApi that records what the page posts and
// keeps its setState, and a theme's --vscode-* variables. For the webview integration tests
// (the pattern of test/webview/metricsPanel.int.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { findChromium, launchChromium } from '../e2e/browser';
import { ROOT } from './helpers';

const ORIGIN = 'http://webview.test';
const NONCE = 'dGVzdC1ub25jZQ==';
export const WEBVIEW_OUT = path.join(ROOT, 'test-output', 'webview');

// A few of the variables VS Code defines on a webview's root, per theme, and the class it
// gives the body. High contrast as VS Code's own themes define it: a colour a theme leaves
// unset is no variable at all (hc-dark has no button or secondary button background,
// nothing to hover a list with), and contrastBorder / contrastActiveBorder exist only there.
const BODY_CLASS = {
  dark: 'vscode-dark',
  light: 'vscode-light',
  'hc-dark': 'vscode-high-contrast',
  'hc-light': 'vscode-high-contrast vscode-high-contrast-light',
};

const THEMES = {
  dark: {
    // What the vscode-elements controls read (VS Code defines every registered colour).
    'settings-checkboxBackground': '#313131',
    'settings-checkboxBorder': '#3c3c3c',
    'settings-checkboxForeground': '#cccccc',
    'settings-dropdownBackground': '#313131',
    'settings-dropdownForeground': '#cccccc',
    'settings-dropdownBorder': '#3c3c3c',
    'settings-dropdownListBorder': '#454545',
    'settings-textInputBackground': '#313131',
    'settings-textInputForeground': '#cccccc',
    'settings-textInputBorder': '#3c3c3c',
    'input-placeholderForeground': '#989898',
    'list-activeSelectionBackground': '#04395e',
    'list-activeSelectionForeground': '#ffffff',
    'list-hoverBackground': '#2a2d2e',
    'panelTitle-activeBorder': '#0078d4',
    'panelTitle-activeForeground': '#cccccc',
    'panelTitle-inactiveForeground': '#9d9d9d',
    'settings-headerBorder': '#2b2b2b',
    'font-family': 'sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    errorForeground: '#f85149',
    'editor-background': '#1f1f1f',
    'sideBar-background': '#181818',
    'panel-border': '#2b2b2b',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'dropdown-background': '#313131',
    'dropdown-foreground': '#cccccc',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'charts-blue': '#3794ff',
    'testing-iconPassed': '#73c991',
    'testing-iconFailed': '#f14c4c',
    'statusBarItem-errorBackground': '#c72e0f',
    'statusBarItem-errorForeground': '#ffffff',
    focusBorder: '#0078d4',
  },
  light: {
    'settings-checkboxBackground': '#f8f8f8',
    'settings-checkboxBorder': '#cecece',
    'settings-checkboxForeground': '#3b3b3b',
    'settings-dropdownBackground': '#ffffff',
    'settings-dropdownForeground': '#3b3b3b',
    'settings-dropdownBorder': '#cecece',
    'settings-dropdownListBorder': '#e5e5e5',
    'settings-textInputBackground': '#ffffff',
    'settings-textInputForeground': '#3b3b3b',
    'settings-textInputBorder': '#cecece',
    'input-placeholderForeground': '#767676',
    'list-activeSelectionBackground': '#e8e8e8',
    'list-activeSelectionForeground': '#000000',
    'list-hoverBackground': '#f2f2f2',
    'panelTitle-activeBorder': '#005fb8',
    'panelTitle-activeForeground': '#3b3b3b',
    'panelTitle-inactiveForeground': '#3b3b3b',
    'settings-headerBorder': '#e5e5e5',
    'font-family': 'sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    foreground: '#3b3b3b',
    descriptionForeground: '#717171',
    errorForeground: '#f85149',
    'editor-background': '#ffffff',
    'sideBar-background': '#f8f8f8',
    'panel-border': '#e5e5e5',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'dropdown-background': '#ffffff',
    'dropdown-foreground': '#3b3b3b',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'charts-blue': '#1a85ff',
    'testing-iconPassed': '#388a34',
    'testing-iconFailed': '#e51400',
    'statusBarItem-errorBackground': '#c72e0f',
    'statusBarItem-errorForeground': '#ffffff',
    focusBorder: '#005fb8',
  },
  'hc-dark': {
    'settings-checkboxBackground': '#000000',
    'settings-checkboxBorder': '#6fc3df',
    'settings-checkboxForeground': '#ffffff',
    'settings-dropdownBackground': '#000000',
    'settings-dropdownForeground': '#ffffff',
    'settings-dropdownBorder': '#6fc3df',
    'settings-dropdownListBorder': '#6fc3df',
    'settings-textInputBackground': '#000000',
    'settings-textInputForeground': '#ffffff',
    'settings-textInputBorder': '#6fc3df',
    'input-placeholderForeground': '#ffffffb3',
    'list-focusOutline': '#f38518',
    'panelTitle-activeForeground': '#ffffff',
    'panelTitle-inactiveForeground': '#ffffff',
    'settings-headerBorder': '#6fc3df',
    'font-family': 'sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    foreground: '#ffffff',
    descriptionForeground: '#ffffffb3',
    errorForeground: '#f48771',
    'editor-background': '#000000',
    'sideBar-background': '#000000',
    'panel-border': '#6fc3df',
    'editorWidget-border': '#6fc3df',
    'button-foreground': '#ffffff',
    'button-border': '#6fc3df',
    'button-secondaryForeground': '#ffffff',
    'dropdown-background': '#000000',
    'dropdown-foreground': '#ffffff',
    'dropdown-border': '#6fc3df',
    'badge-background': '#000000',
    'badge-foreground': '#ffffff',
    'charts-blue': '#3794ff',
    'charts-green': '#89d185',
    'charts-red': '#f48771',
    'testing-iconPassed': '#73c991',
    'testing-iconFailed': '#f14c4c',
    'textLink-foreground': '#21a6ff',
    'editorWarning-foreground': '#ffd370',
    'panelTitle-activeBorder': '#f38518',
    contrastBorder: '#6fc3df',
    contrastActiveBorder: '#f38518',
    focusBorder: '#f38518',
  },
  'hc-light': {
    'settings-checkboxBackground': '#ffffff',
    'settings-checkboxBorder': '#0f4a85',
    'settings-checkboxForeground': '#292929',
    'settings-dropdownBackground': '#ffffff',
    'settings-dropdownForeground': '#292929',
    'settings-dropdownBorder': '#0f4a85',
    'settings-dropdownListBorder': '#0f4a85',
    'settings-textInputBackground': '#ffffff',
    'settings-textInputForeground': '#292929',
    'settings-textInputBorder': '#0f4a85',
    'input-placeholderForeground': '#292929b3',
    'list-activeSelectionBackground': '#0f4a851a',
    'list-activeSelectionForeground': '#292929',
    'list-focusOutline': '#006bbd',
    'panelTitle-activeForeground': '#292929',
    'panelTitle-inactiveForeground': '#292929',
    'settings-headerBorder': '#0f4a85',
    'font-family': 'sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    foreground: '#292929',
    descriptionForeground: '#292929b3',
    errorForeground: '#b5200d',
    'editor-background': '#ffffff',
    'sideBar-background': '#ffffff',
    'panel-border': '#0f4a85',
    'editorWidget-border': '#0f4a85',
    'button-background': '#0f4a85',
    'button-foreground': '#ffffff',
    'button-border': '#0f4a85',
    'button-secondaryBackground': '#ffffff',
    'button-secondaryForeground': '#292929',
    'dropdown-background': '#ffffff',
    'dropdown-foreground': '#292929',
    'dropdown-border': '#0f4a85',
    'badge-background': '#0f4a85',
    'badge-foreground': '#ffffff',
    'charts-blue': '#1a85ff',
    'charts-green': '#374e06',
    'charts-red': '#b5200d',
    'testing-iconPassed': '#007100',
    'testing-iconFailed': '#b5200d',
    'textLink-foreground': '#0f4a85',
    'editorWarning-foreground': '#895503',
    'panelTitle-activeBorder': '#b5200d',
    contrastBorder: '#0f4a85',
    contrastActiveBorder: '#0f4a85',
    focusBorder: '#0f4a85',
  },
};
export type Theme = keyof typeof THEMES;
/** Every theme, for tests that screenshot each. */
export const THEME_NAMES = Object.keys(THEMES) as Theme[];

function themeCss(theme: Theme, background: string): string {
  const vars = Object.entries(THEMES[theme] as Record<string, string>).map(([k, v]) => `--vscode-${k}: ${v};`);
  return `html { ${vars.join(' ')} } body { background: var(--vscode-${background}); }`;
}

export interface PageOptions {
  /** The root's data-view: `metrics` (the sidebar), `panel` (a run's Metrics), `compare` or `dataset` (the grid). */
  view: 'metrics' | 'panel' | 'compare' | 'dataset';
  /** Stylesheets under media/, as the host links them. */
  styles: string[];
  theme?: Theme;
  viewport?: { width: number; height: number };
  /** What getState returns at load (a panel restored after a reload). */
  savedState?: unknown;
}

export interface WebviewPage {
  page: Page;
  /** Script errors and CSP violations seen by the page. */
  errors: string[];
  /** What the page posted to the host so far. */
  posted(): Promise<unknown[]>;
  /** What the host would post: the same message shape, through window.postMessage. */
  post(msg: HostToWebview): Promise<void>;
  /**
   * Wait until the expression is truthy in the page. (page.waitForFunction evaluates its
   * predicate with eval, which the CSP refuses; page.evaluate goes through the debugger.)
   */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
}

/**
 * One Chromium for the calling test file: launched before its first test (the built
 * bundle must exist), closed after its last. Returns the browser's getter.
 */
export function chromiumForFile(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'webview.js')))
      throw new Error('dist/webview.js: run npm run build first');
    browser = await launchChromium(await findChromium());
    fs.mkdirSync(WEBVIEW_OUT, { recursive: true });
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running: call the getter inside a test');
    return browser;
  };
}

export async function openWebview(browser: Browser, o: PageOptions): Promise<WebviewPage> {
  const theme = o.theme ?? 'dark';
  const page = await browser.newPage({ viewport: o.viewport ?? { width: 1000, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const links = o.styles.map((s) => `<link rel="stylesheet" href="${ORIGIN}/media/${s}">`).join('\n');
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${ORIGIN}; img-src ${ORIGIN} data:; script-src 'nonce-${NONCE}';">
<link rel="stylesheet" href="${ORIGIN}/theme.css">
${links}
</head><body class="${BODY_CLASS[theme]}">
<main id="root" data-view="${o.view}"><p class="muted">Loading…</p></main>
<script nonce="${NONCE}">
  window.posted = [];
  window.savedState = ${JSON.stringify(o.savedState ?? null)} ?? undefined;
  function acquireVsCodeApi() {
    return { postMessage: (m) => window.posted.push(m), getState: () => window.savedState, setState: (s) => { window.savedState = s; } };
  }
</script>
<script nonce="${NONCE}" src="${ORIGIN}/dist/webview.js"></script>
</body></html>`;
  const background = o.view === 'panel' ? 'editor-background' : 'sideBar-background';
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (url.pathname === '/theme.css')
      return route.fulfill({ contentType: 'text/css', body: themeCss(theme, background) });
    const file = path.join(ROOT, url.pathname);
    if (!/^\/(dist|media)\//.test(url.pathname) || !fs.existsSync(file)) return route.fulfill({ status: 404 });
    const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    return route.fulfill({ contentType: type, body: fs.readFileSync(file) });
  });
  await page.goto(`${ORIGIN}/index.html`);
  return {
    page,
    errors,
    posted: async () => (await page.evaluate('window.posted')) as unknown[],
    post: async (msg) => {
      await page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);
    },
    waitFor: async (expression, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await page.evaluate(expression))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
        await page.waitForTimeout(20);
      }
    },
  };
}

/**
 * Picks an option of a vscode-single-select as a user does: a click opens its list, a click
 * on the option picks it (Playwright's selectOption works on native selects only).
 */
export async function pickOption(select: Locator, value: string): Promise<void> {
  const values = await select.locator('vscode-option').evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  const index = values.indexOf(value);
  if (index < 0) throw new Error(`no option ${value} in ${values.join(', ')}`);
  await select.click();
  await select.locator(`li[role="option"][data-index="${index}"]`).click();
}

/** A vscode-elements control's value (a select's or a text field's; inputValue is for native ones). */
export async function controlValue(control: Locator): Promise<string> {
  return control.evaluate((e) => (e as unknown as { value: string }).value);
}
