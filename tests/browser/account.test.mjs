// The account's security in the UI (issue 17, point 8): after an admin's reset the
// login leads to a change-password form and nothing else until the user sets their
// own password; the user menu's "Account & security" changes the password and lists
// and revokes the user's bearer tokens; the admin sees every token in Settings.
//
//   TIEJUN_BIN=build/release/tiejun node --test tests/browser/account.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Server, PASSWORD } from './harness.mjs';
import { SHOTS, PHONE, DESKTOP, launchChromium, newPage as newPageIn, settle, shot } from './browser.mjs';

let srv;
let browser;
let admin;
let rep;
const problems = [];

describe('account: forced password change and tokens', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    admin = await srv.login('admin');
    const team = await admin.ok('POST', '/teams', { name: '华东一组' });
    rep = await admin.ok('POST', '/users', { username: 'acct', display_name: '张伟', role: 'rep', team_id: team.id, password: PASSWORD });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  async function loginWith(page, username, password) {
    await page.goto(srv.base + '/');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }

  for (const [viewport, lang] of [[PHONE, 'zh'], [DESKTOP, 'en']]) {
    test(`after an admin's reset the next login shows only the change-password form (${viewport.width}px, ${lang})`, async () => {
      const temp = `Temp-${viewport.width}-pass`;
      await admin.ok('PATCH', `/users/${rep.id}`, { password: temp });
      const page = await newPageIn(browser, problems, viewport, lang);
      try {
        await loginWith(page, 'acct', temp);
        const form = page.getByTestId('forced-password-change');
        await form.waitFor();
        assert.equal(await page.getByTestId('page-title').count(), 0, 'no app behind the form');
        await shot(page, `forced-password-change-${lang}`);
        // a mismatch is caught in the form, a wrong current password by the server
        await page.getByTestId('password-current').fill('wrong-password-1');
        await page.getByTestId('password-new').fill('My-own-pass-1');
        await page.getByTestId('password-repeat').fill('My-own-pass-1');
        await page.getByTestId('password-submit').click();
        await page.getByTestId('password-error').waitFor();
        await page.getByTestId('password-current').fill(temp);
        await page.getByTestId('password-submit').click();
        await page.getByTestId('page-title').waitFor();
        await settle(page);
        assert.equal(await form.count(), 0);
        // the new password is the one that works now
        const r = await fetch(srv.base + '/api/v1/session', {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'acct', password: 'My-own-pass-1' }),
        });
        assert.equal(r.status, 200);
        assert.equal((await r.json()).must_change_password, false);
      } finally {
        await page.context().close();
      }
    });
  }

  test('the account dialog lists the user\'s tokens and revokes one; the admin sees all in Settings', async () => {
    // the rep's own password is the one the form set
    const c = await srv.login('acct', 'My-own-pass-1');
    const t1 = await c.ok('POST', '/tokens', { name: '报表脚本' });
    await c.ok('POST', '/tokens', { name: '同步脚本' });
    const page = await newPageIn(browser, problems, DESKTOP, 'zh');
    try {
      await page.goto(srv.base + '/');
      await page.getByTestId('login-username').fill('acct');
      await page.getByTestId('login-password').fill('My-own-pass-1');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('page-title').waitFor();
      await page.getByTestId('user-menu').click();
      await page.getByTestId('menu-account').click();
      await page.getByTestId('tokens').waitFor();
      await page.getByText('报表脚本').waitFor();
      await settle(page);
      await shot(page, 'account-dialog', false);
      await page.getByTestId(`token-revoke-${t1.id}`).click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await page.getByText('报表脚本').waitFor({ state: 'detached' });
      const left = await c.ok('GET', '/tokens');
      assert.deepEqual(left.items.map((x) => x.name), ['同步脚本']);
    } finally {
      await page.context().close();
    }
    const ap = await newPageIn(browser, problems, DESKTOP, 'zh');
    try {
      await ap.goto(srv.base + '/');
      await ap.getByTestId('login-username').fill('admin');
      await ap.getByTestId('login-password').fill(PASSWORD);
      await ap.getByTestId('login-submit').click();
      await ap.getByTestId('page-title').waitFor();
      await ap.evaluate(() => {
        history.pushState(null, '', '/settings');
        dispatchEvent(new PopStateEvent('popstate'));
      });
      await ap.getByTestId('page-settings').waitFor();
      await ap.locator('.ant-tabs-tab', { hasText: 'API 令牌' }).click();
      await ap.getByText('同步脚本').waitFor();
      await ap.getByText('张伟').first().waitFor();
      await settle(ap);
      await shot(ap, 'settings-tokens', false);
    } finally {
      await ap.context().close();
    }
    assert.deepEqual(problems, [], 'no page error, dialog or CSP violation');
  });
});
