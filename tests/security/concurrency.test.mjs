// Concurrency: lost updates and starvation.
//   - two sessions of one user PATCH one company with the same version: one
//     200, one 409, and exactly one audit row (repeated);
//   - 50 concurrent writers x N visits on one company: every 201 is counted
//     (visit_count = the number of 201s = the visits stored), the counter
//     values handed out are exactly 1..total, and nothing answers 5xx;
//   - writers are not starved by long reads: visit writes keep a bounded
//     latency while exports and the diagnosis run in a loop on demo data.
// Environment: SEC_WRITERS (50), SEC_UPDATES (N per writer, default 100; the
// issue's full run is 1000: SEC_UPDATES=1000), SEC_READERS (heavy readers of
// the first starvation test, 2), SEC_STARVE_SECONDS (8), SEC_DEMO_SCALE (1).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, no5xxTest, expectStatus, buildOrg, createCompany, Client } from '../api/harness.mjs';
import { RUN, emptyServer, serveDb, stopServer, runTiejun, sqlite, percentile, sleep } from './lib.mjs';

const WRITERS = Number(process.env.SEC_WRITERS || 50);
const UPDATES = Number(process.env.SEC_UPDATES || 100);
const READERS = Number(process.env.SEC_READERS || 2);
const STARVE_S = Number(process.env.SEC_STARVE_SECONDS || 8);

describe('concurrency: versions and counters', () => {
  const ctx = useServer({ before, after }, { org: `Conc ${RUN}`, admin: `cc${RUN}_admin` });
  let org, rep;

  before(async () => {
    org = await buildOrg(ctx.srv, { prefix: `cc${RUN}`, director: false, repsA: 1, repsB: 0 });
    rep = org.repsA[0];
  });

  test('two sessions of one user PATCH one company with the same version: one 200, one 409, one audit row (x20)', async () => {
    const srv = ctx.srv;
    const tab1 = await srv.login(rep.user.username);
    const tab2 = await srv.login(rep.user.username);
    const c = await createCompany(rep, { name: `两个标签页${RUN}` });
    const auditCount = async () =>
      expectStatus(await org.admin.get(`/api/v1/audit?entity=company&entity_id=${c.id}&limit=500`), 200).items.length;
    for (let round = 0; round < 20; round++) {
      const cur = expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 200);
      const audits = await auditCount();
      const [a, b] = await Promise.all([
        tab1.patch(`/api/v1/companies/${c.id}`, { version: cur.version, region: `tab1-${round}` }),
        tab2.patch(`/api/v1/companies/${c.id}`, { version: cur.version, region: `tab2-${round}` }),
      ]);
      const statuses = [a.status, b.status].sort();
      assert.deepEqual(statuses, [200, 409], `round ${round}: ${a.status} ${a.text.slice(0, 120)} / ${b.status} ${b.text.slice(0, 120)}`);
      const loser = a.status === 409 ? a : b;
      assert.equal(loser.body.error.code, 'stale_version');
      const winner = a.status === 200 ? a : b;
      const after = expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 200);
      assert.equal(after.version, cur.version + 1);
      assert.equal(after.region, winner.body.region, 'the winner\'s write is the one stored');
      assert.equal(await auditCount(), audits + 1, 'exactly one audit row: the loser left none');
    }
  });

  test('a PATCH racing a visit on the same company: the stale one gets 409, none is lost', async () => {
    const c = await createCompany(rep, { name: `拜访与修改${RUN}` });
    for (let round = 0; round < 10; round++) {
      const cur = expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 200);
      const [v, p] = await Promise.all([
        rep.post('/api/v1/visits', { company_id: c.id, kind: 'call' }),
        rep.patch(`/api/v1/companies/${c.id}`, { version: cur.version, region: `r${round}` }),
      ]);
      assert.equal(v.status, 201, v.text);  // a visit carries no version: it always applies
      assert.ok([200, 409].includes(p.status), `${p.status} ${p.text}`);
      const after = expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 200);
      assert.equal(after.visit_count, round + 1, 'the visit is never lost');
      if (p.status === 200) assert.equal(after.region, `r${round}`);
    }
  });

  test(`${WRITERS} concurrent writers x ${UPDATES} visits on one company: nothing lost, no 5xx`, { timeout: 600000 }, async () => {
    const srv = ctx.srv;
    const c = await createCompany(rep, { name: `热点公司${RUN}` });
    const tokens = [];
    for (let i = 0; i < WRITERS; i++) tokens.push(await srv.tokenFor(rep, `writer-${i}`));
    const statuses = new Map();
    const counters = [];
    const t0 = Date.now();
    await Promise.all(tokens.map(async (t) => {
      for (let i = 0; i < UPDATES; i++) {
        const r = await t.post('/api/v1/visits', { company_id: c.id, kind: 'call', notes: `w${i}` });
        statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
        if (r.status === 201) counters.push(r.body.company.visit_count);
      }
    }));
    const secs = (Date.now() - t0) / 1000;
    const ok = statuses.get(201) || 0;
    console.log(`# ${WRITERS}x${UPDATES} visits in ${secs.toFixed(1)} s (${(ok / secs).toFixed(0)}/s): ${JSON.stringify([...statuses])}`);
    assert.deepEqual([...statuses.keys()].filter((s) => s >= 500), [], `5xx answers: ${JSON.stringify([...statuses])}`);
    assert.equal(ok, WRITERS * UPDATES, `every visit was accepted: ${JSON.stringify([...statuses])}`);
    const after = expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 200);
    assert.equal(after.visit_count, ok, 'visit_count equals the number of 201s');
    assert.equal(after.version, c.version + ok, 'one version per visit');
    counters.sort((a, b) => a - b);
    assert.deepEqual(counters, Array.from({ length: ok }, (_, i) => i + 1), 'each write saw the previous one: counters 1..n, no duplicates');
    if (srv.dbUrl.startsWith('sqlite:')) {
      assert.equal(Number(sqlite(srv.dbUrl.slice(7), `SELECT COUNT(*) FROM visits WHERE company_id = ${c.id}`)), ok, 'visits stored');
      assert.equal(Number(sqlite(srv.dbUrl.slice(7), `SELECT COUNT(*) FROM audit_log WHERE entity = 'visit' AND entity_id IN (SELECT id FROM visits WHERE company_id = ${c.id})`)), ok, 'one audit row per visit');
    }
  });

  no5xxTest(test, ctx);
});

describe('concurrency: writers are not starved by long reads', () => {
  let srv;
  before(async () => {
    srv = emptyServer();
    const db = `sqlite:${srv.dir}/demo.db`;
    runTiejun(['demo', '--db', db, '--scale', process.env.SEC_DEMO_SCALE || '1', '--force']);
    await serveDb(srv, db);
  });
  after(async () => stopServer(srv));

  async function starve(READERS) {
    const admin = await srv.login('admin', 'tiejun-demo');
    const adminTok = await srv.tokenFor(admin, 'reader');
    const rep = await srv.login('rep1', 'tiejun-demo');
    const repTok = await srv.tokenFor(rep, 'writer');
    const mine = expectStatus(await repTok.get(`/api/v1/companies?owner_id=${rep.id}&limit=50`), 200).items;
    assert.ok(mine.length > 0, 'rep1 owns companies in the demo');
    const write = async (i) => {
      const t = performance.now();
      const r = await repTok.post('/api/v1/visits', { company_id: mine[i % mine.length].id, kind: 'call' });
      assert.equal(r.status, 201, r.text.slice(0, 200));
      return performance.now() - t;
    };
    // baseline
    const base = [];
    for (let i = 0; i < 30; i++) base.push(await write(i));
    // heavy reads in a loop
    const heavy = ['/api/v1/exports/visits?format=csv', '/api/v1/diagnosis', '/api/v1/exports/companies?format=xlsx',
      `/api/v1/companies?q=${encodeURIComponent('科技')}&limit=200`, '/api/v1/insights/conversion'];
    let stop = false;
    const readTimes = [];
    const readers = Array.from({ length: READERS }, (_, k) => (async () => {
      for (let i = k; !stop; i++) {
        const t = performance.now();
        const r = await adminTok.get(heavy[i % heavy.length]);
        assert.ok(r.status === 200, `${heavy[i % heavy.length]}: ${r.status} ${r.text.slice(0, 200)}`);
        readTimes.push([heavy[i % heavy.length], performance.now() - t]);
      }
    })());
    await sleep(300);
    const loaded = [];
    const t0 = Date.now();
    for (let i = 0; Date.now() - t0 < STARVE_S * 1000; i++) loaded.push(await write(i));
    stop = true;
    await Promise.all(readers);
    const slowest = {};
    for (const [p, ms] of readTimes) slowest[p] = Math.max(slowest[p] || 0, Math.round(ms));
    const f = (x) => x.toFixed(1);
    console.log(`# writes alone: p50 ${f(percentile(base, 50))} ms, p99 ${f(percentile(base, 99))} ms; ` +
      `with ${READERS} heavy readers: n=${loaded.length}, p50 ${f(percentile(loaded, 50))} ms, p95 ${f(percentile(loaded, 95))} ms, ` +
      `max ${f(Math.max(...loaded))} ms; reads: ${readTimes.length}, slowest ${JSON.stringify(slowest)}`);
    assert.deepEqual(srv.serverErrors, []);
    assert.ok(readTimes.length >= READERS, 'the readers really ran');
    // a visit write alone takes a few ms; sharing 2 CPUs with the readers may cost
    // some tens of ms, but never a wait for a whole export
    assert.ok(percentile(loaded, 50) < Math.max(100, 10 * percentile(base, 50)), `median write latency ${f(percentile(loaded, 50))} ms`);
    assert.ok(percentile(loaded, 95) < 500, `p95 write latency ${f(percentile(loaded, 95))} ms`);
    assert.ok(Math.max(...loaded) < 2000, `no write waits 2 s (max ${f(Math.max(...loaded))} ms)`);
  }

  test(`visit writes keep a bounded latency while ${READERS} readers export and diagnose in a loop`, { timeout: 300000 }, () => starve(READERS));
  // The server runs with --workers 4 (the default). With twice as many long
  // reads in flight as worker threads, a write must still not queue behind
  // them for seconds.
  test('visit writes keep a bounded latency while 8 readers (twice the worker threads) export and diagnose', { timeout: 300000 }, () => starve(8));
});
