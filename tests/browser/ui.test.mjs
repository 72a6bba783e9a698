// Browser tests of the web UI: Debian's chromium (never a downloaded browser),
// driven by playwright-core, against the real tiejun binary on loopback with a
// fresh database. Screenshots of every page at 390x844 and 1440x900 go to
// test-artifacts/screenshots/.
//
//   node --test --test-concurrency=1 tests/browser/
//   TIEJUN_BIN=build/release/tiejun (default; the UI must be embedded) or
//   TIEJUN_WEB_DIR=web/dist to serve the built UI from a folder.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Server, seed, shanghaiDate, XSS_NAME, PASSWORD, REPO_ROOT } from './harness.mjs';
import { SHOTS, PHONE, DESKTOP, launchChromium, newPage as newPageIn, login as loginAt, settle, shot, assertNoHorizontalOverflow } from './browser.mjs';

let srv;
let data;
let browser;
const problems = []; // page errors, CSP violations and dialogs seen anywhere

const newPage = (viewport, lang = 'zh') => newPageIn(browser, problems, viewport, lang);

async function login(page, username, screenshot) {
  await loginAt(page, srv.base, username, {
    onForm: screenshot &&
      (async () => {
        await page.waitForTimeout(300);
        await shot(page, screenshot);
      }),
  });
}

/** Client-side navigation (what a click in the menu does), then wait for the page to settle. */
async function go(page, p, key) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, p);
  await page.getByTestId(`page-${key}`).waitFor();
  await settle(page);
}

describe('web UI', () => {
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

  test('the UI is served with a strict CSP, SPA routing and cacheable assets', async () => {
    const r = await fetch(srv.base + '/customers/123');
    assert.equal(r.status, 200);
    const html = await r.text();
    assert.match(html, /<div id="root">/, 'index.html for an unknown non-API path');
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline scripts');
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)[1];
    const a = await fetch(srv.base + asset);
    assert.equal(a.status, 200);
    assert.match(a.headers.get('content-type') ?? '', /javascript/);
  });

  test('a rep logs a visit that makes a customer effective and sees the quota move', async () => {
    const page = await newPage(PHONE);
    await login(page, 'lina');
    await page.getByTestId('page-today').waitFor();
    await settle(page);
    const ring = page.getByTestId('quota-effective');
    const before = Number(await ring.getAttribute('data-done'));
    const quota = Number(await ring.getAttribute('data-quota'));
    await shot(page, 'rep-today');
    await assertNoHorizontalOverflow(page, 'today');

    await page.getByTestId('tab-visit').click();
    await page.getByTestId('page-visit').waitFor();
    const picker = page.locator('.ant-select').filter({ has: page.getByTestId('visit-company') }).or(page.getByTestId('visit-company')).first();
    await picker.click();
    await page.keyboard.type('云帆');
    await page.locator('.ant-select-item-option', { hasText: '杭州云帆科技有限公司' }).click();
    // Need and budget were established on the first meeting: the switches start from the company's facts.
    await assertChecked(page.getByTestId('visit-need'), true);
    await assertChecked(page.getByTestId('visit-budget'), true);
    await page.getByTestId('visit-met_payer').click();
    await assertChecked(page.getByTestId('visit-met_payer'), true);
    await shot(page, 'rep-visit-form');
    await assertNoHorizontalOverflow(page, 'visit form');
    await page.getByTestId('visit-submit').click();

    const result = page.getByTestId('visit-result');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-made-effective'), 'true');
    await page.getByTestId('effective-plus-one').waitFor();
    const after = page.getByTestId('result-quota-effective');
    await page.waitForFunction((n) => document.querySelector('[data-testid="result-quota-effective"]')?.getAttribute('data-done') === String(n), before + 1);
    assert.equal(Number(await after.getAttribute('data-quota')), quota);
    await page.waitForTimeout(1200); // let the celebration land for the screenshot
    await shot(page, 'rep-visit-effective');

    await page.getByTestId('tab-today').click();
    await page.getByTestId('page-today').waitFor();
    await page.waitForFunction((n) => document.querySelector('[data-testid="quota-effective"]')?.getAttribute('data-done') === String(n), before + 1);

    // The morning plan and the evening share, from the Today page.
    const plan = page.getByTestId('plan-card');
    // The picker is plain markup until tapped; the tap loads antd's searchable select, open and focused.
    await plan.getByTestId('plan-companies').click();
    await page.locator('.ant-select-dropdown:visible').waitFor();
    // The picker first lists the rep's own companies, then the search's results replace them: pick
    // only once the search has answered (a tap while the list re-renders can land on another row).
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/companies?') && decodeURIComponent(r.url()).includes('q=海运'));
    await page.keyboard.type('海运');
    await searched;
    await page.locator('.ant-select-item-option', { hasText: '宁波海运物流集团' }).click();
    await plan.locator('.ant-select-selection-item', { hasText: '宁波海运物流集团' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('plan-goal').fill('今天见到宁波海运的老板，拿下 2 个有效客户');
    await page.getByTestId('plan-submit').click();
    await plan.getByText('今天见到宁波海运的老板，拿下 2 个有效客户').waitFor();
    await plan.getByText('宁波海运物流集团').waitFor();
    await page.getByTestId('review-wins').fill('杭州云帆见到了买单人，成为有效新客户');
    await page.getByTestId('review-help').fill('想请王主管陪访宁波海运');
    await page.getByTestId('review-submit').click();
    await page.getByTestId('review-card').getByText('已提交').waitFor();
    const mine = await (await srv.login('lina')).ok('GET', `/reviews/${shanghaiDate()}`);
    assert.equal(mine.wins, '杭州云帆见到了买单人，成为有效新客户');
    assert.equal(mine.results.effective_new, before + 1, 'the share carries the day’s results from the visits');
    await page.context().close();
  });

  test('every page renders on a phone and a desktop, for a rep and a manager', async () => {
    const pages = {
      lina: [
        ['/today', 'today'],
        ['/visit', 'visit'],
        ['/customers', 'customers'],
        [`/customers/${data.ready.id}`, 'customers', 'customer-detail'],
        ['/prospects', 'prospects'],
        ['/leaderboard', 'leaderboard'],
      ],
      wang: [
        ['/team', 'team'],
        ['/customers', 'customers'],
        [`/customers/${data.sink.id}`, 'customers', 'customer-detail'],
        ['/prospects', 'prospects'],
        ['/leaderboard', 'leaderboard'],
        ['/diagnosis', 'diagnosis'],
        ['/people', 'people'],
        ['/settings', 'settings'],
      ],
      admin: [['/data', 'data']],
    };
    for (const viewport of [PHONE, DESKTOP]) {
      for (const [user, list] of Object.entries(pages)) {
        const page = await newPage(viewport);
        await login(page, user, user === 'lina' ? 'login' : undefined);
        for (const [p, key, name] of list) {
          await go(page, p, key);
          const title = await page.getByTestId('page-title').textContent();
          assert.ok(title && title.trim().length > 0, `${p}: a title`);
          const text = await page.locator('main').innerText();
          assert.ok(text.trim().length > 20, `${user} ${p}: the page is not empty`);
          await shot(page, `${user === 'lina' ? 'rep' : user === 'wang' ? 'manager' : 'admin'}-${name ?? key}`);
          if (viewport === PHONE) await assertNoHorizontalOverflow(page, `${user} ${p}`);
        }
        await page.context().close();
      }
    }
  });

  test('the manager sees the evening share and the time-sink alert', async () => {
    const page = await newPage(DESKTOP);
    await login(page, 'wang');
    await page.getByTestId('page-team').waitFor();
    await settle(page);
    await page.getByTestId('kickoff-board').getByText('赵强').waitFor();
    await page.getByRole('tab', { name: '晚分享' }).click();
    const share = page.getByTestId('share-card').filter({ hasText: '赵强' });
    await share.getByText('无锡蓝天见到了总经理，当场确认预算').waitFor();
    await share.getByText('希望王主管明天陪访恒远化工').waitFor();
    await settle(page);
    // Comments and likes on a share (the team feed).
    await share.getByTestId('feed-like').click();
    await share.getByRole('button').filter({ has: page.locator('.anticon-message') }).click();
    await share.getByTestId('feed-comment-input').fill('干得好！明天我陪你去恒远');
    await share.getByTestId('feed-comment-send').click();
    await share.getByText('干得好！明天我陪你去恒远').waitFor();
    await shot(page, 'manager-team-shares');

    await page.getByRole('tab', { name: '时间黑洞与预警' }).click();
    const list = page.getByTestId('team-alert-list');
    await list.locator('[data-kind="time_sink_last_month"]').filter({ hasText: '常州恒远化工有限公司' }).waitFor();
    await settle(page);
    await shot(page, 'manager-team-alerts');
    for (const tab of ['80/20', '陪访辅导']) {
      await page.getByRole('tab', { name: tab }).click();
      await settle(page);
      await shot(page, `manager-team-${tab === '80/20' ? 'split' : 'coaching'}`);
    }
    await page.context().close();
  });

  test('switching the language shows English and survives a reload', async () => {
    const page = await newPage(PHONE);
    await login(page, 'wang');
    await page.getByTestId('page-team').waitFor();
    assert.equal((await page.getByTestId('page-title').textContent()).trim(), '团队');
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal((await page.getByTestId('page-title').textContent()).trim(), 'Team');
    await page.getByRole('tab', { name: 'Kick-off' }).waitFor();
    await page.getByText('New-customer visits').first().waitFor();
    await settle(page);
    await shot(page, 'manager-team-english');
    await page.reload();
    await page.getByTestId('page-title').waitFor();
    assert.equal((await page.getByTestId('page-title').textContent()).trim(), 'Team', 'the session and the language survive a reload');
    await go(page, '/customers', 'customers');
    await page.getByText('Load more').or(page.getByText(/All \d+ loaded/)).first().waitFor();
    await shot(page, 'manager-customers-english');
    await page.context().close();

    // A rep's day in English, on the phone.
    const rep = await newPage(PHONE, 'en');
    await login(rep, 'lina');
    for (const [p, key, name] of [
      ['/today', 'today'],
      ['/visit', 'visit'],
      [`/customers/${data.ready.id}`, 'customers', 'customer-detail'],
      ['/leaderboard', 'leaderboard'],
    ]) {
      await go(rep, p, key);
      await shot(rep, `rep-${name ?? key}-english`);
      await assertNoHorizontalOverflow(rep, `english ${p}`);
    }
    assert.equal((await rep.getByTestId('page-title').textContent()).trim(), 'Leaderboard');
    await rep.context().close();
  });

  test('the customer list searches in Chinese, filters and loads more with a cursor', async () => {
    const page = await newPage(PHONE);
    await login(page, 'lina');
    await go(page, '/customers', 'customers');
    const rows = page.getByTestId('customer-row');
    // a rep's list starts from her own companies (issue 15); 全部 shows the pool too
    await page.getByTestId('customers-owner').selectOption({ label: '全部' });
    await page.getByTestId('customers-more').waitFor();
    const first = await rows.count();
    assert.equal(first, 20, 'the first page holds 20');
    await page.getByTestId('customers-more').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="customer-row"]').length > n, first);
    await page.getByTestId('customers-search').fill('云帆');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customer-row"]').length === 1);
    assert.match(await rows.first().innerText(), /杭州云帆科技有限公司/);
    await page.getByTestId('customers-search').fill('');
    await page.getByTestId('customers-owner').selectOption({ label: '公海' });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="customer-row"]')].every((r) => r.textContent.includes('公海客户')));
    await page.context().close();
  });

  test('a stored company name with HTML shows as text and runs nothing', async () => {
    const page = await newPage(DESKTOP);
    const before = problems.length;
    await login(page, 'lina');
    await go(page, '/customers', 'customers');
    await page.getByTestId('customers-search').fill('onerror');
    const row = page.getByTestId('customer-row').filter({ hasText: XSS_NAME });
    await row.waitFor();
    assert.equal(await page.locator('main img[src="x"]').count(), 0, 'no <img> was created from the name');
    await row.click();
    await page.getByTestId('customer-detail').waitFor();
    assert.equal((await page.getByTestId('customer-name').textContent()).trim(), XSS_NAME);
    assert.equal(await page.locator('img[src="x"], b:text("bold")').count(), 0);
    await settle(page);
    await shot(page, 'rep-customer-xss');
    await page.waitForTimeout(500);
    assert.deepEqual(problems.slice(before), [], 'no dialog, page error or CSP violation');
    await page.context().close();
  });

  test('editing a company someone else just changed tells the user and reloads', async () => {
    const page = await newPage(DESKTOP);
    await login(page, 'lina');
    await go(page, `/customers/${data.others[1].id}`, 'customers');
    await page.getByTestId('customer-detail').waitFor();
    // Meanwhile the manager renames it (version bump).
    const mgr = await srv.login('wang');
    const cur = await mgr.ok('GET', `/companies/${data.others[1].id}`);
    await mgr.ok('PATCH', `/companies/${data.others[1].id}`, { version: cur.version, region: '苏州工业园区' });
    await page.getByTestId('customer-more').click();
    await page.getByRole('menuitem', { name: '编辑资料' }).click();
    await page.getByTestId('company-name').fill('苏州精工制造股份（新名）');
    await page.getByRole('button', { name: '保存' }).click();
    const dlg = page.locator('[role=alertdialog]');
    await dlg.getByRole('heading', { name: '数据已被他人修改' }).waitFor();
    assert.equal(await dlg.count(), 1, 'one conflict dialog');
    await shot(page, 'rep-customer-conflict');
    await dlg.getByTestId('notice-ok').click();
    await page.getByText('苏州工业园区').waitFor(); // reloaded: the other change is shown
    assert.equal((await page.getByTestId('customer-name').textContent()).trim(), '苏州精工制造股份');
    await page.context().close();
  });

  test('the manager applies the suggested quota from the diagnosis', async () => {
    const mgr = await srv.login('wang');
    // What the page asks for (Diagnosis.tsx: as_of today, the manager's only team), straight from the API.
    const today = shanghaiDate(0);
    const d = await mgr.ok('GET', `/diagnosis?as_of=${today}&team_id=${data.team.id}`);
    const failing = [d.system, ...(d.system.also ?? [])].filter((s) => s.failing);
    // The seed's reps log 1-3 visits a day against the default quota of 5: the system layer must suggest less.
    assert.ok(failing.length >= 1, `the diagnosis suggests a lower quota for the seed: ${JSON.stringify(d.system)}`);
    const page = await newPage(DESKTOP);
    await login(page, 'wang');
    await go(page, '/diagnosis', 'diagnosis');
    for (const s of failing) await page.getByTestId(`diag-suggest-${s.metric}`).getByTestId('diag-apply').waitFor();
    assert.equal(await page.getByTestId('diag-apply').count(), failing.length, 'one apply button per failing suggestion, as the API says');
    const first = failing[0];
    await page.getByTestId(`diag-suggest-${first.metric}`).getByTestId('diag-apply').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('新指标已生效').waitFor();
    const targets = await mgr.ok('GET', '/targets');
    const set = targets.items.find((x) => x.scope === 'team' && x.scope_id === data.team.id && x.period === 'day' && x.metric === first.metric);
    assert.ok(set, 'a team target was set');
    assert.equal(set.value, first.suggested, 'the target is the suggested figure');
    await page.context().close();
  });

  test('an admin imports a CSV (preview, then import) and downloads an export', async () => {
    const admin = await srv.login('admin');
    const dir = mkdtempSync(path.join(tmpdir(), 'tiejun-import-'));
    const csv = path.join(dir, '客户名单.csv');
    writeFileSync(csv, '客户名称,行业,行业排名,地区\n南通远航船舶有限公司,制造,3,南通\n扬州润扬食品,食品,8,扬州\n');
    const page = await newPage(DESKTOP);
    await login(page, 'admin');
    await go(page, '/data', 'data');
    await page.getByTestId('import-card').locator('input[type=file]').setInputFiles(csv);
    await page.getByRole('button', { name: '预览', exact: true }).click();
    await page.getByTestId('import-card').getByRole('columnheader', { name: '对应字段' }).waitFor();
    await shot(page, 'admin-import-preview');
    await page.getByRole('button', { name: '确认导入', exact: true }).click();
    await page.getByText('已导入 2 行').first().waitFor();
    const found = await admin.ok('GET', '/companies?q=' + encodeURIComponent('南通远航'));
    assert.equal(found.items.length, 1, 'the imported company is there');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-card').getByRole('button', { name: '下载' }).click()]);
    assert.match(dl.suggestedFilename(), /^companies-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await settle(page);
    await shot(page, 'admin-import-done');
    await page.context().close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('no page error, dialog or CSP violation anywhere', () => {
    assert.deepEqual(problems, []);
  });
});

async function assertChecked(locator, want) {
  const v = await locator.getAttribute('aria-checked');
  assert.equal(v, String(want));
}
