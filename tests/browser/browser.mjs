// What the browser tests share: launching Debian's chromium (never a downloaded
// browser), a fresh context per page at a given screen size and language with
// page errors, dialogs and CSP violations collected, and the small steps every
// test takes (log in, let the page settle, screenshot, no sideways scrolling).
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { PASSWORD, REPO_ROOT } from './harness.mjs';

export const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A page in a new context; what goes wrong in it is pushed to `problems`. */
export async function newPage(browser, problems, viewport, lang = 'zh', { timeout = 15000 } = {}) {
  const ctx = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
  });
  await ctx.addInitScript((l) => {
    if (!localStorage.getItem('tj_lang')) localStorage.setItem('tj_lang', l);
  }, lang);
  const page = await ctx.newPage();
  page.setDefaultTimeout(timeout);
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    await d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return page;
}

/** Logs in through the form at `at` (default the home page); onForm runs once the form shows. */
export async function login(page, base, username, { at = '/', onForm } = {}) {
  await page.goto(base + at);
  await page.getByTestId('login-username').waitFor();
  if (onForm) await onForm();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('page-title').waitFor();
}

export async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => {});
  // Skeletons and spinners gone; charts drawn.
  await page
    .waitForFunction(() => !document.querySelector('.ant-skeleton, .tj-skeleton, .ant-spin-spinning, .tj-splash'), null, { timeout: 10000 })
    .catch(() => {});
  await page.waitForTimeout(400);
}

export async function shot(page, name, fullPage = true) {
  const size = page.viewportSize();
  const file = path.join(SHOTS, `${name}-${size.width}x${size.height}.png`);
  if (fullPage) {
    // Charts and the feed render when they come near the screen (components/WhenVisible.tsx):
    // scroll down the page as a person would, so that the whole-page picture shows them.
    const scrolled = await page.evaluate(async () => {
      const y0 = window.scrollY;
      let moved = false;
      for (let y = window.innerHeight; y < document.documentElement.scrollHeight; y += window.innerHeight) {
        window.scrollTo(0, y);
        moved = true;
        await new Promise((r) => setTimeout(r, 60));
      }
      window.scrollTo(0, y0);
      return moved;
    });
    if (scrolled) await settle(page);
  }
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Nothing may be wider than the screen on a phone. */
export async function assertNoHorizontalOverflow(page, what) {
  const r = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(r.sw <= r.w + 1, `${what}: page is ${r.sw}px wide on a ${r.w}px screen`);
}
