// Stored HTML injection through every user-editable name and text (issue 17, point 10).
// Markup goes into display names, team, company, contact, visit, deal, plan, review,
// comment, values, training and target texts; then a rep, a manager and the admin visit
// every page at desktop size, hover every chart (ECharts tooltips are HTML) and open the
// dialogs that list people; no injected element may appear in the DOM and no dialog or
// CSP violation may happen.
//
//   TIEJUN_BIN=build/release/tiejun node --test tests/browser/xss.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Server, shanghaiDate, shanghaiTime, PASSWORD } from './harness.mjs';
import { SHOTS, DESKTOP, launchChromium, newPage as newPageIn, login as loginAt, settle, shot } from './browser.mjs';

// Every payload carries a marker attribute, so an element that came from user text is
// found whatever tag it is; the <img> would also run script if the markup were live.
const X = (tag) => `<img src=x data-inj="${tag}" onerror=alert(1)><b data-inj="${tag}">${tag}</b>`;
// the same in under 50 characters, for the short fields (industry, region, source, phone, style)
const XS = (tag) => `<img src=x data-inj=${tag}><b data-inj=${tag}>x</b>`;

let srv;
let browser;
let w;
const problems = [];

async function seedHostile(s) {
  const admin = await s.login('admin');
  // Industry names are the organisation's list, which the admin edits (SPEC §3): markup goes in there.
  const settings = await admin.ok('GET', '/settings');
  await admin.ok('PATCH', '/settings', {
    industries: [...settings.industries, { name: XS('ind'), aliases: [] }, { name: XS('pi'), aliases: [] }],
  });
  const team = await admin.ok('POST', '/teams', { name: `团队${X('team')}` });
  const mk = (username, display_name, role, extra = {}) =>
    admin.ok('POST', '/users', { username, display_name, role, team_id: team.id, password: PASSWORD, hire_date: '2025-03-03', ...extra });
  const mgr = await mk('xmgr', `主管${X('mgr')}`, 'manager');
  await admin.ok('PATCH', `/teams/${team.id}`, { manager_id: mgr.id });
  // selling_style is one of four keys now (SPEC §3: anything else is a 400), so it carries no user text.
  const r1 = await mk('xrep1', `销售一${X('rep1')}`, 'rep', { selling_style: 'driver' });
  const r2 = await mk('xrep2', `销售二${X('rep2')}`, 'rep');
  const c1 = await s.login('xrep1');
  const c2 = await s.login('xrep2');
  const cm = await s.login('xmgr');
  const today = shanghaiDate();
  const companies = [];
  for (const [c, n] of [[c1, 1], [c1, 2], [c2, 3]]) {
    const co = await c.ok('POST', '/companies', {
      name: `公司${n}${X(`co${n}`)}`, industry: XS('ind'), industry_rank: n, region: XS('rg'),
      budget_capacity: 30000000, source: XS('so'), competitor: X('competitor'),
    });
    await c.ok('POST', `/companies/${co.id}/contacts`, { name: `联系人${X('contact')}`, title: X('title'), phone: XS('ph') });
    await c.ok('POST', '/visits', {
      company_id: co.id, kind: 'visit', duration_min: 30, need: true, budget: true, met_payer: n !== 2, at: shanghaiTime(1),
      interest_reason: X('interest'), attraction: X('attraction'), concerns: X('concerns'), notes: X('notes'),
    });
    companies.push(co);
  }
  await c1.ok('POST', '/deals', { company_id: companies[0].id, amount: 8800000, notes: X('deal') });
  await c1.ok('PUT', `/plans/${today}`, { company_ids: [companies[0].id], goal: X('goal'), visits_planned: 3 });
  await c1.ok('PUT', `/reviews/${today}`, { wins: X('wins'), problems: X('problems'), help_wanted: X('help') });
  await c2.ok('PUT', `/reviews/${today}`, { wins: X('wins2') });
  const feed = await cm.ok('GET', '/feed');
  for (const it of feed.items ?? []) await cm.req('POST', `/feed/${it.kind}/${it.id}/comments`, { body: X('comment') });
  const six = (n) => ({ customer_first: n, teamwork: n, embrace_change: n, integrity: 5, passion: n, dedication: n });
  await cm.req('POST', '/values', { user_id: r1.id, period: '2026-Q4', ...six(4), comment: X('values') });
  await cm.req('POST', '/values', { user_id: r2.id, period: '2026-Q4', ...six(2), comment: X('values2') });
  await cm.req('POST', '/training', { user_id: r2.id, kind: 'skills', title: X('training'), notes: X('tnotes'), date: shanghaiDate(-2), hours: 2 });
  await cm.req('PUT', '/targets', { scope: 'rep', scope_id: r1.id, metric: 'effective_new', period: 'day', value: 2, reason: X('target') });
  await cm.req('POST', '/bookings', { rep_id: r1.id, company_id: companies[1].id, at: `${shanghaiDate(2)}T10:00`, stage: 2, note: X('booking') });
  await admin.ok('POST', '/companies', { name: `公海${X('pool')}`, industry: XS('pi'), owner_id: null });
  await c1.ok('POST', '/tokens', { name: X('token') });
  return { companies };
}

/** What user text may have turned into: any element carrying the marker, or the payload's <img>. */
async function injected(page) {
  return page.evaluate(() => {
    const found = [...document.querySelectorAll('[data-inj], img[src="x"]')].map((e) => e.outerHTML.slice(0, 120));
    return found;
  });
}

/** Moves the mouse over a grid of points of every chart, so each tooltip renders at least once. */
async function hoverCharts(page) {
  const boxes = await page.evaluate(() =>
    [...document.querySelectorAll('[_echarts_instance_]')].map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height };
    }),
  );
  let seen = 0;
  for (const b of boxes) {
    if (b.w < 10 || b.h < 10) continue;
    await page.evaluate((y) => window.scrollTo(0, Math.max(0, y - 100)), b.y);
    const top = await page.evaluate(() => window.scrollY);
    for (let i = 1; i < 12; i++)
      for (let j = 1; j < 8; j++) {
        await page.mouse.move(b.x + (b.w * i) / 12, b.y - top + (b.h * j) / 8);
        const hits = await injected(page);
        assert.deepEqual(hits, [], `a chart tooltip rendered user markup as HTML: ${hits.join(' ')}`);
        seen++;
      }
  }
  return seen;
}

async function visit(page, path, key) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.getByTestId(`page-${key}`).waitFor();
  await settle(page);
}

describe('no HTML from user text, on any page', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    w = await seedHostile(srv);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  const pages = {
    xrep1: [['/today', 'today'], ['/visit', 'visit'], ['/customers', 'customers'], ['/customers/{c0}', 'customers'],
      ['/prospects', 'prospects'], ['/leaderboard', 'leaderboard'], ['/data', 'data']],
    xmgr: [['/team', 'team'], ['/customers', 'customers'], ['/customers/{c0}', 'customers'], ['/leaderboard', 'leaderboard'],
      ['/diagnosis', 'diagnosis'], ['/people', 'people'], ['/settings', 'settings'], ['/visit', 'visit'], ['/data', 'data']],
    admin: [['/team', 'team'], ['/customers', 'customers'], ['/customers/{c2}', 'customers'], ['/prospects', 'prospects'],
      ['/leaderboard', 'leaderboard'], ['/diagnosis', 'diagnosis'], ['/people', 'people'], ['/settings', 'settings'], ['/data', 'data']],
  };

  for (const [user, list] of Object.entries(pages)) {
    test(`${user}: every page, every chart tooltip, no injected element and no dialog`, async () => {
      const page = await newPageIn(browser, problems, DESKTOP, 'zh', { timeout: 20000 });
      try {
        await loginAt(page, srv.base, user);
        let hovered = 0;
        for (const [p0, key] of list) {
          const p = p0.replace('{c0}', w.companies[0].id).replace('{c2}', w.companies[2].id);
          await visit(page, p, key);
          assert.deepEqual(await injected(page), [], `${user} ${p}: user markup rendered as HTML`);
          hovered += await hoverCharts(page);
          if (key === 'settings') {
            for (const tab of await page.locator('.ant-tabs-tab').all()) {
              await tab.click();
              await settle(page);
              assert.deepEqual(await injected(page), [], `${user} ${p} (tab): user markup rendered as HTML`);
            }
          }
          if (p === '/people') await shot(page, `xss-${user}-people`, false);
        }
        // the account dialog lists the user's tokens (names are user text)
        await page.getByTestId('user-menu').click();
        await page.getByTestId('menu-account').click();
        await page.getByTestId('account').waitFor();
        await settle(page);
        assert.deepEqual(await injected(page), [], `${user} account dialog: user markup rendered as HTML`);
        if (user === 'xmgr') assert.ok(hovered > 0, 'the manager pages have charts to hover');
        // the text is shown, as text
        const text = await page.evaluate(() => document.body.innerText);
        if (user !== 'admin') assert.ok(text.includes('data-inj'), 'user text is shown, as text');
      } finally {
        await page.context().close();
      }
      assert.deepEqual(problems.filter((x) => /dialog|csp|pageerror/.test(x)), [], 'no dialog, CSP violation or page error');
    });
  }
});
