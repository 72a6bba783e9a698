// Faults: a full disk. `tiejun serve` runs under RLIMIT_FSIZE (prlimit
// --fsize; the server ignores SIGXFSZ), so once the database or its WAL would
// grow past the limit every write fails. Writes must then answer a clear 503
// ({"error":{"code":"storage_unavailable",...}}), never a 500 and never a
// false 201; reads keep working; after a restart without the limit every
// acknowledged write is there and the database is intact.
// (kill -9 during writes and imports: tests/crash/kill9.test.mjs.)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tiejunInit, expectErrorShape, expectStatus, createCompany } from '../api/harness.mjs';
import { RUN, emptyServer, serveDb, stopServer, sqlite } from './lib.mjs';

const hasPrlimit = (() => {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('a full disk (RLIMIT_FSIZE)', { skip: !hasPrlimit && 'prlimit (util-linux) is missing' }, () => {
  let srv, file, dbUrl;
  const LIMIT = Number(process.env.SEC_FSIZE || 3 * 1024 * 1024);
  const acked = [];
  let admin, tok, company;

  before(async () => {
    srv = emptyServer();
    file = `${srv.dir}/full.db`;
    dbUrl = `sqlite:${file}`;
    tiejunInit(dbUrl, srv.dir, `Full ${RUN}`, `fd${RUN}_admin`);
    srv.adminName = `fd${RUN}_admin`;
    await serveDb(srv, dbUrl, { prlimit: [`--fsize=${LIMIT}`] });
    admin = await srv.login(srv.adminName);
    tok = await srv.tokenFor(admin, 'full-disk');
    company = await createCompany(tok, { name: `满盘公司${RUN}` });
  });
  after(async () => stopServer(srv));

  test('writes fail with a clear 503 once the file size limit is reached; nothing is falsely acknowledged', { timeout: 120000 }, async () => {
    const statuses = new Map();
    let first503 = null;
    const note = '满'.repeat(1600);  // ~4.8 KB per visit
    for (let i = 0; i < 3000 && (statuses.get(503) || 0) < 25; i++) {
      const r = await tok.post('/api/v1/visits', { company_id: company.id, kind: 'call', notes: `${i} ${note}` });
      statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
      if (r.status === 201) acked.push(r.body.id);
      else if (r.status === 503 && !first503) first503 = r;
      else assert.ok(r.status === 503, `a write answered ${r.status}: ${r.text.slice(0, 300)}`);
    }
    console.log(`# RLIMIT_FSIZE=${LIMIT}: ${JSON.stringify([...statuses])}; db ${statSync(file).size} B, wal ${existsSync(file + '-wal') ? statSync(file + '-wal').size : 0} B`);
    assert.ok(first503, `the limit was never reached: ${JSON.stringify([...statuses])}`);
    expectErrorShape(first503);
    assert.equal(first503.body.error.code, 'storage_unavailable', first503.text);
    assert.match(first503.body.error.message, /full|unavailable|not saved/i);
    assert.ok(acked.length > 0, 'some writes succeeded before the disk filled');
    // other kinds of writes fail the same way
    for (const [what, r] of [
      ['create company', await tok.post('/api/v1/companies', { name: `满了${RUN}`, region: '满'.repeat(40) })],
      ['patch company', await tok.patch(`/api/v1/companies/${company.id}`, { version: (await tok.get(`/api/v1/companies/${company.id}`)).body.version, region: '满'.repeat(50) })],
      ['import', await tok.req('POST', '/api/v1/imports', undefined, { raw: '公司名称,地区\n' + Array.from({ length: 200 }, (_, i) => `满盘导入${i}${'满'.repeat(150)},杭州`).join('\n') + '\n', headers: { 'content-type': 'text/csv' } })],
    ]) {
      assert.ok([503, 200, 201].includes(r.status), `${what}: ${r.status} ${r.text.slice(0, 200)}`);
      if (r.status === 503) assert.equal(r.body.error.code, 'storage_unavailable', `${what}: ${r.text}`);
    }
  });

  test('reads keep working while writes fail', async () => {
    expectStatus(await tok.get('/api/v1/me'), 200);
    const c = expectStatus(await tok.get(`/api/v1/companies/${company.id}`), 200);
    assert.ok(c.visit_count >= acked.length);
    expectStatus(await tok.get('/api/v1/companies?limit=50'), 200);
    expectStatus(await tok.get(`/api/v1/companies/${company.id}/visits?limit=10`), 200);
    expectStatus(await tok.get('/api/v1/leaderboard'), 200);
    expectStatus(await tok.get('/api/v1/alerts'), 200);
    expectStatus(await admin.get('/api/v1/me'), 200, 'a cookie session still authenticates');
    const e = await tok.get('/api/v1/exports/companies?format=csv');
    assert.ok(e.status === 200 || e.status === 503, `export: ${e.status} ${e.text.slice(0, 200)}`);
    assert.deepEqual(srv.serverErrors.filter((x) => x.status !== 503), [], 'no 5xx other than 503');
  });

  test('after a restart without the limit: intact, every acknowledged write there, writes work again', async () => {
    await stopServer({ child: srv.child });
    assert.equal(sqlite(file, 'PRAGMA integrity_check'), 'ok');
    const have = new Set(sqlite(file, `SELECT id FROM visits WHERE company_id = ${company.id}`).split('\n').filter(Boolean).map(Number));
    assert.deepEqual(acked.filter((id) => !have.has(id)), [], 'acknowledged visits lost');
    assert.equal(Number(sqlite(file, `SELECT visit_count FROM companies WHERE id = ${company.id}`)), have.size, 'visit_count matches the stored visits');
    await serveDb(srv, dbUrl);
    expectStatus(await tok.post('/api/v1/visits', { company_id: company.id, kind: 'call' }), 201);
  });
});
