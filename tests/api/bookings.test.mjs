// Accompanied-visit bookings 陪访预约: a manager books a visit with one of their
// reps; the rep sees it; logging the accompanied visit completes it; access
// control (reps, other managers, the director, the admin, another organisation)
// and bad input.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, no5xxTest, expectStatus, buildOrg, secondOrg, createCompany, shanghaiDate } from './harness.mjs';

describe('bookings', () => {
  const ctx = useServer({ before, after }, { org: 'Booking Org', admin: 'bk_admin' });
  const w = {};
  const day3 = shanghaiDate(3);
  const day5 = shanghaiDate(5);

  before(async () => {
    const srv = ctx.srv;
    const org = await buildOrg(srv, { prefix: 'bk', repsA: 2, repsB: 1 });
    Object.assign(w, { org, admin: org.admin, director: org.director, mgrA: org.mgrA, mgrB: org.mgrB,
      repA1: org.repsA[0], repA2: org.repsA[1], repB1: org.repsB[0] });
    w.org2 = await secondOrg(srv, 'bk2');
    w.coA1 = await createCompany(w.repA1, { name: '琥珀光电科技有限公司', industry: '电子', industry_rank: 5 });
    w.coA2 = await createCompany(w.repA2, { name: '翡翠物流有限公司', industry: '物流' });
    w.coB1 = await createCompany(w.repB1, { name: '蓝鲸深海装备集团' });
    w.pool = await createCompany(w.admin, { name: '公海无主贸易公司', owner_id: null });
    w.coZ = await createCompany(w.org2, { name: '外星人食品有限公司' });
  });

  const book = (by, fields) => by.post('/api/v1/bookings', fields);
  const valid = () => ({ rep_id: w.repA1.id, company_id: w.coA1.id, at: `${day3}T14:00`, stage: 1, note: '先看我怎么谈' });

  test('a manager books a 陪访 for a rep in a local time; stored UTC, shown in the org zone', async () => {
    const b = expectStatus(await book(w.mgrA, valid()), 201, 'book');
    assert.equal(b.rep_id, w.repA1.id);
    assert.equal(b.manager_id, w.mgrA.id);
    assert.equal(b.company_id, w.coA1.id);
    assert.equal(b.company_name, '琥珀光电科技有限公司');
    assert.equal(b.at, `${day3}T14:00:00+08:00`);
    assert.equal(b.day, day3);
    assert.equal(b.stage, 1);
    assert.equal(b.stage_name, '我做你看');
    assert.equal(b.note, '先看我怎么谈');
    assert.equal(b.status, 'scheduled');
    assert.equal(b.visit_id, null);
    assert.equal(b.version, 1);
    assert.equal(typeof b.rep_name, 'string');
    w.b1 = b;
    // an offset time is taken as is: 06:00Z is 14:00 in Shanghai
    const b2 = expectStatus(await book(w.mgrA, { ...valid(), at: `${day5}T02:30:00Z`, stage: 3, note: '' }), 201);
    assert.equal(b2.at, `${day5}T10:30:00+08:00`);
    assert.equal(b2.day, day5);
    w.b2 = b2;
    // English stage names with Accept-Language: en
    const en = expectStatus(await w.mgrA.get(`/api/v1/bookings/${b.id}`, { headers: { 'accept-language': 'en' } }), 200);
    assert.equal(en.stage_name, 'I do, you watch');
    // audit row in the same transaction
    const audit = expectStatus(await w.mgrA.get(`/api/v1/audit?entity=booking&entity_id=${b.id}`), 200);
    assert.ok(audit.items.some((e) => e.action === 'create' && e.entity === 'booking'), JSON.stringify(audit.items));
  });

  test('a pool company may be booked; the director and the admin may book too', async () => {
    const p = expectStatus(await book(w.mgrA, { ...valid(), company_id: w.pool.id, stage: 2 }), 201, 'pool company');
    assert.equal(p.company_name, '公海无主贸易公司');
    const d = expectStatus(await book(w.director, { ...valid(), rep_id: w.repB1.id, company_id: w.coB1.id, stage: 4 }), 201, 'director');
    assert.equal(d.manager_id, w.director.id);
    w.bDir = d;
    expectStatus(await book(w.admin, { ...valid(), rep_id: w.repA2.id, company_id: w.coA2.id }), 201, 'admin');
  });

  test('the rep sees their own bookings (upcoming first); teammates and other teams do not', async () => {
    const mine = expectStatus(await w.repA1.get(`/api/v1/bookings?from=${shanghaiDate(0)}&status=scheduled`), 200);
    const ids = mine.items.map((b) => b.id);
    assert.ok(ids.includes(w.b1.id) && ids.includes(w.b2.id), JSON.stringify(ids));
    assert.ok(mine.items.every((b) => b.rep_id === w.repA1.id));
    const ats = mine.items.map((b) => Date.parse(b.at));
    assert.deepEqual(ats, [...ats].sort((a, b) => a - b), 'soonest first');
    expectStatus(await w.repA1.get(`/api/v1/bookings/${w.b1.id}`), 200);
    const a2 = expectStatus(await w.repA2.get('/api/v1/bookings'), 200);
    assert.ok(a2.items.every((b) => b.rep_id === w.repA2.id), 'teammate sees only their own');
    expectStatus(await w.repA2.get(`/api/v1/bookings/${w.b1.id}`), 404, 'teammate by id');
    expectStatus(await w.repB1.get(`/api/v1/bookings/${w.b1.id}`), 404, 'other team rep by id');
    expectStatus(await w.repA1.get(`/api/v1/bookings?rep_id=${w.repA2.id}`), 404, 'rep asks for a teammate');
  });

  test('managers see their team; other managers and other organisations get 404', async () => {
    const a = expectStatus(await w.mgrA.get('/api/v1/bookings'), 200);
    assert.ok(a.items.some((b) => b.id === w.b1.id));
    assert.ok(!a.items.some((b) => b.rep_id === w.repB1.id), 'manager A does not see team B');
    const b = expectStatus(await w.mgrB.get('/api/v1/bookings'), 200);
    assert.ok(!b.items.some((x) => x.id === w.b1.id), 'manager B does not see team A');
    assert.ok(b.items.some((x) => x.id === w.bDir.id), 'manager B sees the director\'s booking with their rep');
    expectStatus(await w.mgrB.get(`/api/v1/bookings/${w.b1.id}`), 404);
    expectStatus(await w.mgrB.patch(`/api/v1/bookings/${w.b1.id}`, { note: '篡改' }), 404);
    expectStatus(await w.mgrB.del(`/api/v1/bookings/${w.b1.id}`), 404);
    expectStatus(await w.mgrB.get(`/api/v1/bookings?rep_id=${w.repA1.id}`), 404);
    const d = expectStatus(await w.director.get(`/api/v1/bookings?rep_id=${w.repA1.id}`), 200);
    assert.ok(d.items.some((x) => x.id === w.b1.id), 'the director sees team A');
    const ad = expectStatus(await w.admin.get('/api/v1/bookings?limit=200'), 200);
    assert.ok(ad.items.some((x) => x.id === w.b1.id));
    for (const [m, fn] of [
      ['GET', (c) => c.get(`/api/v1/bookings/${w.b1.id}`)],
      ['PATCH', (c) => c.patch(`/api/v1/bookings/${w.b1.id}`, { note: 'x' })],
      ['DELETE', (c) => c.del(`/api/v1/bookings/${w.b1.id}`)],
    ])
      expectStatus(await fn(w.org2), 404, `other org ${m}`);
    const z = expectStatus(await w.org2.get('/api/v1/bookings?status=all'), 200);
    assert.equal(z.items.length, 0);
    const after = expectStatus(await w.mgrA.get(`/api/v1/bookings/${w.b1.id}`), 200);
    assert.equal(after.note, w.b1.note);
    assert.equal(after.version, 1);
  });

  test('bad input is a clear 400 (or 403 for a rep), never a booking', async () => {
    const cases = [
      ['unknown field', { ...valid(), color: 'red' }, 'unknown_field'],
      ['id may not be set', { ...valid(), id: 5 }, 'forbidden_field'],
      ['stage 0', { ...valid(), stage: 0 }, 'invalid_field'],
      ['stage 5', { ...valid(), stage: 5 }, 'invalid_field'],
      ['stage as text', { ...valid(), stage: '我做你看' }, 'invalid_field'],
      ['no stage', { rep_id: w.repA1.id, company_id: w.coA1.id, at: `${day3}T09:00` }, 'invalid_field'],
      ['no at', { rep_id: w.repA1.id, company_id: w.coA1.id, stage: 1 }, 'invalid_field'],
      ['past time', { ...valid(), at: `${shanghaiDate(-1)}T10:00` }, 'invalid_field'],
      ['past offset time', { ...valid(), at: new Date(Date.now() - 3600e3).toISOString() }, 'invalid_field'],
      ['two years ahead', { ...valid(), at: `${shanghaiDate(800)}T10:00` }, 'invalid_field'],
      ['malformed time', { ...valid(), at: 'next tuesday' }, 'invalid_field'],
      ['25 o\'clock', { ...valid(), at: `${day3}T25:00` }, 'invalid_field'],
      ['rep of another team', { ...valid(), rep_id: w.repB1.id, company_id: w.coB1.id }, 'invalid_field'],
      ['a manager is not a rep', { ...valid(), rep_id: w.mgrA.id }, 'invalid_field'],
      ['no such rep', { ...valid(), rep_id: 999999 }, 'invalid_field'],
      ['the other org\'s admin', { ...valid(), rep_id: w.org2.id }, 'invalid_field'],
      ["a teammate's company", { ...valid(), company_id: w.coA2.id }, 'invalid_field'],
      ["another org's company", { ...valid(), company_id: w.coZ.id }, 'invalid_field'],
      ['no such company', { ...valid(), company_id: 999999 }, 'invalid_field'],
      ['note too long', { ...valid(), note: '长'.repeat(1001) }, 'invalid_field'],
      ['rep_id as text', { ...valid(), rep_id: String(w.repA1.id) }, 'invalid_field'],
    ];
    const before = expectStatus(await w.admin.get('/api/v1/bookings?status=all&limit=200'), 200).items.length;
    for (const [what, body, code] of cases) {
      const r = await book(w.mgrA, body);
      expectStatus(r, 400, what);
      assert.equal(r.body.error.code, code, what);
    }
    const raw = await w.mgrA.post('/api/v1/bookings', undefined, { raw: '{"rep_id":' });
    expectStatus(raw, 400, 'broken JSON');
    const arr = await w.mgrA.post('/api/v1/bookings', undefined, { raw: '[1,2]' });
    expectStatus(arr, 400, 'array body');
    const rep = await book(w.repA1, valid());
    expectStatus(rep, 403, 'a rep books');
    const mgrB = await book(w.mgrB, valid());
    expectStatus(mgrB, 400, 'manager B books for rep A1');
    const after = expectStatus(await w.admin.get('/api/v1/bookings?status=all&limit=200'), 200).items.length;
    assert.equal(after, before, 'nothing was booked');
    // list queries
    expectStatus(await w.mgrA.get('/api/v1/bookings?colour=red'), 400, 'unknown query parameter');
    expectStatus(await w.mgrA.get('/api/v1/bookings?status=maybe'), 400, 'bad status');
    expectStatus(await w.mgrA.get('/api/v1/bookings?from=2026-13-01'), 400, 'bad date');
    expectStatus(await w.mgrA.get(`/api/v1/bookings?from=${day5}&to=${day3}`), 400, 'to before from');
    expectStatus(await w.mgrA.get('/api/v1/bookings?limit=0'), 400, 'limit 0');
    expectStatus(await w.mgrA.get('/api/v1/bookings?cursor=garbage!'), 400, 'bad cursor');
    expectStatus(await w.mgrA.get('/api/v1/bookings/abc'), 404, 'non-numeric id');
  });

  test('the manager reschedules and changes a booking; stale versions and reps are refused', async () => {
    const r = expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b2.id}`, { at: `${day5}T16:00`, stage: 4, note: '你说我听', version: 1 }), 200);
    assert.equal(r.at, `${day5}T16:00:00+08:00`);
    assert.equal(r.stage, 4);
    assert.equal(r.note, '你说我听');
    assert.equal(r.version, 2);
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b2.id}`, { note: 'late', version: 1 }), 409, 'stale version');
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b2.id}`, { at: `${shanghaiDate(-2)}T10:00` }), 400, 'into the past');
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b2.id}`, { stage: 9 }), 400, 'stage 9');
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b2.id}`, { status: 'maybe' }), 400, 'bad status');
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b2.id}`, { visit_id: 1 }), 400, 'visit_id without done');
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b2.id}`, { rep_id: w.repA2.id }), 400, 'rep_id cannot change');
    expectStatus(await w.repA1.patch(`/api/v1/bookings/${w.b2.id}`, { note: 'mine' }), 403, 'the rep');
    expectStatus(await w.repA1.del(`/api/v1/bookings/${w.b2.id}`), 403, 'the rep cancels');
    const audit = expectStatus(await w.mgrA.get(`/api/v1/audit?entity=booking&entity_id=${w.b2.id}`), 200);
    assert.ok(audit.items.some((e) => e.action === 'reschedule'), JSON.stringify(audit.items.map((e) => e.action)));
    const now = expectStatus(await w.repA1.get(`/api/v1/bookings/${w.b2.id}`), 200);
    assert.equal(now.version, 2);
  });

  test('logging the accompanied visit marks the booking done and links it; deleting the visit reopens it', async () => {
    // a plain visit, and an accompanied visit with another companion, do not complete it
    expectStatus(await w.repA1.post('/api/v1/visits', { company_id: w.coA1.id, kind: 'visit' }), 201);
    expectStatus(await w.repA1.post('/api/v1/visits', { company_id: w.coA1.id, kind: 'accompanied', companion_id: w.director.id, coaching_stage: 1 }), 201);
    let b = expectStatus(await w.repA1.get(`/api/v1/bookings/${w.b1.id}`), 200);
    assert.equal(b.status, 'scheduled');
    const v = expectStatus(await w.repA1.post('/api/v1/visits', {
      company_id: w.coA1.id, kind: 'accompanied', companion_id: w.mgrA.id, coaching_stage: 1, need: true,
    }), 201);
    b = expectStatus(await w.repA1.get(`/api/v1/bookings/${w.b1.id}`), 200);
    assert.equal(b.status, 'done');
    assert.equal(b.visit_id, v.id);
    assert.ok(b.done_at);
    // the other booking at the same company (b2, later) is still scheduled: one visit completes one booking
    const b2 = expectStatus(await w.repA1.get(`/api/v1/bookings/${w.b2.id}`), 200);
    assert.equal(b2.status, 'scheduled');
    const audit = expectStatus(await w.admin.get(`/api/v1/audit?entity=booking&entity_id=${w.b1.id}`), 200);
    assert.ok(audit.items.some((e) => e.action === 'complete' && e.user_id === w.repA1.id));
    // a done booking can neither change nor be cancelled
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b1.id}`, { note: 'x' }), 409, 'change a done booking');
    expectStatus(await w.mgrA.del(`/api/v1/bookings/${w.b1.id}`), 409, 'cancel a done booking');
    // the visit was a mistake: deleting it reopens the booking
    expectStatus(await w.repA1.del(`/api/v1/visits/${v.id}`), 204);
    b = expectStatus(await w.repA1.get(`/api/v1/bookings/${w.b1.id}`), 200);
    assert.equal(b.status, 'scheduled');
    assert.equal(b.visit_id, null);
  });

  test('the manager marks a booking done (linking a visit) and cancels another', async () => {
    const v = expectStatus(await w.repA1.post('/api/v1/visits', {
      company_id: w.coA1.id, kind: 'accompanied', companion_id: w.director.id, coaching_stage: 2,
    }), 201);
    // that visit does not match (companion is the director), so link it by hand
    const other = expectStatus(await w.repA2.post('/api/v1/visits', { company_id: w.coA2.id, kind: 'call' }), 201);
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b1.id}`, { status: 'done', visit_id: other.id }), 400, 'visit of another rep');
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b1.id}`, { status: 'done', visit_id: 99999999 }), 400, 'no such visit');
    const d = expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b1.id}`, { status: 'done', visit_id: v.id }), 200);
    assert.equal(d.status, 'done');
    assert.equal(d.visit_id, v.id);
    // cancel b2: DELETE answers 204, the booking stays in the history
    expectStatus(await w.mgrA.del(`/api/v1/bookings/${w.b2.id}`), 204);
    expectStatus(await w.mgrA.del(`/api/v1/bookings/${w.b2.id}`), 204, 'twice is fine');
    const list = expectStatus(await w.repA1.get('/api/v1/bookings'), 200);
    assert.ok(!list.items.some((x) => x.id === w.b2.id), 'cancelled bookings are left out by default');
    const cancelled = expectStatus(await w.repA1.get('/api/v1/bookings?status=cancelled'), 200);
    assert.ok(cancelled.items.some((x) => x.id === w.b2.id && x.status === 'cancelled'));
    expectStatus(await w.mgrA.patch(`/api/v1/bookings/${w.b2.id}`, { at: `${day5}T11:00` }), 409, 'reschedule a cancelled booking');
  });

  test('lists are paged by limit and cursor, filtered by day', async () => {
    for (let i = 0; i < 3; i++)
      expectStatus(await book(w.mgrA, { ...valid(), rep_id: w.repA2.id, company_id: w.coA2.id, at: `${shanghaiDate(7 + i)}T09:00` }), 201);
    const seen = [];
    let cursor = null;
    for (let page = 0; page < 10; page++) {
      const q = `/api/v1/bookings?rep_id=${w.repA2.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const r = expectStatus(await w.mgrA.get(q), 200);
      seen.push(...r.items.map((b) => b.id));
      cursor = r.next_cursor;
      if (!cursor) break;
    }
    const all = expectStatus(await w.mgrA.get(`/api/v1/bookings?rep_id=${w.repA2.id}&limit=200`), 200).items.map((b) => b.id);
    assert.deepEqual(seen, all);
    assert.ok(all.length >= 4);
    const one = expectStatus(await w.mgrA.get(`/api/v1/bookings?rep_id=${w.repA2.id}&from=${shanghaiDate(8)}&to=${shanghaiDate(8)}`), 200);
    assert.equal(one.items.length, 1);
    assert.equal(one.items[0].day, shanghaiDate(8));
  });

  no5xxTest(test, ctx);
});
