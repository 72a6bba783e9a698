// Issue 15, the rep's pages (Today, Prospects, Customers, a customer) at phone and desktop
// sizes, in Chinese and English:
//   - each page's first screen takes at most two API requests of its own, none failing (4xx/5xx),
//     none repeated;
//   - the flows: prospects filtered by industry, nearness and competitor, reasons in words (no
//     score), a claim button that turns into 记拜访; tap-to-call (tel:) on the list and on a
//     customer; the check-in's distance from the company shown to the manager; the monthly
//     targets with pace on Today; labelled pairs of figures and blanks never shown as 0.
// Screenshots go to test-artifacts/screenshots/ (rep15-*).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Server, seed, shanghaiDate } from './harness.mjs';
import { SHOTS, PHONE, DESKTOP, launchChromium, newPage as newPageIn, login as loginAt, settle, shot, assertNoHorizontalOverflow } from './browser.mjs';

let srv;
let data;
let browser;
const problems = [];
const fx = {};

const newPage = (viewport, lang) => newPageIn(browser, problems, viewport, lang);

/** Every /api/v1 request of the page with its answer's status, from now on. */
function watchApi(page) {
  const seen = [];
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/v1/')) seen.push({ key: `${r.request().method()} ${u.pathname}${u.search}`, status: r.status() });
  });
  page.on('requestfailed', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/v1/')) seen.push({ key: `${r.method()} ${u.pathname}${u.search}`, status: 0 });
  });
  return seen;
}

/** Client-side navigation (a tap in the menu), then the page settles; answers the requests it made. */
async function go(page, seen, p, key) {
  const from = seen.length;
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, p);
  await page.getByTestId(`page-${key}`).waitFor();
  await settle(page);
  return seen.slice(from);
}

// The shell's own requests (the notification bell refreshes on each navigation; the session):
// not the page's. They still must not fail (checked below over every request seen).
const SHELL = /^GET \/api\/v1\/(notifications|me)(\?|$)/;

/** At most `max` requests of the page's own, none failing, none repeated. */
function assertRequests(all, max, what) {
  const shellBad = all.filter((r) => SHELL.test(r.key) && (r.status >= 400 || r.status === 0));
  assert.deepEqual(shellBad, [], `${what}: a shell request failed`);
  const reqs = all.filter((r) => !SHELL.test(r.key));
  const list = reqs.map((r) => `${r.status} ${r.key}`).join('\n');
  const bad = reqs.filter((r) => r.status >= 400 || r.status === 0);
  assert.deepEqual(bad, [], `${what}: failing requests\n${list}`);
  const keys = reqs.map((r) => r.key);
  const dup = keys.filter((k, i) => keys.indexOf(k) !== i);
  assert.deepEqual(dup, [], `${what}: repeated requests\n${list}`);
  assert.ok(reqs.length <= max, `${what}: ${reqs.length} requests (at most ${max})\n${list}`);
  assert.ok(reqs.length >= 1, `${what}: no request at all?`);
}

describe('the rep\'s pages (issue 15)', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    data = await seed(srv);
    const admin = await srv.login('admin');
    const wang = await srv.login('wang');
    const lina = await srv.login('lina');
    // Pool companies next to lina's signed 杭州数澜 (软件 #4): one using a competitor, one not.
    fx.poolNear = await admin.ok('POST', '/companies', { name: '杭州星河软件有限公司', industry: '软件', industry_rank: 3, region: '杭州', budget_capacity: 30000000, competitor: '销售易', owner_id: null });
    fx.poolFar = await admin.ok('POST', '/companies', { name: '杭州远山信息技术', industry: '软件', industry_rank: 6, region: '杭州', budget_capacity: 30000000, owner_id: null });
    // 杭州云帆: an address and a place; a check-in 0.01° north of it (1,112 m); a payer with a phone.
    const ready = await lina.ok('GET', `/companies/${data.ready.id}`);
    await lina.ok('PATCH', `/companies/${data.ready.id}`, { version: ready.version, address: '杭州市西湖区文三路 90 号', location: { lat: 30.2741, lng: 120.1551 } });
    await lina.ok('POST', '/visits', { company_id: data.ready.id, kind: 'visit', duration_min: 30, location: { lat: 30.2841, lng: 120.1551 } });
    await lina.ok('POST', `/companies/${data.ready.id}/contacts`, { name: '周总', title: '总经理', phone: '0571-8888 6666', is_payer: true });
    // A monthly target for lina (her manager sets it) and her team's daily one.
    await wang.ok('PUT', '/targets', { scope: 'rep', scope_id: data.lina.id, metric: 'visits_new', period: 'month', value: 60, reason: '本月冲刺' });
    await wang.ok('PUT', '/targets', { scope: 'team', scope_id: data.team.id, metric: 'effective_new', period: 'day', value: 2, reason: '每日' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  for (const viewport of [PHONE, DESKTOP])
    for (const lang of ['zh', 'en']) {
      const size = viewport === PHONE ? 'phone' : 'desktop';
      test(`rep pages, ${size}, ${lang}: few requests, none failing or repeated; targets, prospects, tap-to-call`, async () => {
        const zh = lang === 'zh';
        const page = await newPage(viewport, lang);
        const seen = watchApi(page);
        await loginAt(page, srv.base, 'lina');
        await page.getByTestId('page-today').waitFor();
        await settle(page);

        // ---- Today: from the login on, the page's own requests
        const today = await go(page, seen, '/customers', 'customers').then(() => go(page, seen, '/today', 'today'));
        assertRequests(today.filter((r) => !r.key.includes('/feed')), 2, 'Today');
        assert.ok(today.some((r) => r.key.startsWith('GET /api/v1/views/today')), 'Today reads /views/today');
        assert.ok(!today.some((r) => r.key.includes('/metrics/reps') || r.key.includes('/reviews/') || r.key.includes('/plans/')), 'no per-card requests');
        const quotaTitle = await page.locator('.tj-card-title', { hasText: zh ? '每日指标' : 'Daily quota' }).count();
        assert.ok(quotaTitle >= 1, 'the daily quota is called 每日 / Daily');
        const ring = await page.getByTestId('quota-visits').innerText();
        assert.match(ring, zh ? /每日指标 \d+/ : /daily quota \d+/, `the pair is labelled: ${ring}`);
        const targets = page.getByTestId('today-targets');
        await targets.waitFor();
        const tText = await targets.innerText();
        assert.match(tText, zh ? /每月 · 新客户拜访/ : /Monthly · New visits/, tText);
        assert.match(tText, zh ? /实际 \d+ · 目标 60/ : /Actual \d+ · Target 60/, tText);
        assert.match(tText, zh ? /时间进度 \d+%/ : /Time gone \d+%/, tText);
        assert.match(tText, zh ? /每日 · 有效新客户/ : /Daily · Effective new/, tText);
        assert.doesNotMatch(tText, /今日/, 'daily targets are 每日, not 今日');
        await shot(page, `rep15-today-${lang}`);
        if (viewport === PHONE) await assertNoHorizontalOverflow(page, 'Today');

        // ---- Prospects: one request (plus the industry list for the filter), words instead of a score
        const pr = await go(page, seen, '/prospects', 'prospects');
        assertRequests(pr, 2, 'Prospects');
        assert.ok(!pr.some((r) => r.key.includes('/companies/')), 'no per-company requests');
        const list = page.getByTestId('prospects-list');
        await list.waitFor();
        const text = await list.innerText();
        assert.doesNotMatch(text, /得分|score|2,?111|2,?011/i, 'no opaque score');
        assert.match(text, zh ? /第 4 名「杭州数澜网络科技」已签约/ : /"杭州数澜网络科技", #4 in 软件, signed/, text);
        const star = page.getByTestId('prospect').filter({ hasText: '杭州星河软件有限公司' });
        assert.match(await star.innerText(), zh ? /在用竞品「销售易」/ : /Uses the competitor product "销售易"/);
        assert.equal(await page.getByTestId('prospect').filter({ hasText: '杭州云帆科技有限公司' }).getByTestId('prospect-visit').count(), 1, 'her own: 记拜访');
        await shot(page, `rep15-prospects-${lang}`);
        if (viewport === PHONE) await assertNoHorizontalOverflow(page, 'Prospects');

        // the competitor filter: only companies using one
        await page.getByTestId('prospects-competitor').selectOption({ label: zh ? '在用竞品' : 'Uses a competitor' });
        await settle(page);
        const withC = await page.getByTestId('prospect').allInnerTexts();
        assert.ok(withC.length >= 1 && withC.every((x) => (zh ? /在用竞品「/ : /Uses the competitor product/).test(x)), withC.join('\n---\n'));
        assert.ok(!withC.some((x) => x.includes('杭州远山信息技术')), 'no competitor: filtered out');
        // nearness: the direct neighbours only (远山 is 2 ranks from #4)
        await page.getByTestId('prospects-competitor').selectOption({ label: zh ? '不限' : 'Any' });
        await page.getByTestId('prospects-near').selectOption({ label: zh ? '紧挨着（相差 1 名）' : 'Next door (1 rank away)' });
        await settle(page);
        const near = await page.getByTestId('prospect').allInnerTexts();
        assert.ok(near.some((x) => x.includes('杭州星河软件有限公司')) && !near.some((x) => x.includes('杭州远山信息技术')), near.join('\n---\n'));
        // the industry filter: another industry has no suggestion here
        const industry = page.getByTestId('industry-select');
        await industry.locator('option', { hasText: '制造' }).first().waitFor({ state: 'attached' });
        await industry.selectOption({ label: (await industry.locator('option', { hasText: '制造' }).first().textContent()).trim() });
        await settle(page);
        assert.equal(await page.getByTestId('prospect').count(), 0, 'no 制造 suggestion');

        // claim (once, in the first run): the pool company becomes hers and offers 记拜访
        if (viewport === PHONE && zh) {
          await page.getByTestId('industry-select').selectOption('');
          await go(page, seen, '/customers', 'customers');
          await go(page, seen, '/prospects', 'prospects');
          const card = page.getByTestId('prospect').filter({ hasText: '杭州星河软件有限公司' });
          await card.getByTestId('prospect-claim').click();
          await card.getByTestId('prospect-visit').waitFor();
          const lina = await srv.login('lina');
          assert.equal((await lina.ok('GET', `/companies/${fx.poolNear.id}`)).owner_id, data.lina.id, 'claimed');
          await shot(page, `rep15-prospects-claimed-${lang}`);
        }

        // ---- Customers: hers first, tap-to-call
        const cu = await go(page, seen, '/customers', 'customers');
        assertRequests(cu, 2, 'Customers');
        const call = page.getByTestId('customer-call').filter({ hasText: '周总' }).first();
        assert.equal(await call.getAttribute('href'), 'tel:057188886666');
        assert.ok(!(await page.getByTestId('customers-list').innerText()).includes('公海客户'), 'a rep\'s list starts from her own');
        await shot(page, `rep15-customers-${lang}`);
        if (viewport === PHONE) await assertNoHorizontalOverflow(page, 'Customers');

        // ---- a customer: one request, tel: link, the check-in's distance
        const cd = await go(page, seen, `/customers/${data.ready.id}`, 'customers');
        await page.getByTestId('customer-detail').waitFor();
        assertRequests(cd, 2, 'a customer');
        assert.ok(cd.some((r) => r.key.startsWith(`GET /api/v1/views/company/${data.ready.id}`)));
        assert.equal(await page.getByTestId('contact-call').first().getAttribute('href'), 'tel:057188886666');
        const checkin = await page.getByTestId('visit-checkin').first().innerText();
        assert.match(checkin, zh ? /距客户 1\.1 公里/ : /1\.1 km from the company/, checkin);
        await shot(page, `rep15-customer-${lang}`);
        if (viewport === PHONE) await assertNoHorizontalOverflow(page, 'a customer');
        await page.context().close();
      });
    }

  test('the manager sees the check-in distance and address on the visit; a blank plan field is not 0', async () => {
    const page = await newPage(PHONE, 'zh');
    const seen = watchApi(page);
    await loginAt(page, srv.base, 'wang');
    await settle(page);
    const cd = await go(page, seen, `/customers/${data.ready.id}`, 'customers');
    await page.getByTestId('customer-detail').waitFor();
    assertRequests(cd, 2, 'a customer, for the manager');
    const checkin = await page.getByTestId('visit-checkin').first().innerText();
    assert.match(checkin, /距客户 1\.1 公里 · 杭州市西湖区文三路 90 号/, checkin);
    assert.equal(await page.getByTestId('visit-checkin').first().getAttribute('data-distance'), '1112');
    await shot(page, 'rep15-manager-checkin-zh');
    await page.context().close();

    // lina's plan with the visits field left blank: 未填写, never 0
    const lina = await srv.login('lina');
    await lina.ok('PUT', `/plans/${shanghaiDate()}`, { company_ids: [data.ready.id], goal: '见周总' });
    const p2 = await newPage(PHONE, 'zh');
    await loginAt(p2, srv.base, 'lina');
    await p2.getByTestId('page-today').waitFor();
    await settle(p2);
    const planned = await p2.getByTestId('plan-visits-planned').innerText();
    assert.equal(planned.trim(), '未填写');
    const card = await p2.getByTestId('plan-card').innerText();
    assert.ok(card.includes('杭州云帆科技有限公司'), 'the plan names its company without another request');
    await shot(p2, 'rep15-today-plan-blank-zh');
    await p2.context().close();
  });

  test('no page errors, dialogs or CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});
