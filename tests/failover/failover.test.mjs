// PostgreSQL that fails over (issue 16 point 4, SPEC §8): pg_auto_failover with
// a monitor, a primary and a synchronous standby on loopback ports in a
// temporary folder; `tiejun serve` on the multi-host URL
//   postgresql://tiejun@127.0.0.1:P1,127.0.0.1:P2/tiejun?target_session_attrs=read-write&connect_timeout=2
// while writers create companies with bearer tokens, recording every write the
// server acknowledged (201 and its id). Then kill -9 of the primary: its
// postgres and its pg_autoctl keeper (the whole process group, so nothing
// restarts it in place). pg_auto_failover promotes the standby, and the test shows
//   (a) the same tiejun process answers writes again, without a restart,
//       within FAILOVER_RECOVER_S (default 60 s) of the kill, and answered
//       nothing but 201 or 503 meanwhile (no hang, no crash, no 500);
//   (b) every acknowledged write is there: each id read back through the API
//       with the name it was created with.
//
// Needs pg_autoctl (Debian postgresql-15-auto-failover; scripts/deps.sh installs
// it) and the PostgreSQL 15 server binaries (PG_BIN); skipped, saying so, without them.
// Run as root, PostgreSQL runs as the system user tiejun-pg (as scripts/pg.sh).
// Ports: free ones in FAILOVER_PORTS (default 28100-28999). The monitor's
// health checks are shortened so that a failover takes seconds, not the
// default ~30-40 s (docs/scaling.md says which settings and why).
//
// Run: TIEJUN_BIN=build/release/tiejun node --test tests/failover/
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chmodSync, chownSync, readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { binPath, tiejunInit, PASSWORD } from '../api/harness.mjs';

const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const RECOVER_S = Number(process.env.FAILOVER_RECOVER_S || 60);
const WRITERS = Number(process.env.FAILOVER_WRITERS || 4);
const RUN_USER = 'tiejun-pg';
const isRoot = process.getuid() === 0;

function findAutoctl() {
  for (const p of [process.env.PG_AUTOCTL, '/usr/bin/pg_autoctl', path.join(PG_BIN, 'pg_autoctl')])
    if (p && existsSync(p)) return p;
  const w = spawnSync('sh', ['-c', 'command -v pg_autoctl'], { encoding: 'utf8' });
  return w.status === 0 ? w.stdout.trim() : null;
}
const AUTOCTL = findAutoctl();
const skip = !AUTOCTL
  ? 'pg_autoctl not found: install postgresql-15-auto-failover (bash scripts/deps.sh) to run the failover test'
  : !existsSync(path.join(PG_BIN, 'pg_ctl'))
    ? `no PostgreSQL server binaries in ${PG_BIN}`
    : false;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Date.now();

function portFree(p) {
  return new Promise((r) => {
    const s = net.createServer().once('error', () => r(false)).listen(p, '127.0.0.1', () => s.close(() => r(true)));
  });
}
async function freePorts(n) {
  const [lo, hi] = (process.env.FAILOVER_PORTS || '28100-28999').split('-').map(Number);
  const out = [];
  let p = lo + Math.floor(Math.random() * (hi - lo + 1));
  for (let i = 0; i <= hi - lo && out.length < n; i++, p = p >= hi ? lo : p + 1) if (await portFree(p)) out.push(p);
  if (out.length < n) throw new Error(`fewer than ${n} free ports in ${lo}-${hi}`);
  return out;
}

// ---------- the cluster ----------

class Cluster {
  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'tiejun-failover-'));
    chmodSync(this.dir, 0o755);
    if (isRoot) {
      if (spawnSync('id', [RUN_USER], { stdio: 'ignore' }).status !== 0)
        execFileSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', RUN_USER]);
      const uid = Number(execFileSync('id', ['-u', RUN_USER], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', RUN_USER], { encoding: 'utf8' }));
      chownSync(this.dir, uid, gid);
    }
    this.superuser = isRoot ? RUN_USER : userInfo().username;
    this.keepers = {};  // name -> child (a process group: pg_autoctl, its services, postgres)
    this.logs = {};
    clusters.add(this);
  }

  // pg_autoctl keeps its state under XDG folders: all of them in this.dir
  argv(cmd) {
    const d = this.dir;
    const env = [`HOME=${d}`, `XDG_CONFIG_HOME=${d}/config`, `XDG_DATA_HOME=${d}/share`, `XDG_RUNTIME_DIR=${d}/run`,
      `PG_CONFIG=${PG_BIN}/pg_config`, `PATH=${PG_BIN}:/usr/bin:/bin`, `PG_REGRESS_SOCK_DIR=${d}`, `PGHOST=${d}`];
    // a clean environment: PGPORT, PGUSER, PGDATABASE... of the caller (scripts/test.sh exports them) stay out
    const inner = ['env', '-i', 'LANG=C.UTF-8', ...env, ...cmd];
    return isRoot ? ['runuser', ['-u', RUN_USER, '--', ...inner]] : [inner[0], inner.slice(1)];
  }

  autoctl(args, timeoutMs = 120000) {
    const [c, a] = this.argv([AUTOCTL, ...args]);
    const r = spawnSync(c, a, { encoding: 'utf8', timeout: timeoutMs, cwd: this.dir });
    if (r.status !== 0) throw new Error(`pg_autoctl ${args.slice(0, 2).join(' ')} failed (${r.status ?? r.signal}):\n${(r.stderr || '').slice(-3000)}`);
    return r.stdout;
  }

  // `pg_autoctl run` for one node, in a process group of its own
  run(name, pgdata) {
    const [c, a] = this.argv([AUTOCTL, 'run', '--pgdata', pgdata]);
    const log = path.join(this.dir, `${name}.log`);
    const out = [];
    const child = spawn(c, a, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
    const keep = (d) => { out.push(d.toString()); if (out.length > 400) out.splice(0, 200); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.keepers[name] = child;
    this.logs[name] = out;
    child.unref();
    return child;
  }

  psql(port, db, sql, user = this.superuser) {
    return execFileSync(path.join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql],
      { encoding: 'utf8', timeout: 20000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  monitorSql(sql) {
    return this.psql(this.monPort, 'pg_auto_failover', sql);
  }

  // node name -> "reported/goal"
  states() {
    const out = {};
    for (const line of this.monitorSql('SELECT nodename, reportedstate, goalstate FROM pgautofailover.node ORDER BY nodeid').split('\n').filter(Boolean)) {
      const [n, rep, goal] = line.split('|');
      out[n] = `${rep}/${goal}`;
    }
    return out;
  }

  async waitStates(want, timeoutMs, what) {
    const t0 = now();
    let s = {};
    while (now() - t0 < timeoutMs) {
      try {
        s = this.states();
        if (Object.entries(want).every(([n, st]) => (Array.isArray(st) ? st : [st]).includes(s[n]))) return s;
      } catch { /* the monitor is starting */ }
      await sleep(250);
    }
    throw new Error(`${what}: states ${JSON.stringify(s)} never reached ${JSON.stringify(want)} in ${timeoutMs} ms`);
  }

  async start() {
    const t0 = now();
    const phase = (what) => console.log(`# ${what} at ${((now() - t0) / 1000).toFixed(1)} s`);
    const [mon, p1, p2] = await freePorts(3);
    Object.assign(this, { monPort: mon, p1, p2 });
    const d = this.dir;
    this.autoctl(['create', 'monitor', '--pgdata', `${d}/monitor`, '--pgport', String(mon), '--listen', '127.0.0.1',
      '--hostname', '127.0.0.1', '--auth', 'trust', '--no-ssl'], 120000);
    phase('monitor created');
    this.run('monitor', `${d}/monitor`);
    for (let i = 0; ; i++) {
      try { this.monitorSql('SELECT 1'); break; } catch (e) { if (i > 120) throw e; await sleep(250); }
    }
    // Failover in seconds: health checks every second, a node is unhealthy
    // after 3 s without news, and the standby waits 5 s for the old primary
    // to demote itself (defaults: 5 s, 20 s and 30 s).
    for (const [k, v] of [['health_check_period', 1000], ['health_check_timeout', 1000], ['health_check_max_retries', 1],
      ['health_check_retry_delay', 500], ['node_considered_unhealthy_timeout', 3000], ['primary_demote_timeout', 5000]])
      this.monitorSql(`ALTER SYSTEM SET pgautofailover.${k} = ${v}`);
    this.monitorSql('SELECT pg_reload_conf()');
    const monUrl = `postgres://autoctl_node@127.0.0.1:${mon}/pg_auto_failover?sslmode=disable`;
    const create = (name, port) => this.autoctl(['create', 'postgres', '--pgdata', `${d}/${name}`, '--pgport', String(port),
      '--listen', '127.0.0.1', '--hostname', '127.0.0.1', '--name', name, '--auth', 'trust', '--no-ssl',
      '--monitor', monUrl, '--username', 'tiejun', '--dbname', 'tiejun'], 180000);
    create('node1', p1);
    phase('node1 created');
    this.run('node1', `${d}/node1`);
    await this.waitStates({ node1: ['single/single', 'primary/primary', 'wait_primary/wait_primary'] }, 60000, 'node1 up');
    phase('node1 running');
    create('node2', p2);
    phase('node2 created');
    this.run('node2', `${d}/node2`);
    await this.waitStates({ node1: 'primary/primary', node2: 'secondary/secondary' }, 90000, 'primary and secondary');
    phase('node1 primary, node2 secondary');
    this.url = `postgresql://tiejun@127.0.0.1:${p1},127.0.0.1:${p2}/tiejun?target_session_attrs=read-write&connect_timeout=2`;
  }

  // the postmaster pid of a node (first line of postmaster.pid)
  postmaster(name) {
    try {
      return Number(readFileSync(path.join(this.dir, name, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return 0;
    }
  }

  // kill -9 of a node: its keeper's whole process group (pg_autoctl, its
  // services, postgres and every backend), then whatever is left of postgres
  async kill9(name) {
    const pm = this.postmaster(name);
    const child = this.keepers[name];
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    if (pm) try { process.kill(pm, 'SIGKILL'); } catch { /* gone */ }
    const group = new Set([child.pid]);
    for (let i = 0; i < 200; i++) {
      const left = livePids().filter((p) => group.has(p.pgrp) || p.pid === pm || p.ppid === pm);
      const port = name === 'node1' ? this.p1 : this.p2;
      if (!left.length && (await portFree(port))) return;
      for (const p of left) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
      await sleep(50);
    }
    throw new Error(`${name} did not die`);
  }

  // Stops the cluster and removes its folder. PostgreSQL puts each of its processes in a session of
  // its own (setsid), so killing a keeper's process group kills its postmaster but not the
  // postmaster's children: the monitor's logger and healthcheck worker were left running so.
  // First each keeper stops its own postgres (fast shutdown) and exits, so nothing restarts it;
  // then `pg_ctl stop -m fast` stops any postmaster still up; then whatever is left of the
  // keepers' groups, and any process still working in this folder (its postgres processes'
  // working directory is their data directory) is killed.
  async stop() {
    const names = Object.keys(this.keepers);
    for (const name of names) {
      const [c, a] = this.argv([AUTOCTL, 'stop', '--pgdata', path.join(this.dir, name), '--fast']);
      spawnSync(c, a, { encoding: 'utf8', timeout: 20000, cwd: this.dir });
    }
    const running = (ch) => ch.exitCode === null && ch.signalCode === null;
    for (let i = 0; i < 200 && Object.values(this.keepers).some(running); i++) await sleep(50);
    for (const name of names) {
      const pm = this.postmaster(name);
      if (!pm || !livePids().some((p) => p.pid === pm)) continue;
      const [c, a] = this.argv([path.join(PG_BIN, 'pg_ctl'), 'stop', '-m', 'fast', '-t', '20', '-D', path.join(this.dir, name)]);
      const r = spawnSync(c, a, { encoding: 'utf8', timeout: 30000, cwd: this.dir });
      if (r.status !== 0) console.log(`# pg_ctl stop -m fast of ${name} failed (${r.status ?? r.signal}): ${(r.stderr || '').trim()}`);
    }
    const groups = new Set(Object.values(this.keepers).map((c) => c.pid));
    const swept = leftOver(this.dir, groups);
    if (swept.length) console.log(`# left after the keepers and postgres stopped, killed: ${swept.map(procLine).join(', ')}`);
    for (let i = 0; i < 100; i++) {
      const left = leftOver(this.dir, groups);
      if (!left.length) break;
      for (const p of left) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
      await sleep(50);
    }
    const left = leftOver(this.dir, groups).map(procLine);
    rmSync(this.dir, { recursive: true, force: true });
    clusters.delete(this);
    return left;  // what is still alive (nothing, unless a process could not be killed)
  }
}

// The live processes of a cluster: in a keeper's process group, or working in its folder.
function leftOver(dir, groups) {
  let real = dir;
  try { real = realpathSync(dir); } catch { /* removed */ }
  return livePids().filter((p) => {
    if (groups.has(p.pgrp)) return true;
    try {
      const cwd = readlinkSync(`/proc/${p.pid}/cwd`);
      return cwd === real || cwd.startsWith(real + path.sep);
    } catch {
      return false;  // gone, or not ours to read
    }
  });
}
function procLine(p) {
  let cmd = '?';
  try { cmd = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(); } catch { /* gone */ }
  return `${p.pid} ${cmd}`;
}

// Whatever happens (a failed assertion, SIGTERM from `timeout`: the harness
// turns it into process.exit), the cluster's process groups are killed and its
// folder removed when this process exits.
const clusters = new Set();
process.on('exit', () => {
  for (const c of clusters) {
    for (const child of Object.values(c.keepers)) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    // postgres processes, each in a session of its own, are not in those groups (see Cluster.stop)
    for (const p of leftOver(c.dir, new Set())) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
    try { rmSync(c.dir, { recursive: true, force: true }); } catch { /* busy */ }
  }
});

// live (not zombie) processes: pid, ppid, process group
function livePids() {
  const out = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const s = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');  // state ppid pgrp ...
      if (f[0] !== 'Z' && f[0] !== 'X') out.push({ pid: Number(e), ppid: Number(f[1]), pgrp: Number(f[2]) });
    } catch { /* gone */ }
  }
  return out;
}

// ---------- tiejun ----------

async function serve(url, port, dir) {
  const child = spawn(binPath(), ['serve', '--db', url, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  child.stderr.on('data', (d) => { logs.push(d.toString()); if (logs.length > 2000) logs.splice(0, 1000); });
  await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`tiejun serve printed no banner: ${out} ${logs.join('')}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d.toString();
      if (/Tiejun serving/.test(out)) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (c, s) => { clearTimeout(timer); reject(new Error(`tiejun serve exited (${c ?? s}): ${logs.join('')}`)); });
  });
  return { child, logs, base: `http://127.0.0.1:${port}`, dir };
}

async function call(srv, method, p, { token, cookie, body, timeoutMs = 20000 } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (cookie) headers.cookie = cookie.cookie, headers['x-csrf-token'] = cookie.csrf;
  const t0 = now();
  try {
    const r = await fetch(srv.base + p, { method, headers, body: body && JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, body: json, text, t0, t1: now() };
  } catch (e) {
    return { status: 0, text: `${e.name}: ${e.message}`, t0, t1: now(), hung: e.name === 'TimeoutError' };
  }
}

// ---------- the test ----------

describe('PostgreSQL failover with pg_auto_failover: kill -9 of the primary under writes', { skip }, () => {
  let cluster, srv;

  before(async () => {
    cluster = new Cluster();
    try {
      const t0 = now();
      await cluster.start();
      console.log(`# cluster up in ${((now() - t0) / 1000).toFixed(1)} s: monitor :${cluster.monPort}, node1 :${cluster.p1}, node2 :${cluster.p2}`);
    } catch (e) {
      for (const [n, l] of Object.entries(cluster.logs)) console.log(`# --- ${n}\n${l.join('').slice(-3000)}`);
      await cluster.stop();
      cluster = null;
      throw e;
    }
  });

  after(async () => {
    if (srv && srv.child.exitCode === null && srv.child.signalCode === null) {
      const gone = new Promise((r) => srv.child.once('exit', r));
      srv.child.kill('SIGTERM');
      const t = setTimeout(() => srv.child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    }
    if (cluster) {
      // Nothing of the cluster outlives the suite (a keeper's process group, or a process working
      // in its folder: the monitor's logger and healthcheck worker used to be left running).
      const left = await cluster.stop();
      assert.deepEqual(left, [], 'processes of the cluster alive after its stop');
    }
  });

  test('tiejun answers writes again after the failover, without a restart, and loses no acknowledged write', { timeout: 240000 }, async () => {
    // the standby is synchronous: a commit acknowledged by the primary is on the standby too
    const ssn = cluster.psql(cluster.p1, 'tiejun', 'SHOW synchronous_standby_names', 'tiejun');
    assert.match(ssn, /pgautofailover_standby/, `synchronous_standby_names on the primary: ${ssn}`);
    assert.equal(cluster.psql(cluster.p1, 'tiejun', 'SHOW synchronous_commit', 'tiejun'), 'on');
    const sync = cluster.psql(cluster.p1, 'tiejun', 'SELECT sync_state FROM pg_stat_replication', 'tiejun');
    assert.match(sync, /^(sync|quorum)$/, `the standby's sync_state: ${sync}`);

    tiejunInit(cluster.url, cluster.dir, '故障转移公司', 'fo_admin');
    const [port] = await freePorts(1);
    srv = await serve(cluster.url, port, cluster.dir);
    // a bearer token per writer, made by the admin's session
    const sess = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'fo_admin', password: PASSWORD }) });
    assert.equal(sess.status, 200, 'login');
    const csrf = (await sess.json()).csrf_token;
    const sc = sess.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('tj_session='));
    const tokens = [];
    for (let i = 0; i < WRITERS; i++) {
      const r = await call(srv, 'POST', '/api/v1/tokens', { cookie: { cookie: sc, csrf }, body: { name: `writer-${i}` } });
      assert.equal(r.status, 201, r.text);
      tokens.push(r.body.token);
    }

    // writers: create companies until told to stop; every answer is kept
    const acked = [];     // {id, name, t1}
    const answers = [];   // every answer: {status, code, t0, t1}
    let writing = true;
    const writer = async (k) => {
      for (let i = 0; writing; i++) {
        const name = `故障转移-${k}-${i}-${process.pid}`;
        const r = await call(srv, 'POST', '/api/v1/companies', { token: tokens[k], body: { name, region: '杭州' } });
        answers.push({ status: r.status, code: r.body?.error?.code, t0: r.t0, t1: r.t1, text: r.status === 201 ? '' : r.text.slice(0, 200), hung: r.hung });
        if (r.status === 201) {
          assert.ok(Number.isInteger(r.body?.id), `a 201 without an id: ${r.text}`);
          acked.push({ id: r.body.id, name, t1: r.t1 });
        } else {
          await sleep(100);  // a client backs off a little on 503
        }
      }
    };
    const all = Promise.all(Array.from({ length: WRITERS }, (_, k) => writer(k)));
    try {
      await checkFailover();
    } finally {
      writing = false;  // a failed check must not leave the writers looping
      await all;
    }

    async function checkFailover() {
      await sleep(3000);
      const before = acked.length;
      assert.ok(before > 20, `writes before the failover: ${before}`);
      assert.ok(answers.every((a) => a.status === 201), `every write answered 201 before the kill: ${JSON.stringify(answers.find((a) => a.status !== 201))}`);

      // kill -9 of the primary: postgres and its keeper
      const tKill = now();
      await cluster.kill9('node1');
      const tDead = now();
      console.log(`# node1 (primary) killed with -9 in ${tDead - tKill} ms; ${before} writes acknowledged before`);

      // the standby is promoted
      const promoted = await cluster.waitStates({ node2: ['wait_primary/wait_primary', 'primary/primary'] }, RECOVER_S * 1000, 'promotion of node2');
      const tPromoted = now();
      console.log(`# node2 promoted ${((tPromoted - tKill) / 1000).toFixed(1)} s after the kill: ${JSON.stringify(promoted)}`);

      // (a) the same tiejun answers writes again: the first 201 for a write sent after the old primary was dead
      let firstOk = null;
      while (now() - tKill < RECOVER_S * 1000) {
        firstOk = answers.find((a) => a.status === 201 && a.t0 >= tDead);
        if (firstOk) break;
        await sleep(100);
      }
      assert.ok(firstOk, `no write acknowledged within ${RECOVER_S} s of the kill; last answers: ${JSON.stringify(answers.slice(-3))}`);
      assert.ok(srv.child.exitCode === null && srv.child.signalCode === null, 'tiejun serve is the same, still running process');
      const recoverS = (firstOk.t1 - tKill) / 1000;

      // keep writing a little on the new primary, then stop
      const atRecovery = acked.length;
      await sleep(2000);
      writing = false;
      await all;
      const after = acked.length - atRecovery;
      assert.ok(after > 5, `writes after the failover: ${after}`);

      const outage = answers.filter((a) => a.status !== 201);
      const byCode = {};
      for (const a of outage) byCode[`${a.status} ${a.code ?? ''}`.trim()] = (byCode[`${a.status} ${a.code ?? ''}`.trim()] || 0) + 1;
      const slowest = Math.max(...answers.map((a) => a.t1 - a.t0));
      console.log(`# tiejun answered writes again ${recoverS.toFixed(1)} s after the kill (standby promoted at ` +
        `${((tPromoted - tKill) / 1000).toFixed(1)} s); answers meanwhile: ${JSON.stringify(byCode)}; slowest answer ${slowest} ms; ` +
        `${acked.length} writes acknowledged in all (${after} after recovery)`);
      assert.deepEqual(outage.filter((a) => a.status !== 503), [], 'nothing but 201 or 503 (no 500, no hang, no dropped connection)');
      assert.ok(outage.every((a) => a.code === 'unavailable'), `503s say "unavailable": ${JSON.stringify(byCode)}`);
      assert.ok(slowest < 15000, `every answer within 15 s (slowest ${slowest} ms)`);
      assert.ok(recoverS < RECOVER_S, `recovered in ${recoverS} s`);

      // (b) every acknowledged write is there, read back through the API by id
      const missing = [];
      for (const a of acked) {
        const r = await call(srv, 'GET', `/api/v1/companies/${a.id}`, { token: tokens[0] });
        if (r.status !== 200 || r.body?.name !== a.name) missing.push({ id: a.id, name: a.name, status: r.status, got: r.body?.name });
      }
      assert.deepEqual(missing, [], `acknowledged writes lost in the failover: ${missing.length} of ${acked.length}`);
      // and on the new primary itself, counted in SQL
      const n = Number(cluster.psql(cluster.p2, 'tiejun', `SELECT COUNT(*) FROM companies WHERE id IN (${acked.map((a) => a.id).join(',')})`, 'tiejun'));
      assert.equal(n, acked.length, 'the new primary holds every acknowledged company');
    }
  });
});
