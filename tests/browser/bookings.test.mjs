// Browser test of accompanied-visit bookings 陪访预约: the manager books a 陪访 for
// a rep on the Team page (desktop), the rep logs in on a phone and sees it on
// Today, opens the visit form prefilled from it and logs the visit, which marks
// the booking done. Screenshots at 390x844 and 1440x900 go to
// test-artifacts/screenshots/booking-*.png.
//
//   node --test --test-concurrency=1 tests/browser/bookings.test.mjs
//   TIEJUN_BIN=build/release/tiejun (default; the UI must be embedded) or TIEJUN_WEB_DIR=web/dist.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Server, seed, shanghaiDate, PASSWORD, REPO_ROOT } from './harness.mjs';
import { SHOTS, PHONE, DESKTOP, launchChromium, newPage as newPageIn, login as loginAt, settle, shot, assertNoHorizontalOverflow } from './browser.mjs';

let srv;
let data;
let browser;
const problems = [];

const newPage = (viewport, lang = 'zh') => newPageIn(browser, problems, viewport, lang);
const login = (page, username) => loginAt(page, srv.base, username);

/** Opens an antd Select (found by its data-testid) and picks the option with this text. */
async function pick(page, testId, text, typed) {
  const sel = page.locator('.ant-select').filter({ has: page.getByTestId(testId) }).or(page.getByTestId(testId)).first();
  await sel.click();
  if (typed) await page.keyboard.type(typed);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
}

describe('accompanied-visit bookings in the web UI', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    data = await seed(srv);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('the manager books a 陪访 for a rep on the Team page', async () => {
    const page = await newPage(DESKTOP);
    await login(page, 'wang');
    await page.getByTestId('page-team').waitFor();
    await page.getByRole('tab', { name: '陪访预约' }).click();
    await page.getByTestId('team-bookings').waitFor();
    await settle(page);
    await shot(page, 'booking-team-empty');
    await page.getByTestId('booking-new').click();
    await page.getByTestId('booking-form').waitFor();
    await pick(page, 'booking-rep', '李娜');
    await pick(page, 'booking-company', '杭州云帆科技有限公司', '云帆');
    // the day after tomorrow, at 14:30
    const day = shanghaiDate(2);
    await page.getByTestId('booking-date').click();
    await page.locator(`.ant-picker-dropdown:visible td[title="${day}"]`).click();
    await page.getByTestId('booking-time').click();
    const panel = page.locator('.ant-picker-dropdown:visible .ant-picker-time-panel');
    await panel.locator('.ant-picker-time-panel-column').nth(0).locator('.ant-picker-time-panel-cell-inner', { hasText: /^14$/ }).click();
    await panel.locator('.ant-picker-time-panel-column').nth(1).locator('.ant-picker-time-panel-cell-inner', { hasText: /^30$/ }).click();
    await page.getByTestId('booking-note').click();  // closes the time panel
    await page.getByTestId('booking-stage').getByText('你做我看').click();
    await page.getByTestId('booking-note').fill('这次你来谈，我看你怎么找买单人');
    await page.waitForTimeout(300);
    await shot(page, 'booking-form', false);
    await page.getByTestId('booking-submit').click();

    const item = page.getByTestId('booking-item').filter({ hasText: '杭州云帆科技有限公司' });
    await item.waitFor();
    await item.getByText('李娜').waitFor();
    await item.getByText('你做我看').waitFor();
    await item.getByText('14:30').waitFor();
    await settle(page);
    await shot(page, 'booking-team-list');

    const mgr = await srv.login('wang');
    const list = await mgr.ok('GET', '/bookings');
    const b = list.items.find((x) => x.company_id === data.ready.id);
    assert.ok(b, JSON.stringify(list));
    assert.equal(b.rep_id, data.lina.id);
    assert.equal(b.at, `${day}T14:30:00+08:00`);
    assert.equal(b.stage, 3);
    assert.equal(b.status, 'scheduled');
    assert.equal(b.note, '这次你来谈，我看你怎么找买单人');
    await page.context().close();
  });

  test('the rep sees it on Today (phone), logs the 陪访 from it, and the booking is done', async () => {
    const page = await newPage(PHONE);
    await login(page, 'lina');
    await page.getByTestId('page-today').waitFor();
    const card = page.getByTestId('today-bookings');
    await card.waitFor();
    await card.getByText('杭州云帆科技有限公司').waitFor();
    await card.getByText('王主管 陪访').waitFor();
    await card.getByText('14:30').waitFor();
    await settle(page);
    await shot(page, 'booking-rep-today');
    await shot(page, 'booking-rep-today-top', false);
    await assertNoHorizontalOverflow(page, 'today with bookings');

    await card.getByTestId('booking-log').click();
    await page.getByTestId('page-visit').waitFor();
    await page.locator('.ant-select-selection-item', { hasText: '杭州云帆科技有限公司' }).waitFor();
    await page.locator('.ant-select-selection-item', { hasText: '王主管' }).waitFor();
    await page.locator('.ant-radio-button-wrapper-checked', { hasText: '你做我看' }).waitFor();
    await settle(page);
    await shot(page, 'booking-rep-visit-prefilled');
    await assertNoHorizontalOverflow(page, 'prefilled visit form');
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-result').waitFor();

    const rep = await srv.login('lina');
    const all = await rep.ok('GET', '/bookings?status=all');
    const b = all.items.find((x) => x.company_id === data.ready.id);
    assert.equal(b.status, 'done', JSON.stringify(b));
    assert.ok(b.visit_id);
    await page.getByTestId('tab-today').click();
    await page.getByTestId('page-today').waitFor();
    await settle(page);
    assert.equal(await page.getByTestId('today-bookings').count(), 0, 'no upcoming bookings left on Today');
    await page.context().close();
  });

  test('the Team bookings fit a phone: list, reschedule and cancel', async () => {
    const mgr = await srv.login('wang');
    for (const [co, rep, d, stage] of [
      [data.sink.id, data.zhaoq.id, 1, 1],
      [data.others[0].id, data.lina.id, 1, 2],
      [data.others[1].id, data.lina.id, 4, 4],
    ])
      await mgr.ok('POST', '/bookings', { rep_id: rep, company_id: co, at: `${shanghaiDate(d)}T09:30`, stage, note: stage === 1 ? '恒远化工：我来谈，你看我怎么约见老板' : '' });
    const page = await newPage(PHONE);
    await login(page, 'wang');
    await page.getByTestId('page-team').waitFor();
    await page.getByRole('tab', { name: '陪访预约' }).click();
    await page.getByTestId('team-bookings').waitFor();
    await page.getByTestId('booking-item').filter({ hasText: '常州恒远化工有限公司' }).waitFor();
    await settle(page);
    await shot(page, 'booking-team-phone');
    await assertNoHorizontalOverflow(page, 'team bookings on a phone');

    // reschedule the first one to 16:00 the same day
    const first = page.getByTestId('booking-item').filter({ hasText: '常州恒远化工有限公司' });
    await first.getByTestId('booking-reschedule').click();
    await page.getByTestId('booking-form').waitFor();
    await page.getByTestId('booking-time').click();
    const panel = page.locator('.ant-picker-dropdown:visible .ant-picker-time-panel');
    await panel.locator('.ant-picker-time-panel-column').nth(0).locator('.ant-picker-time-panel-cell-inner', { hasText: /^16$/ }).click();
    await panel.locator('.ant-picker-time-panel-column').nth(1).locator('.ant-picker-time-panel-cell-inner', { hasText: /^00$/ }).click();
    await page.getByTestId('booking-note').click();
    await page.waitForTimeout(300);
    await shot(page, 'booking-reschedule', false);
    await page.getByTestId('booking-submit').click();
    await first.getByText('16:00').waitFor();

    // cancel the last one
    const last = page.getByTestId('booking-item').filter({ hasText: '苏州精工制造股份' });
    await last.getByTestId('booking-cancel').click();
    await page.getByTestId('confirm-ok').click();
    await last.waitFor({ state: 'detached' });
    await settle(page);

    // from the coaching list: book the next 陪访 of the loop for a rep in coaching (the rep is preset)
    // (a tap on the phone's scrolling tab bar right after it moved may not register: tap again)
    for (let i = 0; i < 3 && !(await page.getByTestId('coaching').count()); i++) {
      await page.getByRole('tab', { name: '陪访辅导' }).click();
      await page.waitForTimeout(500);
    }
    await page.getByTestId('coaching').waitFor();
    await settle(page);
    if (await page.getByTestId('coaching-book').count()) {
      await assertNoHorizontalOverflow(page, 'coaching on a phone');
      await shot(page, 'booking-coaching-phone');
      await page.getByTestId('coaching-book').first().click();
      await page.getByTestId('booking-form').waitFor();
      await page.locator('.ant-modal:visible .ant-select-selection-item').first().waitFor();
      await page.waitForTimeout(300);
      await shot(page, 'booking-from-coaching', false);
      await page.keyboard.press('Escape');
    }

    const list = await mgr.ok('GET', '/bookings?status=all');
    const sink = list.items.find((x) => x.company_id === data.sink.id);
    assert.equal(sink.at, `${shanghaiDate(1)}T16:00:00+08:00`);
    assert.equal(list.items.find((x) => x.company_id === data.others[1].id).status, 'cancelled');
    // English on a desktop
    const en = await newPage(DESKTOP, 'en');
    await login(en, 'wang');
    await en.getByTestId('page-team').waitFor();
    await en.getByRole('tab', { name: 'Bookings' }).click();
    await en.getByTestId('booking-item').filter({ hasText: '常州恒远化工有限公司' }).getByText('I do, you watch').waitFor();
    await settle(en);
    await shot(en, 'booking-team-en');
    await en.context().close();
    await page.context().close();
  });

  test('no page error, dialog or CSP violation anywhere', () => {
    assert.deepEqual(problems, []);
  });
});
