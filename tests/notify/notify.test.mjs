// Notifications end to end (SPEC §7, issue 14), with the real binary over HTTP
// and a loopback receiver standing in for DingTalk, WeCom and a webhook
// (receiver.mjs). SQLite by default; PostgreSQL with TIEJUN_TEST_PG.
//   - every event: bookings (made, changed, cancelled: rep and manager), comments and
//     likes on a share, nudges, the scheduled reminders (plan/share missing with the
//     manager's digest, once a day even when run again by another process);
//   - quiet days: a weekend (working_days) and a holiday send nothing;
//   - the robots' payloads and the DingTalk signature, the webhook's HMAC;
//   - the rate limit (20 a minute per robot), retries (500, 429, a stalled receiver),
//     dead letters and their retry, kill -9 of `tiejun serve` with pending deliveries;
//   - access: a rep sees only their own notifications; only admins manage channels
//     and deliveries; the channel secret never appears in any answer or log.
// The scheduler is driven by `tiejun jobs remind --at INSTANT` (the same code
// `tiejun serve` runs every 30 s with the clock's instant).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import {
  freshDbUrl, tiejunInit, buildOrg, createCompany, shanghaiDate, expectStatus, isoWeekday, addDays,
} from '../api/harness.mjs';
import { emptyServer, serveDb, stopServer, kill9, runTiejun, sleep } from '../security/lib.mjs';
import { Receiver } from './receiver.mjs';

const SECRET_DT = 'SECdingtalk_' + Math.random().toString(36).slice(2, 12);
const SECRET_HOOK = 'SEChook_' + Math.random().toString(36).slice(2, 12);
const TOKEN_A = 'tokA' + Math.random().toString(36).slice(2, 14);
const TOKEN_B = 'tokB' + Math.random().toString(36).slice(2, 14);
const KEY_A = 'keyA' + Math.random().toString(36).slice(2, 14);
const SECRETS = [SECRET_DT, SECRET_HOOK, TOKEN_A, TOKEN_B, KEY_A];

async function waitFor(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

describe('notifications', () => {
  const rx = new Receiver();
  let srv, w, args, texts = [];
  const today = shanghaiDate(0);
  // The reminder tests run for a day a week ago: serve's own scheduler (the real
  // clock) only ever sends today's, so it cannot race the instants given here.
  const RDAY = addDays(today, -7);
  const at = (day, hhmm) => `${day}T${hhmm}:00+08:00`;
  const notes = async (c, q = '') => expectStatus(await c.get(`/api/v1/notifications${q}`), 200);
  const deliveries = async (q = '') => expectStatus(await w.admin.get(`/api/v1/deliveries?limit=200${q}`), 200).items;
  const remind = (instant) => JSON.parse(runTiejun(['jobs', 'remind', '--db', srv.dbUrl, '--at', instant]));
  const settings = async (patch) => {
    const s = expectStatus(await w.admin.get('/api/v1/settings'), 200);
    expectStatus(await w.admin.patch('/api/v1/settings', { ...patch, version: s.version }), 200);
  };

  let stdoutLog = '';
  const captureStdout = () => srv.child.stdout.on('data', (d) => (stdoutLog += d.toString()));

  before(async () => {
    await rx.start();
    srv = emptyServer();
    srv.dbUrl = freshDbUrl(srv.dir);
    tiejunInit(srv.dbUrl, srv.dir, 'Notify 铁军', 'nadmin');
    srv.adminName = 'nadmin';
    args = ['--public-url', 'https://tiejun.example.cn', '--secret-key-file', `${srv.dir}/secret.key`,
      '--delivery-backoff-ms', '300', '--delivery-give-up', '6', '--delivery-timeout-ms', '1000'];
    await serveDb(srv, srv.dbUrl, { args });
    captureStdout();
    const orig = srv.fetch.bind(srv);
    srv.fetch = async (...a) => {
      const r = await orig(...a);
      texts.push(`${a[0]} ${a[1]} -> ${r.status} ${r.text}`);
      return r;
    };
    w = await buildOrg(srv, { prefix: 'nt', repsA: 2, repsB: 1 });
    rx.secrets.set(TOKEN_A, SECRET_DT);
    rx.secrets.set('org', SECRET_HOOK);
  });
  after(async () => {
    await stopServer(srv);
    await rx.stop();
  });

  // ---------- channels: admins only, the secret write-only ----------
  test('only admins manage channels and see deliveries; the secret is never returned', async () => {
    const body = { kind: 'dingtalk', url: `${rx.base}/robot/send?access_token=${TOKEN_A}`, secret: SECRET_DT, team_id: w.teams.A.id };
    for (const who of [w.repsA[0], w.mgrA, w.director]) {
      expectStatus(await who.post('/api/v1/channels', body), 403);
      expectStatus(await who.get('/api/v1/channels'), 403);
      expectStatus(await who.get('/api/v1/deliveries'), 403);
      expectStatus(await who.post('/api/v1/deliveries/1/retry', {}), 403);
    }
    const ch = expectStatus(await w.admin.post('/api/v1/channels', body), 201);
    assert.equal(ch.has_secret, true);
    assert.equal(ch.secret, undefined);
    assert.ok(!JSON.stringify(ch).includes(TOKEN_A), 'the access token is masked');
    w.chA = ch;
    w.chWecom = expectStatus(await w.admin.post('/api/v1/channels', {
      kind: 'wecom', url: `${rx.base}/cgi-bin/webhook/send?key=${KEY_A}`, team_id: w.teams.A.id, events: ['booking', 'plan_missing'],
    }), 201);
    w.chHook = expectStatus(await w.admin.post('/api/v1/channels', {
      kind: 'webhook', url: `${rx.base}/hook/org`, secret: SECRET_HOOK, events: ['feed_reaction', 'booking'], team_id: null,
    }), 201);
    w.chB = expectStatus(await w.admin.post('/api/v1/channels', {
      kind: 'dingtalk', url: `${rx.base}/robot/send?access_token=${TOKEN_B}`, team_id: w.teams.B.id, events: ['booking'], name: '二组群',
    }), 201);
    const list = expectStatus(await w.admin.get('/api/v1/channels'), 200);
    assert.equal(list.items.length, 4);
    for (const s of SECRETS) assert.ok(!list.text?.includes(s) && !JSON.stringify(list).includes(s));
    for (const who of [w.mgrA, w.repsA[0]]) expectStatus(await who.patch(`/api/v1/channels/${ch.id}`, { active: false }), 403);
    expectStatus(await w.mgrA.del(`/api/v1/channels/${ch.id}`), 403);
  });

  test('channels: bad input is a 400 with a clear error', async () => {
    const bad = [
      { kind: 'slack', url: 'https://x.example/a' },
      { kind: 'dingtalk' },
      { kind: 'dingtalk', url: 'ftp://x.example/robot/send?access_token=1' },
      { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send' },
      { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' },
      { kind: 'webhook', url: 'https://x.example/hook' },
      { kind: 'webhook', url: 'https://x.example/hook', secret: 's', events: ['nope'] },
      { kind: 'webhook', url: 'https://x.example/hook', secret: 's', events: [] },
      { kind: 'webhook', url: 'https://x.example/hook', secret: 's', team_id: 999999 },
      { kind: 'webhook', url: 'https://x.example/hook', secret: 's', active: 'yes' },
      { kind: 'webhook', url: 'https://x.example/hook', secret: 's', id: 5 },
    ];
    for (const b of bad) expectStatus(await w.admin.post('/api/v1/channels', b), 400, JSON.stringify(b));
    expectStatus(await w.admin.patch('/api/v1/channels/999999', { active: true }), 404);
    expectStatus(await w.admin.patch(`/api/v1/channels/${w.chA.id}`, { version: 99 }), 409);
    expectStatus(await w.admin.get('/api/v1/deliveries?status=lost'), 400);
    expectStatus(await w.admin.get('/api/v1/deliveries?cursor=zzz'), 400);
    expectStatus(await w.admin.get('/api/v1/channels?x=1'), 400);
    expectStatus(await w.repsA[0].get('/api/v1/notifications?limit=0'), 400);
    expectStatus(await w.repsA[0].get('/api/v1/notifications?unread=maybe'), 400);
    expectStatus(await w.repsA[0].post('/api/v1/notifications/read', {}), 400);
    expectStatus(await w.repsA[0].post('/api/v1/notifications/read', { ids: ['a'] }), 400);
    expectStatus(await w.repsA[0].post('/api/v1/notifications/read', { all: false }), 400);
  });

  // ---------- bookings: rep and manager, robots signed ----------
  test('a booking made, changed and cancelled tells the rep and the manager, and the team\'s robots', async () => {
    const [a1, a2] = w.repsA;
    w.coA = await createCompany(a1, { name: '通知测试科技' });
    const tomorrow = addDays(today, 1);
    const b = expectStatus(await w.mgrA.post('/api/v1/bookings', { rep_id: a1.id, company_id: w.coA.id, at: `${tomorrow}T14:00`, stage: 1 }), 201);
    const n1 = await notes(a1);
    const made = n1.items.find((n) => n.kind === 'booking_created');
    assert.ok(made, 'the rep is told');
    assert.match(made.message, /通知测试科技/);
    assert.match(made.message, new RegExp(`${tomorrow} 14:00`));
    assert.equal(made.link, '/today');
    assert.equal(made.read_at, null);
    assert.ok(n1.unread_count >= 1);
    const m = (await notes(w.mgrA)).items.find((n) => n.kind === 'booking_created');
    assert.ok(m, 'the manager is told');
    assert.equal((await notes(a2)).items.filter((n) => n.kind.startsWith('booking')).length, 0, 'a teammate is not');
    const en = expectStatus(await a1.get('/api/v1/notifications', { headers: { 'accept-language': 'en' } }), 200);
    assert.match(en.items.find((n) => n.kind === 'booking_created').message, /will go with you/);
    // the robots of team A and the organisation's webhook (booking is among its events); not team B's
    const dt = await waitFor('DingTalk message', () => rx.of(TOKEN_A).find((x) => x.body?.markdown?.text?.includes('通知测试科技')));
    assert.ok(dt.valid, `DingTalk request: ${dt.why}`);
    assert.match(dt.body.markdown.text, /https:\/\/tiejun\.example\.cn\/today/);
    const wc = await waitFor('WeCom message', () => rx.of(KEY_A).find((x) => x.body?.markdown?.content?.includes('通知测试科技')));
    assert.ok(wc.valid, `WeCom request: ${wc.why}`);
    const hk = await waitFor('webhook', () => rx.of('org').find((x) => x.body?.kind === 'booking_created'));
    assert.ok(hk.valid, `webhook: ${hk.why}`);
    assert.equal(rx.of(TOKEN_B).length, 0, 'team B\'s robot hears nothing of team A');
    // one event, one id in every channel's delivery
    const ds = (await deliveries()).filter((d) => d.kind === 'booking_created');
    assert.equal(ds.length, 3);
    assert.equal(new Set(ds.map((d) => d.event_id)).size, 1);
    assert.equal(hk.body.id, ds[0].event_id);
    // changed, cancelled
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${b.id}`, { at: `${tomorrow}T16:30` }), 200);
    const ch = (await notes(a1)).items.find((n) => n.kind === 'booking_changed');
    assert.ok(ch && /16:30/.test(ch.message));
    expectStatus(await w.mgrA.del(`/api/v1/bookings/${b.id}`), 204);
    assert.ok((await notes(a1)).items.find((n) => n.kind === 'booking_cancelled'));
    assert.ok((await notes(w.mgrA)).items.find((n) => n.kind === 'booking_cancelled'));
    await waitFor('cancel on the robot', () => rx.of(TOKEN_A).find((x) => x.body?.markdown?.title === '陪访取消'));
  });

  // ---------- comments and likes ----------
  test('a comment or a like on your share tells you (not your own; a like once)', async () => {
    const [a1, a2] = w.repsA;
    expectStatus(await a1.put(`/api/v1/reviews/${today}`, { wins: '见到了老板', notes: '晚分享' }), 200);
    const feed = expectStatus(await a1.get('/api/v1/feed'), 200);
    const r = feed.items.find((x) => x.kind === 'review' && x.item.rep_id === a1.id);
    assert.ok(r, 'the share is in the feed');
    w.review = r;
    expectStatus(await a2.post(`/api/v1/feed/review/${r.id}/comments`, { body: '学到了，明天我也试试' }), 201);
    expectStatus(await a1.post(`/api/v1/feed/review/${r.id}/comments`, { body: '自己评论自己' }), 201);
    const mine = (await notes(a1)).items.filter((n) => n.kind === 'feed_comment');
    assert.equal(mine.length, 1);
    assert.match(mine[0].message, /nt_a2.*学到了/);
    for (let i = 0; i < 3; i++) expectStatus(await w.mgrA.post(`/api/v1/feed/review/${r.id}/like`, {}), 200);  // like, unlike, like
    assert.equal((await notes(a1)).items.filter((n) => n.kind === 'feed_like').length, 1);
    const hk = await waitFor('webhook comment', () => rx.of('org').find((x) => x.body?.kind === 'feed_comment'));
    assert.ok(hk.valid, hk.why);
    assert.match(hk.body.text, /学到了/);
  });

  // ---------- nudges ----------
  test('a manager nudges a rep in scope from an alert; others cannot', async () => {
    const a1 = w.repsA[0];
    const r = expectStatus(await w.mgrA.post('/api/v1/alerts/nudge', { rep_id: a1.id, kind: 'find_payer', company_id: w.coA.id }), 200);
    assert.equal(r.sent, true);
    const n = (await notes(a1)).items.find((x) => x.kind === 'nudge');
    assert.ok(n);
    assert.match(n.message, /nt_mgrA.*通知测试科技.*买单人/);
    assert.equal(n.link, `/customers/${w.coA.id}`);
    assert.equal(expectStatus(await w.mgrA.post('/api/v1/alerts/nudge', { rep_id: a1.id, kind: 'find_payer', company_id: w.coA.id }), 200).sent, false, 'once a day');
    expectStatus(await w.mgrB.post('/api/v1/alerts/nudge', { rep_id: a1.id, kind: 'find_payer' }), 404);
    expectStatus(await w.repsA[1].post('/api/v1/alerts/nudge', { rep_id: a1.id, kind: 'find_payer' }), 403);
    expectStatus(await w.mgrA.post('/api/v1/alerts/nudge', { rep_id: a1.id, kind: 'nonsense' }), 400);
    expectStatus(await w.mgrA.post('/api/v1/alerts/nudge', { rep_id: a1.id }), 400);
  });

  // ---------- the bell: own notifications only, read ----------
  test('a rep sees and marks only their own notifications', async () => {
    const [a1, a2] = w.repsA;
    const mine = await notes(a1);
    const theirs = await notes(a2);
    const mineIds = new Set(mine.items.map((n) => n.id));
    for (const n of theirs.items) assert.ok(!mineIds.has(n.id));
    // a2 cannot mark a1's
    expectStatus(await a2.post('/api/v1/notifications/read', { ids: [...mineIds] }), 204);
    assert.equal((await notes(a1)).unread_count, mine.unread_count);
    // paging
    const p1 = await notes(a1, '?limit=2');
    assert.equal(p1.items.length, 2);
    assert.ok(p1.next_cursor);
    const p2 = await notes(a1, `?limit=2&cursor=${encodeURIComponent(p1.next_cursor)}`);
    assert.ok(p2.items.every((n) => n.id < p1.items[1].id));
    // read one, then all
    expectStatus(await a1.post('/api/v1/notifications/read', { ids: [p1.items[0].id] }), 204);
    assert.equal((await notes(a1)).unread_count, mine.unread_count - 1);
    const unread = await notes(a1, '?unread=true');
    assert.ok(unread.items.every((n) => n.read_at === null));
    expectStatus(await a1.post('/api/v1/notifications/read', { all: true }), 204);
    assert.equal((await notes(a1)).unread_count, 0);
  });

  // ---------- the scheduled reminders ----------
  test('at 09:30 on a working day: reps without a plan, the manager\'s digest; once a day, across processes', async () => {
    const [a1, a2] = w.repsA;
    await settings({ working_days: '1234567', holidays: [] });
    expectStatus(await a1.put(`/api/v1/plans/${RDAY}`, { goal: '拜访5家新客户', visits_planned: 5 }), 200);
    const early = remind(at(RDAY, '09:10'));
    assert.deepEqual(early.reminders[0].ran, [], 'nothing before plan_remind_at');
    const r = remind(at(RDAY, '09:31'));
    assert.deepEqual(r.reminders[0].ran, ['notify_morning']);
    const n2 = (await notes(a2)).items.filter((n) => n.kind === 'plan_missing');
    assert.equal(n2.length, 1, 'the rep without a plan is reminded');
    assert.equal((await notes(a1)).items.filter((n) => n.kind === 'plan_missing').length, 0, 'not the rep with one');
    const dg = (await notes(w.mgrA)).items.find((n) => n.kind === 'plan_missing_digest');
    assert.ok(dg && dg.message.includes('nt_a2') && !dg.message.includes('nt_a1'), dg?.message);
    const dt = await waitFor('digest on team A\'s robot', () => rx.of(TOKEN_A).find((x) => x.body?.markdown?.title === '早启动：计划未交'));
    assert.ok(dt.valid, dt.why);
    await waitFor('digest on WeCom', () => rx.of(KEY_A).find((x) => x.body?.markdown?.content?.includes('早启动')));
    // once a day: again, by another process, later in the window
    const again = remind(at(RDAY, '09:45'));
    assert.deepEqual(again.reminders[0].ran, []);
    assert.equal((await notes(a2)).items.filter((n) => n.kind === 'plan_missing').length, 1);
  });

  test('quiet days: a holiday and a weekend send nothing; the evening share reminder on a working day', async () => {
    const [a1, a2] = w.repsA;
    expectStatus(await a1.put(`/api/v1/reviews/${RDAY}`, { wins: '见了三家新客户' }), 200);
    await settings({ holidays: [RDAY] });
    const h = remind(at(RDAY, '19:05'));
    assert.equal(h.reminders[0].working_day, false);
    assert.deepEqual(h.reminders[0].ran, []);
    const wd = String(isoWeekday(RDAY));
    await settings({ holidays: [], working_days: '1234567'.replace(wd, '') });
    const we = remind(at(RDAY, '19:05'));
    assert.equal(we.reminders[0].working_day, false);
    assert.equal((await notes(a2)).items.filter((n) => n.kind === 'review_missing').length, 0);
    await settings({ working_days: '1234567' });
    const ev = remind(at(RDAY, '19:05'));
    assert.deepEqual(ev.reminders[0].ran, ['notify_evening']);
    assert.equal((await notes(a2)).items.filter((n) => n.kind === 'review_missing').length, 1);
    assert.equal((await notes(a1)).items.filter((n) => n.kind === 'review_missing').length, 0, 'a1 shared today');
    const late = remind(at(addDays(RDAY, 1), '23:30'));
    assert.deepEqual(late.reminders[0].ran, [], 'no stale reminder hours after the time');
  });

  // ---------- the rate limit ----------
  test('a DingTalk robot gets at most 20 messages a minute; the rest wait, not counted as attempts', async () => {
    const b1 = w.repsB[0];
    const co = await createCompany(b1, { name: '限流测试公司' });
    for (let i = 0; i < 23; i++) {
      expectStatus(await w.mgrB.post('/api/v1/bookings', { rep_id: b1.id, company_id: co.id, at: `${addDays(today, 2)}T${String(8 + (i % 12)).padStart(2, '0')}:${String(i).padStart(2, '0')}`, stage: 2 }), 201);
    }
    await waitFor('20 on robot B', () => rx.of(TOKEN_B).length >= 20);
    await sleep(2500);
    assert.equal(rx.of(TOKEN_B).length, 20, 'no 21st message within the minute');
    const ds = await deliveries(`&channel_id=${w.chB.id}`);
    assert.equal(ds.filter((d) => d.status === 'sent').length, 20);
    const waiting = ds.filter((d) => d.status === 'pending');
    assert.equal(waiting.length, 3);
    assert.ok(waiting.every((d) => d.attempts === 0));
  });

  // ---------- retries, dead letters ----------
  test('a failing robot is retried with backoff (500, 429, a stalled receiver) until it answers', async () => {
    const a1 = w.repsA[0];
    for (const mode of ['fail', '429', 'stall']) {
      rx.mode(KEY_A, mode);
      const before = rx.of(KEY_A).length;
      expectStatus(await w.mgrA.post('/api/v1/bookings', { rep_id: a1.id, company_id: w.coA.id, at: `${addDays(today, 3)}T10:00`, stage: 3, note: mode }), 201);
      const d = await waitFor(`${mode}: two failed attempts`, async () => {
        const x = (await deliveries(`&channel_id=${w.chWecom.id}&status=pending`)).find((y) => y.attempts >= 2);
        return x;
      });
      assert.ok(d.last_error.length > 0);
      if (mode === 'fail') assert.match(d.last_error, /HTTP 500/);
      if (mode === '429') assert.match(d.last_error, /HTTP 429/);
      if (mode === 'stall') assert.match(d.last_error, /request failed/i);
      for (const s of SECRETS) assert.ok(!d.last_error.includes(s), 'no secret in the error');
      rx.mode(KEY_A, 'ok');
      await waitFor(`${mode}: sent after the receiver recovers`, async () => {
        const x = (await deliveries(`&channel_id=${w.chWecom.id}`)).find((y) => y.id === d.id);
        return x.status === 'sent';
      });
      assert.ok(rx.of(KEY_A).length > before);
    }
  });

  test('a stalled receiver delays no other channel: its queue waits, the others are sent at once', async () => {
    // Team B's bookings: its own robot (chB), the org-wide webhook (chHook) and, for this test, a
    // second org-wide webhook whose receiver never answers (1 s timeout per try).
    const stall = expectStatus(await w.admin.post('/api/v1/channels', {
      kind: 'webhook', url: `${rx.base}/hook/stalled`, secret: SECRET_HOOK, events: ['booking'], team_id: null,
    }), 201);
    rx.secrets.set('stalled', SECRET_HOOK);
    rx.mode('stalled', 'stall');
    const b1 = w.repsB[0];
    const coB = await createCompany(b1, { name: '通知测试二组客户' });
    const hookBefore = rx.of('org').length;
    for (let i = 0; i < 4; i++)
      expectStatus(await w.mgrB.post('/api/v1/bookings', { rep_id: b1.id, company_id: coB.id, at: `${addDays(today, 6)}T1${i}:00`, stage: 1 }), 201);
    const t0 = Date.now();
    // One at a time, each stalled try (1 s) would come before the webhook's copy of the same
    // booking: the fourth would arrive after 4 s. Channels are sent side by side, and the
    // stalled one holds only its own queue.
    await waitFor('the webhook got all four bookings', async () => rx.of('org').length - hookBefore >= 4, 10000);
    const took = Date.now() - t0;
    assert.ok(took < 2500, `the webhook's four messages took ${took} ms behind a stalled receiver`);
    const waiting = await deliveries(`&channel_id=${stall.id}&status=pending`);
    assert.equal(waiting.length, 4, 'the stalled channel keeps its queue');
    assert.ok(waiting.filter((d) => d.attempts > 0).length <= 2, 'its queue waits for its next try instead of timing out row after row');
    rx.mode('stalled', 'ok');
    await waitFor('the stalled channel drains once it answers', async () =>
      (await deliveries(`&channel_id=${stall.id}&status=pending`)).length === 0, 20000);
    const ids = new Set(waiting.map((d) => d.id));
    const sent = (await deliveries(`&channel_id=${stall.id}&status=sent`)).filter((d) => ids.has(d.id));
    assert.equal(sent.length, 4);
    const byId = [...sent].sort((x, y) => x.id - y.id).map((d) => d.sent_at);
    assert.deepEqual(byId, [...byId].sort(), 'sent in the order they were written');
    expectStatus(await w.admin.del(`/api/v1/channels/${stall.id}`), 204);
  });

  test('still failing after the retry window: dead; an admin retries it', async () => {
    const a1 = w.repsA[0];
    rx.mode(KEY_A, 'fail');
    expectStatus(await w.mgrA.post('/api/v1/bookings', { rep_id: a1.id, company_id: w.coA.id, at: `${addDays(today, 4)}T10:00`, stage: 4 }), 201);
    const dead = await waitFor('dead', async () => (await deliveries(`&channel_id=${w.chWecom.id}&status=dead`))[0], 20000);
    assert.ok(dead.attempts >= 2);
    rx.mode(KEY_A, 'ok');
    expectStatus(await w.repsA[0].post(`/api/v1/deliveries/${dead.id}/retry`, {}), 403);
    const r = expectStatus(await w.admin.post(`/api/v1/deliveries/${dead.id}/retry`, {}), 200);
    assert.equal(r.status, 'pending');
    await waitFor('sent after retry', async () => (await deliveries(`&channel_id=${w.chWecom.id}`)).find((y) => y.id === dead.id).status === 'sent');
    expectStatus(await w.admin.post(`/api/v1/deliveries/${dead.id}/retry`, {}), 409);
    expectStatus(await w.admin.post('/api/v1/deliveries/999999/retry', {}), 404);
  });

  // ---------- kill -9 ----------
  test('kill -9 of tiejun serve with pending deliveries loses none of them', async () => {
    const a1 = w.repsA[0];
    rx.mode(TOKEN_A, 'fail');
    const made = [];
    for (let i = 0; i < 5; i++) {
      const b = expectStatus(await w.mgrA.post('/api/v1/bookings', { rep_id: a1.id, company_id: w.coA.id, at: `${addDays(today, 5)}T1${i}:00`, stage: 1, note: `k9-${i}` }), 201);
      made.push(b.id);
    }
    const pending = (await deliveries(`&channel_id=${w.chA.id}&status=pending`)).filter((d) => d.kind === 'booking_created');
    assert.ok(pending.length >= 5);
    const ids = pending.map((d) => d.event_id);
    await kill9(srv);
    rx.mode(TOKEN_A, 'ok');
    await serveDb(srv, srv.dbUrl, { args });
    captureStdout();
    await waitFor('every pending event delivered after the restart', async () => {
      const ds = await deliveries(`&channel_id=${w.chA.id}`);
      return ids.every((id) => ds.find((d) => d.event_id === id)?.status === 'sent');
    }, 20000);
    const after = await deliveries(`&channel_id=${w.chA.id}`);
    for (const id of ids) assert.equal(after.find((d) => d.event_id === id).status, 'sent', id);
  });

  test('deleting a channel: its pending deliveries are dead; the secret is in no answer, log or audit entry', async () => {
    rx.mode(TOKEN_B, 'ok');
    expectStatus(await w.admin.del(`/api/v1/channels/${w.chB.id}`), 204);
    expectStatus(await w.admin.del(`/api/v1/channels/${w.chB.id}`), 404);
    const ds = await deliveries(`&channel_id=${w.chB.id}`);
    assert.ok(ds.every((d) => d.status !== 'pending'));
    expectStatus(await w.admin.get('/api/v1/audit?entity=channel'), 200);
    const logs = srv.stderr + stdoutLog;
    for (const s of SECRETS) {
      assert.ok(!logs.includes(s), `log carries ${s}`);
      for (const t of texts) assert.ok(!t.includes(s), `an answer carries a secret: ${t.slice(0, 200)}`);
    }
    assert.ok(existsSync(`${srv.dir}/secret.key`), 'the server key file exists');
    assert.equal(readFileSync(`${srv.dir}/secret.key`, 'utf8').trim().length, 64);
  });

  test('every request of every robot was well formed and signed', () => {
    const bad = rx.received.filter((m) => !m.valid);
    assert.deepEqual(bad.map((m) => `${m.type} ${m.why}`), []);
    assert.ok(rx.received.length > 30);
  });

  test('no response was a 5xx', () => {
    assert.deepEqual(srv.serverErrors, []);
  });
});
