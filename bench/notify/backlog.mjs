// A backlog of 10,000 pending deliveries drains at the receivers' pace without slowing reads
// (issue 14, Deliver 6). Serves a fresh database, makes five webhook channels (four answer at
// once, one never answers) while they are paused, books 2,000 accompanied visits (2,000 x 5 =
// 10,000 deliveries pending), measures one-company reads (sequential, p50 / p99) with the
// backlog paused, then resumes the channels and measures the same reads while the worker
// drains, and how fast the four answering receivers got their 8,000 messages.
//
//   TIEJUN_BIN=build/release/tiejun node bench/notify/backlog.mjs      (SQLite; TIEJUN_TEST_PG for PostgreSQL)
//   BOOKINGS=2000 READS=2000 PARALLEL=4 are the defaults.
import { Server, buildOrg, createCompany, shanghaiDate, addDays } from '../../tests/api/harness.mjs';
import { Receiver } from '../../tests/notify/receiver.mjs';

const BOOKINGS = Number(process.env.BOOKINGS || 2000);
const READS = Number(process.env.READS || 2000);
const PARALLEL = Number(process.env.PARALLEL || 4);
const rx = new Receiver();
await rx.start();
const srv = await new Server().start({ args: ['--delivery-timeout-ms', '2000', '--delivery-parallel', String(PARALLEL)] });
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];
try {
  const w = await buildOrg(srv, { prefix: 'bl', repsA: 1, repsB: 0, director: false });
  const rep = w.repsA[0];
  const mgr = await srv.tokenFor(w.mgrA);
  const repT = await srv.tokenFor(rep);
  const admin = await srv.tokenFor(w.admin);
  const chans = [];
  for (let i = 0; i < 5; i++) {
    const name = i < 4 ? `ok${i}` : 'stalled';
    rx.secrets.set(name, 's');
    if (i === 4) rx.mode(name, 'stall');
    const r = await admin.post('/api/v1/channels', { kind: 'webhook', url: `${rx.base}/hook/${name}`, secret: 's', team_id: null, active: false, events: ['booking'] });
    if (r.status !== 201) throw new Error(`channel: ${r.status} ${r.text}`);
    chans.push(JSON.parse(r.text));
  }
  const co = await createCompany(rep, { name: '积压压测公司' });
  const t0 = Date.now();
  for (let i = 0; i < BOOKINGS; i++) {
    const r = await mgr.post('/api/v1/bookings', { rep_id: rep.id, company_id: co.id,
      at: `${addDays(shanghaiDate(0), 1 + (i % 300))}T${String(8 + (i % 10)).padStart(2, '0')}:00`, stage: 1 + (i % 4) });
    if (r.status !== 201) throw new Error(`booking: ${r.status} ${r.text}`);
  }
  const made = Date.now() - t0;
  const reads = async () => {
    const ms = [];
    for (let i = 0; i < READS; i++) {
      const s = process.hrtime.bigint();
      const r = await repT.get(`/api/v1/companies/${co.id}`);
      ms.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (r.status !== 200) throw new Error(`read: ${r.status}`);
    }
    ms.sort((a, b) => a - b);
    return { p50: +pct(ms, 0.5).toFixed(3), p99: +pct(ms, 0.99).toFixed(3) };
  };
  const idle = await reads();
  const okCount = () => rx.received.filter((m) => m.id.startsWith('ok')).length;
  const tStart = Date.now();
  for (const c of chans) {
    const r = await admin.patch(`/api/v1/channels/${c.id}`, { active: true });
    if (r.status !== 200) throw new Error(`resume: ${r.status} ${r.text}`);
  }
  const during = await reads();
  const sentDuringReads = okCount();
  while (okCount() < 4 * BOOKINGS && Date.now() - tStart < 600000) await new Promise((r) => setTimeout(r, 100));
  const drainS = (Date.now() - tStart) / 1000;
  console.log(JSON.stringify({
    db: srv.dbUrl.startsWith('sqlite') ? 'sqlite' : 'postgres', pending: BOOKINGS * 5, parallel: PARALLEL,
    backlog_made_s: +(made / 1000).toFixed(1),
    reads_ms_paused: idle, reads_ms_draining: during, delivered_while_reading: sentDuringReads,
    answering_receivers_got: okCount(), drain_s: +drainS.toFixed(1), msgs_per_s: +(okCount() / drainS).toFixed(0),
    stalled_receiver_tries: rx.stalled.length,
  }));
} finally {
  await srv.stop();
  await rx.stop();
}
