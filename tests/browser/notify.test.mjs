// Browser test of the bell (issue 14): a rep told of a booked 陪访 and a manager's
// nudge sees the unread count on every page, opens the list and follows a
// notification to its page, on a phone (390x844) and a desktop (1440x900), in
// Chinese and English; the admin's channels and deliveries page. Screenshots go
// to test-artifacts/screenshots/bell-*.png and notify-*.png.
//
//   node --test --test-concurrency=1 tests/browser/notify.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Server, seed, shanghaiDate } from './harness.mjs';
import { SHOTS, PHONE, DESKTOP, launchChromium, newPage as newPageIn, login as loginAt, settle, shot, assertNoHorizontalOverflow } from './browser.mjs';

let srv;
let data;
let browser;
const problems = [];
const newPage = (viewport, lang = 'zh') => newPageIn(browser, problems, viewport, lang);
const login = (page, username) => loginAt(page, srv.base, username);
const unread = async (page) => {
  const badge = page.locator('[data-testid="bell"] .tj-badge-count');
  if ((await badge.count()) === 0) return 0;
  return Number((await badge.first().getAttribute('title')) ?? (await badge.first().textContent()));
};

describe('the notification bell in the web UI', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    data = await seed(srv);
    const admin = await srv.login('admin');
    await admin.ok('POST', '/channels', { kind: 'dingtalk', name: '华东一组群', url: 'http://127.0.0.1:9/robot/send?access_token=0123456789abcdef', secret: 'SECnotshown', team_id: data.team.id, events: ['booking', 'plan_missing'], active: false });
    const wang = await srv.login('wang');
    await wang.ok('POST', '/bookings', { rep_id: data.lina.id, company_id: data.ready.id, at: `${shanghaiDate(2)}T14:30`, stage: 3, note: '你来谈' });
    await wang.ok('POST', '/alerts/nudge', { rep_id: data.lina.id, kind: 'find_payer', company_id: data.ready.id });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  for (const [viewport, lang] of [[PHONE, 'zh'], [DESKTOP, 'zh'], [PHONE, 'en'], [DESKTOP, 'en']]) {
    const size = viewport === PHONE ? 'phone' : 'desktop';
    test(`the bell shows the unread count and the list (${size}, ${lang})`, async () => {
      const page = await newPage(viewport, lang);
      await login(page, 'lina');
      await page.getByTestId('bell').waitFor();
      await settle(page);
      assert.equal(await unread(page), 2, 'two unread: the booking and the nudge');
      await shot(page, `bell-closed-${lang}`, false);
      await page.getByTestId('bell').click();
      await page.getByTestId('bell-list').waitFor();
      const items = page.getByTestId('bell-item');
      await items.first().waitFor();
      assert.equal(await items.count(), 2);
      const text = await page.getByTestId('bell-list').innerText();
      if (lang === 'zh') {
        assert.match(text, /王主管 约你 .* 一起陪访「杭州云帆科技有限公司」/);
        assert.match(text, /王主管 提醒你/);
      } else {
        assert.match(text, /王主管 will go with you to 杭州云帆科技有限公司/);
        assert.match(text, /nudges you/);
      }
      await page.waitForTimeout(400);
      await shot(page, `bell-open-${lang}`, false);
      if (viewport === PHONE) await assertNoHorizontalOverflow(page, `bell ${lang}`);
      // the bell is on every page
      await page.keyboard.press('Escape');
      await page.goto(srv.base + '/customers');
      await page.getByTestId('bell').waitFor();
      await settle(page);
      assert.equal(await unread(page), 2);
      await page.close();
    });
  }

  test('opening a notification marks it read and goes to its page', async () => {
    const page = await newPage(DESKTOP, 'zh');
    await login(page, 'lina');
    await page.getByTestId('bell').click();
    await page.getByTestId('bell-item').filter({ hasText: '提醒你' }).click();
    await page.waitForURL(`**/customers/${data.ready.id}`);
    await settle(page);
    assert.equal(await unread(page), 1);
    await page.getByTestId('bell').click();
    await page.getByTestId('bell-read-all').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="bell"] .tj-badge-count'));
    assert.equal(await unread(page), 0);
    await page.close();
  });

  test('the admin sees channels (secret never shown) and deliveries', async () => {
    for (const [viewport, lang] of [[DESKTOP, 'zh'], [PHONE, 'en']]) {
      const page = await newPage(viewport, lang);
      await login(page, 'admin');
      await page.goto(srv.base + '/notify');
      await page.getByTestId('notify-page').waitFor();
      await settle(page);
      const text = await page.getByTestId('notify-page').innerText();
      assert.match(text, /华东一组群/);
      assert.ok(!text.includes('SECnotshown') && !text.includes('0123456789abcdef'), 'no secret, no token');
      assert.match(text, lang === 'zh' ? /推送记录/ : /Deliveries/);
      assert.match(text, /陪访预约/, 'the booking waits for the paused robot');
      await shot(page, `notify-admin-${lang}`);
      await page.close();
    }
  });

  test('no console errors, CSP violations or failed requests', () => {
    assert.deepEqual(problems, []);
  });
});
