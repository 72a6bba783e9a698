// Offline visit logging and the visit form (issue 15 parts 2 and 5), in the browser:
// - the app installs: a web app manifest and a service worker for the whole site that keeps
//   the app shell and never an /api answer;
// - a rep without signal logs two visits (kept on the phone in IndexedDB, shown as waiting),
//   reloads the app still offline, gets the connection back, and each visit reaches the
//   server exactly once (checked through the API);
// - a send whose answer is lost (aborted with page.route after the server saved it) is sent
//   again with its Idempotency-Key and still makes one visit;
// - a visit the server refuses is shown with the reason, not dropped;
// - the time field logs an earlier visit; the company picker starts with the rep's own
//   companies (not the pool companies updated last).
// Phone (390x844) in Chinese and desktop (1440x900) in English; screenshots go to
// test-artifacts/screenshots/offline-*.png.
//
//   node --test --test-concurrency=1 tests/browser/offline.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Server, seed, shanghaiDate } from './harness.mjs';
import { SHOTS, PHONE, DESKTOP, launchChromium, newPage as newPageIn, login as loginAt, settle, shot, assertNoHorizontalOverflow } from './browser.mjs';

let srv;
let data;
let browser;
let lina; // an API client of the rep, to look at what the server has
const problems = [];

const newPage = (viewport, lang = 'zh') => newPageIn(browser, problems, viewport, lang);

/** The visits of a company whose notes are `notes`, as the server has them. */
async function visitsWith(companyId, notes) {
  const l = await lina.ok('GET', `/companies/${companyId}/visits`);
  return l.items.filter((v) => v.notes === notes);
}

/** Waits until the service worker controls the page and has cached the shell. */
async function swReady(page) {
  await page.waitForFunction(async () => {
    if (!navigator.serviceWorker?.controller) return false;
    const keys = await caches.keys();
    if (!keys.length) return false;
    const c = await caches.open(keys[0]);
    return !!(await c.match('/'));
  }, null, { timeout: 20000 });
}

function companyPicker(page) {
  return page.locator('.ant-select').filter({ has: page.getByTestId('visit-company') }).or(page.getByTestId('visit-company')).first();
}

async function pickCompany(page, name, typed) {
  await companyPicker(page).click();
  if (typed) await page.keyboard.type(typed);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: name }).first().click();
}

async function openVisitForm(page, username) {
  await loginAt(page, srv.base, username, { at: '/visit' });
  await page.getByTestId('page-visit').waitFor();
  await settle(page);
}

async function fillNotes(page, notes) {
  const notesBox = page.locator('textarea#notes');
  if (!(await notesBox.isVisible())) await page.locator('.ant-collapse-header').first().click();
  await notesBox.fill(notes);
}

describe('offline visit logging and the visit form', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    data = await seed(srv);
    lina = await srv.login('lina');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('the app is installable: manifest, icons and a service worker for the whole site', async () => {
    const m = await fetch(srv.base + '/manifest.webmanifest');
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type') ?? '', /^application\/manifest\+json/);
    const man = await m.json();
    assert.equal(man.display, 'standalone');
    assert.equal(man.start_url, '/');
    assert.match(man.name, /铁军/);
    assert.ok(man.theme_color);
    for (const icon of man.icons) {
      const r = await fetch(srv.base + icon.src);
      assert.equal(r.status, 200, icon.src);
      assert.match(r.headers.get('content-type') ?? '', icon.type === 'image/png' ? /^image\/png/ : /^image\/svg/);
    }
    assert.ok(man.icons.some((i) => i.sizes === '512x512' && i.purpose === 'maskable'));
    const sw = await fetch(srv.base + '/sw.js');
    assert.equal(sw.status, 200);
    assert.match(sw.headers.get('content-type') ?? '', /javascript/);
    assert.equal(sw.headers.get('service-worker-allowed'), '/');
    assert.match(sw.headers.get('cache-control') ?? '', /no-cache/);
    const html = await (await fetch(srv.base + '/')).text();
    assert.match(html, /<link rel="manifest" href="\/manifest.webmanifest"/);

    const page = await newPage(PHONE);
    await openVisitForm(page, 'lina');
    await swReady(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, srv.base + '/');
    // browse a few pages (each calls the API), then: nothing under /api in any cache
    for (const p of ['/today', '/customers', '/visit']) {
      await page.goto(srv.base + p);
      await settle(page);
    }
    const cached = await page.evaluate(async () => {
      const out = [];
      for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
      return out;
    });
    assert.ok(cached.includes('/'), 'index.html is cached');
    assert.ok(cached.some((p) => p.startsWith('/assets/')), 'assets are cached');
    assert.deepEqual(cached.filter((p) => p.startsWith('/api/')), [], 'no API answer is ever cached');
    await page.context().close();
  });

  test('the company picker starts with the rep’s own companies, most recent first', async () => {
    for (const [viewport, lang] of [[PHONE, 'zh'], [DESKTOP, 'en']]) {
      const page = await newPage(viewport, lang);
      await openVisitForm(page, 'lina');
      await companyPicker(page).click();
      const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await options.first().waitFor();
      const names = await options.allTextContents();
      assert.ok(names.length >= 5, `lina's companies: ${names}`);
      assert.ok(!names.some((n) => n.includes('公海客户')), `no pool company by default: ${names}`);
      assert.ok(!names.some((n) => n.includes('常州恒远') || n.includes('无锡蓝天')), `no teammate's company: ${names}`);
      const own = await lina.ok('GET', '/companies?owner_id=' + data.lina.id + '&sort=-updated_at&limit=20');
      assert.deepEqual(names.map((n) => own.items.find((c) => n.startsWith(c.name))?.id), own.items.map((c) => c.id).slice(0, names.length), 'in the order of most recent update');
      await page.getByTestId('visit-company-scope').waitFor();
      assert.match(await page.getByTestId('visit-company-scope').textContent(), lang === 'zh' ? /我的客户/ : /My companies/);
      await shot(page, `offline-picker-${lang}`, false);
      // a search still finds others (pool companies to claim), the rep's own first
      await page.keyboard.type('公海客户0');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '公海客户01号' }).waitFor();
      await page.keyboard.press('Escape');
      await page.context().close();
    }
  });

  test('the time field logs an earlier visit', async () => {
    const page = await newPage(DESKTOP, 'en');
    await openVisitForm(page, 'lina');
    await pickCompany(page, '上海晨光教育科技', '晨光');
    const day = shanghaiDate(-3);
    const input = page.getByTestId('visit-at').locator('input').or(page.locator('input#at')).first();
    await input.click();
    await input.fill(`${day} 10:30`);
    await page.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await fillNotes(page, 'earlier visit from the form');
    await shot(page, 'offline-time-field-en', false);
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-result').waitFor();
    const [v] = await visitsWith(data.others[2].id, 'earlier visit from the form');
    assert.ok(v, 'the visit reached the server');
    assert.equal(Date.parse(v.at), Date.parse(`${day}T10:30:00+08:00`), `logged at the picked time: ${v.at}`);
    assert.equal(v.day, day);
    await page.context().close();
  });

  test('two visits logged offline reach the server exactly once, across a reload (phone, zh)', async () => {
    const page = await newPage(PHONE, 'zh');
    await openVisitForm(page, 'lina');
    await swReady(page);
    // the page as the worker serves it (every chunk of the form goes through its cache)
    await page.reload();
    await page.getByTestId('page-visit').waitFor();
    await settle(page);
    // the picker's own list loads once online (kept on the phone for a search without signal)
    await companyPicker(page).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor();
    await page.keyboard.press('Escape');

    const ctx = page.context();
    await ctx.setOffline(true);
    const [a, b] = [data.others[0], data.others[1]];
    await pickCompany(page, a.name.slice(0, 6));
    await fillNotes(page, '离线拜访一');
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-queued').waitFor();
    await page.getByTestId('queue-badge').waitFor();
    assert.equal(await page.getByTestId('queue-badge').getAttribute('data-count'), '1');
    await shot(page, 'offline-queued-zh');
    await assertNoHorizontalOverflow(page, 'queued visit');

    await page.getByTestId('visit-again').click();
    await page.getByTestId('visit-submit').waitFor();
    // without signal the picker lists the rep's companies as last loaded
    await companyPicker(page).click();
    await page.getByTestId('visit-company-scope').waitFor();
    assert.match(await page.getByTestId('visit-company-scope').textContent(), /离线/);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: b.name.slice(0, 6) }).first().click();
    await fillNotes(page, '离线拜访二');
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-queued').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="queue-badge"]')?.getAttribute('data-count') === '2');
    await page.getByTestId('queue-badge').click();
    await page.locator('dialog.tj-drawer').getByTestId('queue-list').waitFor();
    assert.equal(await page.locator('dialog.tj-drawer [data-testid="queue-item"][data-state="waiting"]').count(), 2);
    await shot(page, 'offline-queue-list-zh', false);
    await page.keyboard.press('Escape');
    assert.equal((await visitsWith(a.id, '离线拜访一')).length, 0, 'nothing reached the server yet');

    // a reload without signal: the worker serves the app, which starts as the rep (the last
    // /me kept on the phone) on the visit form; the visits are still on the phone
    await page.reload();
    await page.getByTestId('page-visit').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="queue-badge"]')?.getAttribute('data-count') === '2');
    await settle(page);
    await shot(page, 'offline-reloaded-zh', false);
    const kept = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const r = indexedDB.open('tiejun-offline');
          r.onsuccess = () => {
            const q = r.result.transaction('visits').objectStore('visits').getAll();
            q.onsuccess = () => resolve(q.result.map((v) => v.body.notes).sort());
          };
        }),
    );
    assert.deepEqual(kept, ['离线拜访一', '离线拜访二']);

    // the connection returns: both are sent, once
    await ctx.setOffline(false);
    await page.getByTestId('page-title').waitFor({ timeout: 20000 });
    for (let i = 0; i < 60; i++) {
      if ((await visitsWith(a.id, '离线拜访一')).length && (await visitsWith(b.id, '离线拜访二')).length) break;
      await page.waitForTimeout(500);
    }
    await page.waitForFunction(() => !document.querySelector('[data-testid="queue-badge"]'), null, { timeout: 30000 });
    assert.equal((await visitsWith(a.id, '离线拜访一')).length, 1, 'the first offline visit, once');
    assert.equal((await visitsWith(b.id, '离线拜访二')).length, 1, 'the second offline visit, once');
    // and again after another reload and some time: still once (nothing is sent twice)
    await page.reload();
    await page.getByTestId('page-title').waitFor();
    await settle(page);
    assert.equal((await visitsWith(a.id, '离线拜访一')).length, 1);
    assert.equal((await visitsWith(b.id, '离线拜访二')).length, 1);
    await shot(page, 'offline-sent-zh', false);
    await ctx.close();
  });

  test('a send whose answer is lost is retried with its key and makes one visit (desktop, en)', async () => {
    const page = await newPage(DESKTOP, 'en');
    await openVisitForm(page, 'lina');
    const c = data.others[3];
    let sends = 0;
    const keys = [];
    await page.route('**/api/v1/visits', async (route) => {
      sends++;
      keys.push(route.request().headers()['idempotency-key']);
      if (sends === 1) {
        await route.fetch(); // the server saves the visit ...
        await route.abort('connectionreset'); // ... and its answer never reaches the phone
      } else {
        await route.continue();
      }
    });
    await pickCompany(page, c.name.slice(0, 6), c.name.slice(0, 2));
    await fillNotes(page, 'answer lost once');
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-queued').waitFor();
    assert.equal((await visitsWith(c.id, 'answer lost once')).length, 1, 'the server has it already');
    await shot(page, 'offline-answer-lost-en', false);
    await page.getByTestId('queue-badge').click();
    await page.getByTestId('queue-send-now').click();
    // the replay answers the first answer: the form shows the saved visit
    await page.getByTestId('visit-result').waitFor();
    assert.equal(sends, 2);
    assert.ok(keys[0] && keys[0] === keys[1], `both sends carry one key: ${keys}`);
    assert.equal((await visitsWith(c.id, 'answer lost once')).length, 1, 'exactly one visit');
    await page.waitForFunction(() => !document.querySelector('[data-testid="queue-badge"]'));
    await shot(page, 'offline-replayed-en', false);
    await page.context().close();
  });

  test('a queued visit the server refuses is shown with the reason (phone, en)', async () => {
    const page = await newPage(PHONE, 'en');
    await openVisitForm(page, 'lina');
    const c = data.others[1];
    await pickCompany(page, c.name.slice(0, 6), c.name.slice(0, 2));
    await page.context().setOffline(true);
    await fillNotes(page, 'refused later');
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-queued').waitFor();
    // meanwhile the company leaves the rep (an admin gives it to a teammate)
    const admin = await srv.login('admin');
    const co = await admin.ok('GET', `/companies/${c.id}`);
    await admin.ok('PATCH', `/companies/${c.id}`, { owner_id: data.zhaoq.id, version: co.version });
    await page.context().setOffline(false);
    await page.getByTestId('queue-badge').click();
    await page.getByTestId('queue-send-now').click();
    await page.locator('dialog.tj-drawer [data-testid="queue-item"][data-state="refused"]').waitFor({ timeout: 15000 });
    const reason = await page.locator('dialog.tj-drawer [data-testid="queue-reason"]').textContent();
    assert.ok(reason && reason.length > 3, `a reason is shown: ${reason}`);
    await shot(page, 'offline-refused-en', false);
    const seen = await admin.ok('GET', `/companies/${c.id}/visits`);
    assert.equal(seen.items.filter((v) => v.notes === 'refused later').length, 0, 'not saved');
    await page.locator('dialog.tj-drawer [data-testid="queue-dismiss"]').click();
    await page.getByTestId('confirm-ok').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="queue-badge"]'));
    await page.context().close();
  });

  test('no page errors or CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});
