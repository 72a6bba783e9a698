// Accessibility: axe-core (@axe-core/playwright) on every page of the UI, for a rep, a
// manager and an admin, on a phone (390x844) and a desktop, in Chinese and English, plus
// the login form and the phone's "more" sheet. Zero serious or critical violations.
// Every violation found (any impact) is written to test-artifacts/axe.json.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Server, seed, REPO_ROOT } from './harness.mjs';
import { SHOTS, PHONE, DESKTOP, launchChromium, newPage as newPageIn, login, settle } from './browser.mjs';

let srv;
let data;
let browser;
const problems = [];
const found = [];  // every violation: { where, id, impact, help, targets }
const newPage = (viewport, lang) => newPageIn(browser, problems, viewport, lang);

const SERIOUS = new Set(['serious', 'critical']);

async function axe(page, where) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const out = r.violations.map((v) => ({
    where,
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    html: v.nodes[0]?.html.slice(0, 300),
    why: v.nodes[0]?.failureSummary?.slice(0, 300),
    nodes: v.nodes.length,
  }));
  found.push(...out);
  return out.filter((v) => SERIOUS.has(v.impact));
}

/** Client-side navigation, as a tap in the menu does. */
async function go(page, p, key) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, p);
  await page.getByTestId(`page-${key}`).waitFor();
  await settle(page);
}

const fmt = (vs) => vs.map((v) => `${v.where}: ${v.impact} ${v.id} (${v.help}) x${v.nodes} at ${v.targets.join(' | ')}`).join('\n');

describe('accessibility (axe-core)', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    data = await seed(srv);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    mkdirSync(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(path.join(REPO_ROOT, 'test-artifacts', 'axe.json'), JSON.stringify(found, null, 1));
  });

  const pages = () => ({
    lina: [
      ['/today', 'today'],
      ['/visit', 'visit'],
      ['/customers', 'customers'],
      [`/customers/${data.ready.id}`, 'customers'],
      ['/prospects', 'prospects'],
      ['/leaderboard', 'leaderboard'],
      ['/data', 'data'],
    ],
    wang: [
      ['/team', 'team'],
      ['/customers', 'customers'],
      [`/customers/${data.sink.id}`, 'customers'],
      ['/prospects', 'prospects'],
      ['/leaderboard', 'leaderboard'],
      ['/diagnosis', 'diagnosis'],
      ['/people', 'people'],
      ['/settings', 'settings'],
    ],
    admin: [['/notify', 'notify']],
  });

  for (const viewport of [PHONE, DESKTOP]) {
    for (const lang of ['zh', 'en']) {
      const size = viewport === PHONE ? 'phone' : 'desktop';
      test(`the login form: no serious or critical violation (${size}, ${lang})`, async () => {
        const page = await newPage(viewport, lang);
        await page.goto(srv.base + '/');
        await page.getByTestId('login-username').waitFor();
        await settle(page);
        const bad = await axe(page, `login ${size} ${lang}`);
        await page.context().close();
        assert.equal(bad.length, 0, fmt(bad));
      });
      for (const user of ['lina', 'wang', 'admin']) {
        test(`every page of ${user}: no serious or critical violation (${size}, ${lang})`, async () => {
          const page = await newPage(viewport, lang);
          await login(page, srv.base, user);
          const bad = [];
          for (const [p, key] of pages()[user]) {
            await go(page, p, key);
            bad.push(...(await axe(page, `${user} ${p} ${size} ${lang}`)));
          }
          if (viewport === PHONE) {
            await page.getByTestId('tab-more').click();
            await page.locator('dialog.tj-drawer').waitFor();
            await page.waitForTimeout(400);
            bad.push(...(await axe(page, `${user} more-sheet ${size} ${lang}`)));
          }
          await page.context().close();
          assert.equal(bad.length, 0, fmt(bad));
        });
      }
    }
  }

  test('no page error, dialog or CSP violation', () => {
    assert.deepEqual(problems, []);
  });
});
