// GET /healthz and /readyz (SPEC §8): no authentication; /readyz is 503 when the schema is
// behind the binary (a migration pending) or the database does not answer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Server } from './harness.mjs';

const server = new Server();
after(() => server.stop());

test('healthz and readyz answer without credentials, never cached', async () => {
  await server.start();
  const h = await server.fetch('GET', '/healthz');
  assert.equal(h.status, 200);
  assert.deepEqual(h.body, { status: 'ok' });
  assert.equal(h.headers.get('cache-control'), 'no-store');
  const r = await server.fetch('GET', '/readyz');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'ready');
  assert.ok(Number.isInteger(r.body.schema_version) && r.body.schema_version >= 8, r.text);
  const head = await server.fetch('HEAD', '/readyz');
  assert.equal(head.status, 200);
});

test('healthz and readyz refuse other methods with a JSON 405', async () => {
  for (const p of ['/healthz', '/readyz']) {
    const r = await server.fetch('POST', p, '{}', { 'content-type': 'application/json' });
    assert.equal(r.status, 405, p);
    assert.equal(r.body.error.code, 'method_not_allowed');
  }
});

test('readyz is 503 migrations_pending when the schema is behind the binary', async (t) => {
  const url = server.dbUrl;
  const latest = (await server.fetch('GET', '/readyz')).body.schema_version;
  const sql = `DELETE FROM schema_migrations WHERE number = ${latest}`;
  if (url.startsWith('sqlite:')) {
    execFileSync('sqlite3', [url.slice('sqlite:'.length), sql]);
  } else {
    execFileSync('psql', [url, '-qc', sql]);
  }
  const r = await server.fetch('GET', '/readyz');
  assert.equal(r.status, 503, r.text);
  assert.equal(r.body.error.code, 'migrations_pending');
  // the schema now stands at the highest number left (numbers may have gaps)
  assert.match(r.body.error.message, new RegExp(`^schema version \\d+ of ${latest}: run tiejun migrate$`));
  // the process itself is still healthy
  assert.equal((await server.fetch('GET', '/healthz')).status, 200);
});
