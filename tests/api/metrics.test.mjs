// GET /metrics (SPEC §6, §8): Prometheus text format, checked by a real parser (promtool);
// an admin's bearer token on the API port, anyone on --metrics-listen; labels are route
// patterns, never what a client typed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Server, PASSWORD } from './harness.mjs';

const server = new Server();
after(() => server.stop());

function promtool(text) {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error) throw new Error('promtool is missing (scripts/deps.sh installs prometheus): ' + r.error.message);
  return { ok: r.status === 0, out: (r.stdout || '') + (r.stderr || '') };
}

let admin, adminToken, repToken, metricsBase;

test('setup: a server with --metrics-listen', async () => {
  const port = 20000 + Math.floor(Math.random() * 9000);
  await server.start({ args: ['--metrics-listen', `127.0.0.1:${port}`] });
  metricsBase = `http://127.0.0.1:${port}`;
  admin = await server.login('admin');
  adminToken = await server.tokenFor(admin, 'prometheus');
  const team = await admin.post('/api/v1/teams', { name: '一组' });
  assert.equal(team.status, 201, team.text);
  const rep = await admin.post('/api/v1/users', { username: 'rep1', display_name: '张三', password: PASSWORD, role: 'rep', team_id: team.body.id });
  assert.equal(rep.status, 201, rep.text);
  repToken = await server.tokenFor(await server.login('rep1'), 'rep');
});

test('the API port answers /metrics only to an admin bearer token', async () => {
  assert.equal((await server.fetch('GET', '/metrics')).status, 401);
  assert.equal((await repToken.get('/metrics')).status, 403);
  // a session cookie is not enough either: metrics are for scrapers
  assert.equal((await admin.get('/metrics')).status, 401);
  const r = await adminToken.get('/metrics');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
});

test('requests are counted by route pattern and status, with latency histograms; promtool parses it', async () => {
  await adminToken.get('/api/v1/companies/987654');                 // 404 on a pattern route
  await server.fetch('GET', '/api/v1/no-such-thing-' + 'x'.repeat(40)); // unmatched
  await server.fetch('GET', '/healthz');
  const text = (await adminToken.get('/metrics')).text;
  const check = promtool(text);
  assert.ok(check.ok, check.out);
  assert.match(text, /tiejun_http_requests_total\{route="\/api\/v1\/companies\/\{id\}",method="GET",status="404"\} 1/);
  assert.match(text, /tiejun_http_requests_total\{route="unmatched",method="GET",status="404"\} \d+/);
  assert.match(text, /tiejun_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/);
  assert.match(text, /tiejun_http_request_duration_seconds_bucket\{route="\/api\/v1\/session",method="POST",le="\+Inf"\} \d+/);
  assert.match(text, /# TYPE tiejun_http_request_duration_seconds histogram/);
  assert.ok(!text.includes('no-such-thing'), 'a client-chosen path became a label');
  assert.match(text, /process_resident_memory_bytes \d+/);
});

test('--metrics-listen serves /metrics to anyone, and nothing else', async () => {
  const r = await fetch(metricsBase + '/metrics');
  const text = await r.text();
  assert.equal(r.status, 200);
  const check = promtool(text);
  assert.ok(check.ok, check.out);
  assert.match(text, /tiejun_http_requests_total/);
  const other = await fetch(metricsBase + '/api/v1/me');
  assert.equal(other.status, 404);
  await other.text();
});

test('nothing secret reaches the metrics', async () => {
  const text = (await adminToken.get('/metrics')).text;
  assert.ok(!text.includes(PASSWORD));
  assert.ok(!/tj_[A-Za-z0-9_-]{20,}/.test(text), 'a token appears in the metrics');
});
