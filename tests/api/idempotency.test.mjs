// Idempotency-Key on the creates (issue 15 part 5): a replay within a day answers the first
// answer (same status and body, Idempotent-Replayed: true) without doing the work again; the
// key with another request is 422; concurrent replays make one record; a key is the caller's
// own (another user's request with the same key is that user's own request); refused requests
// do not use a key up; routes whose answer holds a secret ignore the header; `jobs run` forgets
// keys older than a day. Runs on SQLite and, with TIEJUN_TEST_PG, on PostgreSQL.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { useServer, no5xxTest, expectStatus, buildOrg, createCompany, shanghaiDate, unique, binPath } from './harness.mjs';


const K = () => ({ headers: { 'idempotency-key': randomUUID() } });
const withKey = (key) => ({ headers: { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  const ctx = useServer({ before, after });
  const w = {};

  before(async () => {
    const o = await buildOrg(ctx.srv, { prefix: unique('idem'), repsA: 2, repsB: 0 });
    Object.assign(w, o);
    w.a1 = o.repsA[0];
    w.a2 = o.repsA[1];
    w.coA1 = await createCompany(w.a1, { name: `${o.prefix} 甲方科技有限公司` });
    w.coA2 = await createCompany(w.a2, { name: `${o.prefix} 乙方制造有限公司` });
  });

  const visits = async (by, companyId) => expectStatus(await by.get(`/api/v1/companies/${companyId}/visits`), 200).items;

  test('a replay answers the first answer and makes one visit', async () => {
    const key = randomUUID();
    const body = { company_id: w.coA1.id, need: true, notes: 'first visit' };
    const r1 = await w.a1.post('/api/v1/visits', body, withKey(key));
    expectStatus(r1, 201, 'first');
    assert.equal(r1.headers.get('idempotent-replayed'), null, 'the first answer is no replay');
    const r2 = await w.a1.post('/api/v1/visits', body, withKey(key));
    expectStatus(r2, 201, 'replay');
    assert.equal(r2.headers.get('idempotent-replayed'), 'true');
    assert.equal(r2.text, r1.text, 'the same body, byte for byte');
    // key order of the body does not make another request
    const r3 = await w.a1.post('/api/v1/visits', { notes: 'first visit', need: true, company_id: w.coA1.id }, withKey(key));
    expectStatus(r3, 201, 'replay, keys reordered');
    assert.equal(r3.body.id, r1.body.id);
    const list = await visits(w.a1, w.coA1.id);
    assert.equal(list.filter((v) => v.notes === 'first visit').length, 1, 'exactly one visit');
    // without a key the same body is a second visit (the header is what makes it safe)
    expectStatus(await w.a1.post('/api/v1/visits', body), 201);
    assert.equal((await visits(w.a1, w.coA1.id)).filter((v) => v.notes === 'first visit').length, 2);
  });

  test('the key with a different request is refused (422) and nothing is done', async () => {
    const key = randomUUID();
    expectStatus(await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, notes: 'reuse-1' }, withKey(key)), 201);
    const r = await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, notes: 'reuse-2' }, withKey(key));
    expectStatus(r, 422);
    assert.equal(r.body.error.code, 'idempotency_key_reused');
    // another route with the same key: another request too
    const c = await w.a1.post('/api/v1/companies', { name: `${w.prefix} 重用公司` }, withKey(key));
    expectStatus(c, 422);
    assert.equal((await visits(w.a1, w.coA1.id)).filter((v) => v.notes === 'reuse-2').length, 0);
    const found = expectStatus(await w.a1.get(`/api/v1/companies?q=${encodeURIComponent('重用公司')}`), 200);
    assert.equal(found.items.length, 0, 'no company made');
  });

  test('concurrent sends with one key make one visit and all answer it', async () => {
    const key = randomUUID();
    const body = { company_id: w.coA1.id, notes: 'concurrent', duration_min: 20 };
    const rs = await Promise.all(Array.from({ length: 12 }, () => w.a1.post('/api/v1/visits', body, withKey(key))));
    for (const r of rs) expectStatus(r, 201, 'each concurrent send');
    assert.equal(new Set(rs.map((r) => r.body.id)).size, 1, 'one visit id in every answer');
    assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') === null).length, 1, 'one first answer');
    assert.equal((await visits(w.a1, w.coA1.id)).filter((v) => v.notes === 'concurrent').length, 1);
  });

  test('a key is per user: the same key from another user never replays their answer', async () => {
    const key = randomUUID();
    const r1 = await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, notes: 'mine' }, withKey(key));
    expectStatus(r1, 201);
    // rep a2 sends the very same request with the same key: a1's company is not theirs
    const r2 = await w.a2.post('/api/v1/visits', { company_id: w.coA1.id, notes: 'mine' }, withKey(key));
    expectStatus(r2, 404, "another user's replay");
    assert.ok(!r2.text.includes(String(w.coA1.name)), 'nothing of the first answer');
    // and with their own company the key is theirs to use: a new visit of a2
    const r3 = await w.a2.post('/api/v1/visits', { company_id: w.coA2.id, notes: 'theirs' }, withKey(key));
    expectStatus(r3, 201);
    assert.equal(r3.headers.get('idempotent-replayed'), null);
    assert.equal(r3.body.rep_id, w.a2.id);
    assert.notEqual(r3.body.id, r1.body.id);
    // the manager of both: the same key again is a request of the manager's own
    const r4 = await w.mgrA.post('/api/v1/visits', { company_id: w.coA1.id, notes: 'mine' }, withKey(key));
    expectStatus(r4, 201);
    assert.equal(r4.body.rep_id, w.mgrA.id);
    assert.notEqual(r4.body.id, r1.body.id);
    // a bearer token of a1 shares a1's keys
    const tok = await ctx.srv.tokenFor(w.a1);
    const r5 = await tok.post('/api/v1/visits', { company_id: w.coA1.id, notes: 'mine' }, withKey(key));
    expectStatus(r5, 201);
    assert.equal(r5.headers.get('idempotent-replayed'), 'true');
    assert.equal(r5.body.id, r1.body.id);
  });

  test('a refused request does not use its key up; a bad key is a 400', async () => {
    const key = randomUUID();
    const bad = await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, duration_min: 0 }, withKey(key));
    expectStatus(bad, 400);
    const ok = await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, duration_min: 10, notes: 'after-400' }, withKey(key));
    expectStatus(ok, 201);
    for (const k of ['a b', 'x'.repeat(256), 'cl\u00e9']) {
      const r = await w.a1.post('/api/v1/visits', { company_id: w.coA1.id }, { headers: { 'idempotency-key': k } });
      expectStatus(r, 400, `key ${JSON.stringify(k).slice(0, 20)}`);
      assert.equal(r.body.error.code, 'invalid_idempotency_key');
    }
  });

  test('an earlier visit time is kept on the replay', async () => {
    const at = new Date(Date.now() - 3 * 86400_000).toISOString();
    const key = randomUUID();
    const r1 = expectStatus(await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, at, notes: 'earlier' }, withKey(key)), 201);
    assert.equal(Date.parse(r1.at), Math.floor(Date.parse(at) / 1000) * 1000);
    const r2 = expectStatus(await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, at, notes: 'earlier' }, withKey(key)), 201);
    assert.equal(r2.id, r1.id);
  });

  test('other creates: a company, a plan, a like and a booking are made once', async () => {
    const key = randomUUID();
    const name = `${w.prefix} 幂等公司`;
    const c1 = await w.a1.post('/api/v1/companies', { name }, withKey(key));
    expectStatus(c1, 201);
    const c2 = await w.a1.post('/api/v1/companies', { name }, withKey(key));
    expectStatus(c2, 201, 'a replay, not 撞单');
    assert.equal(c2.body.id, c1.body.id);
    const again = await w.a1.post('/api/v1/companies', { name });
    assert.equal(again.status, 409, 'without the key the name is taken');

    const today = shanghaiDate(0);
    const plan = { goal: 'idem goal', visits_planned: 3 };
    const pk = randomUUID();
    const p1 = expectStatus(await w.a1.put(`/api/v1/plans/${today}`, plan, withKey(pk)), 200);
    const p2 = expectStatus(await w.a1.put(`/api/v1/plans/${today}`, plan, withKey(pk)), 200);
    assert.deepEqual(p2, p1);

    // a like toggles: with a key, the retried like stays a like
    expectStatus(await w.a1.put(`/api/v1/reviews/${today}`, { wins: 'idem wins' }), 200);
    const feed = expectStatus(await w.mgrA.get('/api/v1/feed'), 200);
    const review = feed.items.find((x) => x.kind === 'review' && x.item.rep_id === w.a1.id);
    assert.ok(review, 'the review is in the feed');
    const lk = randomUUID();
    const l1 = expectStatus(await w.mgrA.post(`/api/v1/feed/review/${review.id}/like`, {}, withKey(lk)), 200);
    const l2 = expectStatus(await w.mgrA.post(`/api/v1/feed/review/${review.id}/like`, {}, withKey(lk)), 200);
    assert.deepEqual(l2, l1, 'the retried like is the same like');
    const l3 = expectStatus(await w.mgrA.post(`/api/v1/feed/review/${review.id}/like`, {}), 200);
    assert.notDeepEqual(l3, l1, 'a new like request (no key) toggles it back');

    // a booking (a manager books 陪访 with the rep)
    const bk = randomUUID();
    const at = new Date(Date.now() + 2 * 86400_000).toISOString();
    const booking = { rep_id: w.a1.id, company_id: w.coA1.id, at, stage: 1 };
    const b1 = expectStatus(await w.mgrA.post('/api/v1/bookings', booking, withKey(bk)), 201);
    const b2 = expectStatus(await w.mgrA.post('/api/v1/bookings', booking, withKey(bk)), 201);
    assert.equal(b2.id, b1.id);
    const list = expectStatus(await w.mgrA.get('/api/v1/bookings'), 200);
    assert.equal(list.items.filter((b) => b.company_id === w.coA1.id).length, 1, 'one booking');
  });

  test('a token (an answer with a secret) is never stored: the header is ignored there', async () => {
    const key = randomUUID();
    const t1 = expectStatus(await w.a1.post('/api/v1/tokens', { name: 'idem-1' }, withKey(key)), 201);
    const t2 = expectStatus(await w.a1.post('/api/v1/tokens', { name: 'idem-1' }, withKey(key)), 201);
    assert.notEqual(t1.token, t2.token);
    // and a GET with the header is a GET
    expectStatus(await w.a1.get('/api/v1/me', K()), 200);
  });

  test('`jobs run` forgets keys older than a day', async () => {
    const key = randomUUID();
    expectStatus(await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, notes: 'old key' }, withKey(key)), 201);
    expectStatus(await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, notes: 'old key 2' }, withKey(key)), 422);
    const at = new Date(Date.now() + 25 * 3600_000).toISOString();
    const out = execFileSync(binPath(), ['jobs', 'run', '--db', ctx.srv.dbUrl, '--at', at, '--force'], { encoding: 'utf8' });
    const prune = JSON.parse(out.slice(out.indexOf('{'))).jobs.find((j) => j.job === 'idempotency_prune');
    assert.ok(prune && prune.deleted >= 1, `the prune job reports what it deleted: ${out}`);
    // the key is gone: the same key is free for another request
    expectStatus(await w.a1.post('/api/v1/visits', { company_id: w.coA1.id, notes: 'old key 2' }, withKey(key)), 201);
  });

  no5xxTest(test, ctx);
});
