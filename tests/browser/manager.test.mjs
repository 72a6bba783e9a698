// Browser tests of the manager's and director's pages (issue 15; issue 14.4):
//  - Team opens from one answer (GET /views/team): API calls counted, none failing, none repeated;
//  - every Team tab one tap away at 390x844 (each tab button wholly on screen, its pane shown);
//  - targets against results with pace; labelled pairs (实际 / 每日指标), a blank plan never "0";
//  - a director sees team totals and team vs team;
//  - the evening share's "help wanted" becomes a prefilled 陪访 booking in one tap, and both the
//    rep and the manager are notified;
//  - Diagnosis shows 本期 / 上期 and the discovery and conversion insights as charts;
//  - Leaderboard in one call with 我 / 标杆 labels.
// At phone (390x844) and desktop (1440x900), in Chinese and English. Screenshots go to
// test-artifacts/screenshots/mgr-*.png.
//
//   node --test --test-concurrency=1 tests/browser/manager.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Server, seed, shanghaiDate, shanghaiTime, PASSWORD } from './harness.mjs';
import { SHOTS, PHONE, DESKTOP, launchChromium, newPage as newPageIn, login as loginAt, settle, shot, assertNoHorizontalOverflow } from './browser.mjs';

let srv;
let data;
let browser;
const problems = [];
const newPage = (viewport, lang = 'zh') => newPageIn(browser, problems, viewport, lang);

/** Records every API call of a page: method, path with query, status. */
function recordApi(page) {
  const calls = [];
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) calls.push({ key: `${r.request().method()} ${u.pathname}${u.search}`, path: u.pathname, status: r.status() });
  });
  return calls;
}

/** No call failed; none of the page's own was repeated for the same data (the bell polls). */
function assertCleanCalls(calls, what) {
  // The login page's GET /session answers 401 before anyone is logged in: that is how the UI
  // learns to show the form, not a failure of the page under test.
  const bad = calls.filter((c) => c.status >= 400 && !(c.path === '/api/v1/session' && c.status === 401));
  assert.deepEqual(bad, [], `${what}: failing API calls`);
  const seen = new Map();
  for (const c of pageCalls(calls)) seen.set(c.key, (seen.get(c.key) ?? 0) + 1);
  const dup = [...seen].filter(([, n]) => n > 1);
  assert.deepEqual(dup, [], `${what}: repeated API calls`);
}

/** The calls a page made of its own (the shell's session, bell and settings calls are the shell's). */
const SHELL = /^\/api\/v1\/(me|session|notifications|settings|csrf)/;
const pageCalls = (calls) => calls.filter((c) => !SHELL.test(c.path));

function nextWorkingDay(day) {
  let d = new Date(day + 'T00:00:00Z');
  do d = new Date(d.getTime() + 86400000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

describe("the manager's and director's pages", () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    data = await seed(srv);
    const admin = await srv.login('admin');
    // A second team under a region, with its director and a rep: team vs team.
    const root = await admin.ok('POST', '/teams', { name: '华东区' });
    await admin.ok('PATCH', `/teams/${data.team.id}`, { parent_id: root.id });
    const team2 = await admin.ok('POST', '/teams', { name: '华东二组', parent_id: root.id });
    const zhou = await admin.ok('POST', '/users', { username: 'zhou', display_name: '周总监', role: 'director', team_id: root.id, password: PASSWORD, hire_date: '2024-01-08' });
    await admin.ok('PATCH', `/teams/${root.id}`, { manager_id: zhou.id });
    await admin.ok('POST', '/users', { username: 'sun', display_name: '孙悦', role: 'rep', team_id: team2.id, password: PASSWORD, hire_date: '2025-03-03' });
    const sun = await srv.login('sun');
    const c = await sun.ok('POST', '/companies', { name: '嘉兴南湖纺织有限公司', industry: '制造', source: 'ad' });
    await sun.ok('POST', '/visits', { company_id: c.id, kind: 'visit', duration_min: 30, need: true, at: shanghaiTime(0, 9, 0), concerns: '价格太高', interest_reason: '想提升效率' });
    // discovery texts for the insights
    const lina = await srv.login('lina');
    for (const [i, f] of [{ concerns: '价格太高', interest_reason: '想提升效率' }, { concerns: '实施周期长', attraction: '自动化报表' }].entries())
      await lina.ok('POST', '/visits', { company_id: data.others[i + 1].id, kind: 'visit', duration_min: 30, at: shanghaiTime(1, 11 + i), ...f });
    // a monthly target for the team; lina's plan leaves the number of visits blank
    const wang = await srv.login('wang');
    await wang.ok('PUT', '/targets', { scope: 'team', scope_id: data.team.id, metric: 'effective_new', period: 'month', value: 30, reason: '月度目标' });
    await lina.ok('PUT', `/plans/${shanghaiDate()}`, { company_ids: [data.ready.id], goal: '约见云帆老板' });
    // lina is in coaching (below quota on the working days before): her manager came along today
    await lina.ok('POST', '/visits', { company_id: data.others[0].id, kind: 'accompanied', companion_id: data.wang.id, coaching_stage: 1, duration_min: 30, at: shanghaiTime(0, 10, 0) });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  for (const [viewport, lang] of [[PHONE, 'zh'], [DESKTOP, 'en'], [PHONE, 'en'], [DESKTOP, 'zh']]) {
    const size = `${viewport.width}x${viewport.height}`;
    test(`Team opens from one answer; every tab one tap away; targets with pace; labelled figures (${size}, ${lang})`, async () => {
      const page = await newPage(viewport, lang);
      const calls = recordApi(page);
      await loginAt(page, srv.base, 'wang');
      await page.getByTestId('page-team').waitFor();
      await page.getByTestId('kickoff-board').getByText('赵强').waitFor();
      await settle(page);
      const mine = pageCalls(calls);
      // the first screen: GET /views/team once, and nothing of the old fan-out
      assert.equal(mine.filter((c) => c.path === '/api/v1/views/team').length, 1, JSON.stringify(mine));
      assert.deepEqual(mine.filter((c) => /\/(metrics\/reps|rhythm|plans|reviews)\b/.test(c.path)), [], 'no per-rep or per-day calls');
      assert.ok(mine.length <= 2, `the Team page's own calls: ${mine.map((c) => c.key).join(', ')}`);
      assertCleanCalls(calls, `Team (${size}, ${lang})`);
      // labelled figures: "实际 n · 每日指标 q"; lina's blank planned visits are not "0"
      const zh = lang === 'zh';
      const lina = page.getByTestId('rep-card').filter({ hasText: '李娜' });
      await lina.getByText(zh ? '每日指标' : 'daily quota', { exact: false }).first().waitFor();
      assert.match(await lina.getByTestId('rep-planned').textContent(), zh ? /计划拜访次数未填/ : /Planned visits not given/);
      const zhao = page.getByTestId('rep-card').filter({ hasText: '赵强' });
      assert.match(await zhao.getByTestId('rep-planned').textContent(), zh ? /计划拜访 5 次/ : /visits planned: 5/);
      // targets against results with pace
      const tgt = page.getByTestId('team-targets').getByTestId('target-row').first();
      await tgt.waitFor();
      assert.match(await tgt.textContent(), zh ? /本月.*有效新客户.*(落后于进度|进度正常).*应达进度/s : /This month.*Effective new.*(Behind pace|On pace).*pace/s);
      if (viewport === PHONE) await assertNoHorizontalOverflow(page, `Team (${lang})`);
      await shot(page, `mgr-team-kickoff-${lang}`);

      // every tab: one tap, wholly on screen, its pane shown
      const panes = { kickoff: 'kickoff-board', shares: 'shares', split: null, alerts: 'team-alerts', coaching: 'coaching', bookings: 'team-bookings' };
      for (const [key, pane] of Object.entries(panes)) {
        const tab = page.getByTestId(`team-tab-${key}`);
        const box = await tab.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width + 0.5 && box.width > 20, `tab ${key} wholly visible: ${JSON.stringify(box)}`);
        await tab.click();
        if (pane) await page.getByTestId(pane).first().waitFor();
        else await page.getByTestId('chart-split').or(page.locator('.tj-empty')).first().waitFor();
        if (key === 'coaching') {
          // each rep in coaching shows the API's accompanied_count (the page asks for visits=none)
          const r = await page.request.get(`${srv.base}/api/v1/coaching?visits=none&limit=500`);
          assert.equal(r.status(), 200);
          const coached = (await r.json()).items.filter((x) => x.in_coaching);
          assert.ok(coached.some((x) => x.accompanied_count > 0), `a coached rep with accompanied visits: ${JSON.stringify(coached)}`);
          const pane = page.getByTestId('coaching');
          await pane.locator('.tj-skeleton').waitFor({ state: 'detached' });
          for (const x of coached) {
            const n = String(x.accompanied_count);
            await pane.getByText(lang === 'zh' ? `陪访 ${n} 次` : `${n} accompanied visits`, { exact: false }).first().waitFor();
          }
        }
        if (viewport === PHONE) assert.equal(await tab.getAttribute('aria-selected'), 'true', `tab ${key} selected`);
      }
      await settle(page);
      if (viewport === PHONE) await shot(page, `mgr-team-bookings-tab-${lang}`);
      assertCleanCalls(calls, `Team tabs (${size}, ${lang})`);
      await page.context().close();
    });
  }

  for (const [viewport, lang] of [[PHONE, 'zh'], [DESKTOP, 'en']]) {
    const size = `${viewport.width}x${viewport.height}`;
    test(`a director sees team totals and team vs team (${size}, ${lang})`, async () => {
      const page = await newPage(viewport, lang);
      const calls = recordApi(page);
      await loginAt(page, srv.base, 'zhou');
      await page.getByTestId('page-team').waitFor();
      const totals = page.getByTestId('team-totals');
      await totals.waitFor();
      await totals.getByText('华东一组').first().waitFor();
      await totals.getByText('华东二组').first().waitFor();
      await page.getByTestId('chart-teams').waitFor();
      await settle(page);
      // reps are grouped under their team, not 24 flat cards
      await page.getByTestId('kickoff-board').getByText(lang === 'zh' ? '华东二组（1 人）' : '华东二组 · reps: 1').waitFor();
      assert.ok(pageCalls(calls).length <= 2, pageCalls(calls).map((c) => c.key).join(', '));
      assertCleanCalls(calls, `director Team (${size}, ${lang})`);
      if (viewport === PHONE) await assertNoHorizontalOverflow(page, 'director Team');
      await shot(page, `mgr-director-team-${lang}`);
      await page.context().close();
    });
  }

  for (const [viewport, lang] of [[PHONE, 'zh'], [DESKTOP, 'en']]) {
    const size = `${viewport.width}x${viewport.height}`;
    test(`help wanted → a prefilled 陪访 booking in one tap, both sides notified (${size}, ${lang})`, async () => {
      const page = await newPage(viewport, lang);
      const calls = recordApi(page);
      await loginAt(page, srv.base, 'wang');
      await page.getByTestId('page-team').waitFor();
      await page.getByTestId('team-tab-shares').click();
      const share = page.getByTestId('share-card').filter({ hasText: '赵强' });
      await share.getByText('希望王主管明天陪访恒远化工').waitFor();
      await settle(page);
      // the one tap
      await share.getByTestId('help-book').click();
      const form = page.getByTestId('booking-form');
      await form.waitFor();
      // prefilled: the rep, the company the text names, the next working day at 10:00, the note
      const select = (id) => page.locator('.ant-select').filter({ has: page.getByTestId(id) }).or(page.getByTestId(id)).first();
      await select('booking-rep').getByText('赵强').waitFor();
      await select('booking-company').getByText('常州恒远化工有限公司').waitFor();
      const day = nextWorkingDay(shanghaiDate());
      assert.equal(await page.getByTestId('booking-date').inputValue(), day);
      assert.equal(await page.getByTestId('booking-time').inputValue(), '10:00');
      assert.match(await page.getByTestId('booking-note').inputValue(), /希望王主管明天陪访恒远化工/);
      await page.waitForTimeout(300);
      await shot(page, `mgr-help-booking-form-${lang}`, false);
      await page.getByTestId('booking-submit').click();
      await share.getByTestId('help-booked').waitFor();
      await settle(page);
      await shot(page, `mgr-help-booked-${lang}`);
      assertCleanCalls(calls.filter((c) => !c.key.startsWith('GET /api/v1/companies?')), `help booking (${size}, ${lang})`);
      // the booking as proposed, and the notification on both sides
      const wang = await srv.login('wang');
      const list = await wang.ok('GET', `/bookings?rep_id=${data.zhaoq.id}&status=scheduled&limit=50`);
      const b = list.items.find((x) => x.company_id === data.sink.id && x.day === day);
      assert.ok(b, `a booking for 赵强 at 恒远化工 on ${day}: ${JSON.stringify(list.items)}`);
      const z = await srv.login('zhaoq');
      const zn = await z.ok('GET', '/notifications');
      assert.ok(zn.items.some((n) => n.kind === 'booking_created'), 'the rep is told');
      const wn = await wang.ok('GET', '/notifications');
      assert.ok(wn.items.some((n) => n.kind === 'booking_created'), 'the manager is told');
      await page.context().close();
    });
  }

  for (const [viewport, lang] of [[PHONE, 'zh'], [DESKTOP, 'en']]) {
    const size = `${viewport.width}x${viewport.height}`;
    test(`Diagnosis: 本期 / 上期 labels, discovery and conversion charts (${size}, ${lang})`, async () => {
      const page = await newPage(viewport, lang);
      const calls = recordApi(page);
      await loginAt(page, srv.base, 'wang', { at: '/diagnosis' });
      await page.getByTestId('diag-source').waitFor();
      await settle(page);
      const kpis = await page.getByTestId('diag-source-kpis').textContent();
      assert.match(kpis, lang === 'zh' ? /本期.*上期/s : /This period.*Previous/s);
      assert.ok(pageCalls(calls).length <= 2, pageCalls(calls).map((c) => c.key).join(', '));
      await shot(page, `mgr-diagnosis-${lang}`);
      await page.getByTestId('diag-pane').getByText(lang === 'zh' ? '客户洞察' : 'Customer insights').click();
      await page.getByTestId('chart-ins-concerns').waitFor();
      await page.getByTestId('chart-ins-interest').waitFor();
      await page.getByTestId('ins-source').waitFor();
      await page.getByTestId('ins-rep').waitFor();
      await settle(page);
      assert.match(await page.getByTestId('ins-total').textContent(), lang === 'zh' ? /有效 \d+ · 签单 \d+ · 转化率/ : /effective \d+ · signed \d+ · conversion/);
      assertCleanCalls(calls, `Diagnosis (${size}, ${lang})`);
      if (viewport === PHONE) await assertNoHorizontalOverflow(page, 'Diagnosis insights');
      await shot(page, `mgr-insights-${lang}`);
      await page.context().close();
    });

    test(`Leaderboard in one call, figures labelled against the benchmark (${size}, ${lang})`, async () => {
      const page = await newPage(viewport, lang);
      const calls = recordApi(page);
      await loginAt(page, srv.base, 'wang', { at: '/leaderboard' });
      await page.getByTestId('chart-leaderboard').waitFor();
      await settle(page);
      const mine = pageCalls(calls);
      assert.equal(mine.length, 1, mine.map((c) => c.key).join(', '));
      assertCleanCalls(calls, `Leaderboard (${size}, ${lang})`);
      if (viewport === DESKTOP) {
        // a non-benchmark rep's figure carries the benchmark's, named
        const cell = page.locator('[data-testid^="lb-fig-"]').filter({ hasText: lang === 'zh' ? '标杆' : 'benchmark' }).first();
        await cell.waitFor();
      }
      await shot(page, `mgr-leaderboard-${lang}`);
      await page.context().close();
    });
  }

  test('no page error, dialog or CSP violation', () => {
    assert.deepEqual(problems, []);
  });
});
