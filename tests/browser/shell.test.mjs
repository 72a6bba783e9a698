// The shell: a session that survives new tabs and reloads (GET /api/v1/session gives a
// new tab the session's CSRF token), the phone's bottom bar per role (every daily
// screen one tap away), and the one route table (an unknown or forbidden path goes home).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Server, seed } from './harness.mjs';
import { SHOTS, PHONE, DESKTOP, launchChromium, newPage as newPageIn, login, settle, shot } from './browser.mjs';

let srv;
let browser;
const problems = [];
const newPage = (viewport, lang = 'zh') => newPageIn(browser, problems, viewport, lang);

describe('the shell', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    await seed(srv);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  for (const viewport of [PHONE, DESKTOP]) {
    test(`a new tab and a reload stay logged in; after logout a new tab asks for the password (${viewport.width}px)`, async () => {
      const page = await newPage(viewport);
      await login(page, srv.base, 'lina');
      await page.getByTestId('page-today').waitFor();
      const ctx = page.context();

      // A second tab of the same browser: logged in, and its writes carry the CSRF token.
      const tab = await ctx.newPage();
      const session = tab.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'GET');
      await tab.goto(srv.base + '/customers');
      assert.equal((await session).status(), 200, 'the new tab asked for the session');
      await tab.getByTestId('page-customers').waitFor();
      assert.equal(await tab.getByTestId('login-username').count(), 0, 'no login form in the new tab');
      const write = await tab.evaluate(async () => {
        // A write from the new tab goes through (the UI's own client sends the token it fetched).
        const r = await fetch('/api/v1/session', { credentials: 'same-origin' });
        const { csrf_token } = await r.json();
        const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
        const w = await fetch('/api/v1/plans/' + day, {
          method: 'PUT',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf_token },
          body: JSON.stringify({ goal: 'from the second tab' }),
        });
        return w.status;
      });
      assert.ok(write === 200 || write === 201, `a write from the new tab: ${write}`);

      // A reload (an app reopened from the home screen): still in.
      await tab.reload();
      await tab.getByTestId('page-customers').waitFor();
      assert.equal(await tab.getByTestId('login-username').count(), 0, 'no login form after a reload');
      await settle(tab);
      await shot(tab, 'shell-new-tab-logged-in');

      // Log out in the first tab: a new tab asks for the password, and so does the second on reload.
      if (viewport === PHONE) {
        await page.getByTestId('tab-more').click();
        await page.getByRole('menuitem', { name: '退出登录' }).click();
      } else {
        await page.getByTestId('user-menu').click();
        await page.getByRole('menuitem', { name: '退出登录' }).click();
      }
      await page.getByTestId('login-username').waitFor();
      const third = await ctx.newPage();
      await third.goto(srv.base + '/today');
      await third.getByTestId('login-username').waitFor();
      assert.equal(await third.getByTestId('page-title').count(), 0);
      await tab.reload();
      await tab.getByTestId('login-username').waitFor();
      await ctx.close();
    });
  }

  test("the phone's bottom bar puts each role's daily screens one tap away", async () => {
    const bars = {
      lina: ['today', 'customers', 'visit', 'prospects', 'more'],
      wang: ['team', 'customers', 'visit', 'leaderboard', 'more'],
      admin: ['team', 'customers', 'visit', 'leaderboard', 'more'],
    };
    for (const [user, want] of Object.entries(bars)) {
      for (const lang of ['zh', 'en']) {
        const page = await newPage(PHONE, lang);
        await login(page, srv.base, user);
        const bar = page.getByTestId('tabbar');
        await bar.waitFor();
        const got = await bar.locator('[data-testid^="tab-"]').evaluateAll((els) => els.map((e) => e.dataset.testid.slice(4)));
        assert.deepEqual(got, want, `${user}'s bottom bar`);
        // every tab opens its page in one tap, and says which one is open
        for (const key of want.filter((k) => k !== 'more')) {
          await page.getByTestId(`tab-${key}`).click();
          await page.getByTestId(`page-${key}`).waitFor();
          assert.equal(await page.getByTestId(`tab-${key}`).getAttribute('aria-current'), 'page');
        }
        // the rest is under "more" (a rep's import/export, a manager's diagnosis)
        await page.getByTestId('tab-more').click();
        const more = page.locator('dialog.tj-drawer');
        await more.waitFor();
        const under = user === 'lina' ? (lang === 'zh' ? '导入导出' : 'Import / Export') : lang === 'zh' ? '诊断' : 'Diagnosis';
        await more.getByText(under).waitFor();
        if (user === 'lina') assert.equal(await more.getByText(lang === 'zh' ? '潜在客户' : 'Prospects').count(), 0, 'prospects are not under more');
        await settle(page);
        await shot(page, `shell-more-${user}-${lang}`, false);
        await page.context().close();
      }
    }
  });

  test('an unknown path, a malformed id or a page of another role goes home (the route table decides)', async () => {
    const page = await newPage(DESKTOP);
    await login(page, srv.base, 'lina');
    for (const p of ['/nowhere', '/customers/abc', '/customers/0', '/team', '/settings']) {
      await page.goto(srv.base + p);
      await page.getByTestId('page-today').waitFor();
      assert.equal(new URL(page.url()).pathname, '/today', p);
    }
    await page.context().close();
  });

  test('the login page of a logged-out browser makes no failing request', async () => {
    const page = await newPage(PHONE);
    const failed = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    page.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
    await page.goto(srv.base + '/');
    await page.getByTestId('login-username').waitFor();
    await settle(page);
    assert.deepEqual(failed, []);
    await page.context().close();
  });

  test('a start asks for the session once', async () => {
    const page = await newPage(PHONE);
    await login(page, srv.base, 'lina');
    await page.getByTestId('page-today').waitFor();
    await settle(page);
    // A reload: main.tsx starts GET /session beside the app's code and auth.tsx reads that answer.
    const sessions = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/session') && r.method() === 'GET') sessions.push(r.url());
    });
    await page.reload();
    await page.getByTestId('page-today').waitFor();
    await settle(page);
    assert.equal(sessions.length, 1, `GET /api/v1/session ${sessions.length} times on one start`);
    await page.context().close();
  });

  // Issue 15: the first screens are drawn by the light kit (web/src/ui); antd (its code, its
  // cssinjs styles, its static stylesheet) arrives only with a form or dialog that needs it.
  const antdOnPage = (page) =>
    page.evaluate(() => ({
      elements: [...document.querySelectorAll('[class*="ant-"]')].map((e) => String(e.className)).filter((c) => /(^|\s)ant-/.test(c)).slice(0, 5),
      // antd's cssinjs styles (the icons' own `.anticon` style is not antd's and may be there).
      cssinjs: [...document.querySelectorAll('style[data-css-hash], style[data-rc-order]')].filter((st) => /\.ant-[a-z]/.test(st.textContent ?? '')).length,
      sheets: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.getAttribute('href')).filter((h) => /antd-static/.test(h ?? '')),
    }));
  for (const [user, paths] of [
    ['lina', ['/today', '/customers', '/customers/first', '/prospects', '/leaderboard']],
    ['wang', ['/team', '/diagnosis', '/leaderboard']],
  ]) {
    for (const viewport of [PHONE, DESKTOP]) {
      test(`${user}'s first screens load no antd (${viewport.width}px)`, async () => {
        const page = await newPage(viewport);
        await login(page, srv.base, user);
        await page.getByTestId('page-title').waitFor();
        for (let p of paths) {
          if (p === '/customers/first') {
            const r = await page.evaluate(() => fetch('/api/v1/companies?limit=1', { credentials: 'same-origin' }).then((x) => x.json()));
            p = `/customers/${r.items[0].id}`;
          }
          // A fresh start of each page (a reload), as a rep opening it from the home screen.
          await page.goto(srv.base + p);
          await page.getByTestId('page-title').waitFor();
          await settle(page);
          assert.deepEqual(await antdOnPage(page), { elements: [], cssinjs: 0, sheets: [] }, `${p}: antd on the first screen`);
          // The shell stays as it is whatever a page's own styles are (a page's class once hid the side menu).
          const chrome = await page.evaluate(() => {
            const links = [...document.querySelectorAll('.tj-sider nav a, .tj-tabbar [data-testid^="tab-"]')];
            return links.map((l) => {
              const r = l.getBoundingClientRect();
              return r.width > 0 && r.height > 0 && r.bottom <= window.innerHeight + 1 && r.top >= 0;
            });
          });
          assert.ok(chrome.length >= 5 && chrome.every(Boolean), `${p}: every link of the side menu or bottom bar on screen (${chrome})`);
        }
        await page.context().close();
      });
    }
  }

  test('a form that needs antd loads it when opened: the plan\'s company picker on Today', async () => {
    const page = await newPage(PHONE);
    await login(page, srv.base, 'lina');
    await page.getByTestId('page-today').waitFor();
    await settle(page);
    assert.equal((await antdOnPage(page)).cssinjs, 0);
    const plan = page.getByTestId('plan-card');
    // An earlier test of this file may have submitted lina's plan: its form is then behind 修改.
    if (!(await plan.getByTestId('plan-companies').count())) await plan.getByRole('button', { name: '修改' }).click();
    await plan.getByTestId('plan-companies').click();
    await page.locator('.ant-select-dropdown:visible').waitFor();
    const after = await antdOnPage(page);
    assert.ok(after.sheets.length > 0, "antd's static stylesheet came with the picker");
    await page.context().close();
  });

  test('no page error, dialog or CSP violation', () => {
    assert.deepEqual(problems, []);
  });
});
