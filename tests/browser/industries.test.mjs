// Browser test of the vocabularies (SPEC §3): the admin sees the organisation's
// industry list on the Settings page (in Chinese, with aliases), a rep picks an
// industry from that list in the company form by typing an alias, and the styles
// show in Chinese. Screenshots go to test-artifacts/screenshots/industries-*.png.
//
//   node --test --test-concurrency=1 tests/browser/industries.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Server, seed } from './harness.mjs';
import { SHOTS, DESKTOP, launchChromium, newPage as newPageIn, login as loginAt, settle, shot } from './browser.mjs';

let srv;
let browser;
const problems = [];
const newPage = (viewport, lang = 'zh') => newPageIn(browser, problems, viewport, lang);
const login = (page, username) => loginAt(page, srv.base, username);
async function go(page, p, key) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, p);
  await page.getByTestId(`page-${key}`).waitFor();
  await settle(page);
}

describe('industries and styles in the web UI', () => {
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

  test('the admin sees the industry list with its aliases on the Settings page', async () => {
    const page = await newPage(DESKTOP);
    await login(page, 'admin');
    await go(page, '/settings', 'settings');
    await page.getByRole('tab', { name: '行业', exact: true }).click();
    const card = page.getByTestId('industries-card');
    await card.waitFor();
    await card.getByText('制造业').first().waitFor();
    // the rows render after the card's first text: wait for the row, then count it
    await card.locator('input[value="政府与公共事业"]').first().waitFor();
    assert.equal(await card.locator('input[value="政府与公共事业"]').count(), 1);
    await settle(page);
    await shot(page, 'industries-settings');
    await page.context().close();
  });

  test('a rep picks an industry of the list by typing an alias', async () => {
    const page = await newPage(DESKTOP);
    await login(page, 'lina');
    await go(page, '/customers', 'customers');
    await page.getByTestId('customers-add').click();
    await page.getByTestId('company-name').fill('常熟新界精密机械有限公司');
    await page.locator('.ant-select').filter({ has: page.getByTestId('industry-select') }).or(page.getByTestId('industry-select')).first().click();
    await page.keyboard.type('制造业');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '制造' }).first().click();
    await settle(page);
    await shot(page, 'industries-company-form');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('常熟新界精密机械有限公司').first().waitFor();
    const rep = await srv.login('lina');
    const found = await rep.ok('GET', '/companies?q=' + encodeURIComponent('常熟新界'));
    assert.equal(found.items.length, 1);
    assert.equal(found.items[0].industry, '制造');
    await page.context().close();
  });

  test('no page error, dialog or CSP violation', () => {
    assert.deepEqual(problems, []);
  });
});
