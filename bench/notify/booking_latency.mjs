// What producing notifications adds to a write (issue 14: under 1 ms). Serves a
// fresh database, books N accompanied visits one after another (each writes two
// notifications, and one delivery per channel taking `booking`) and logs N
// visits (no notification), and prints the median and p90 latency of each.
// Run it with channels (CHANNELS=3: a DingTalk robot, a WeCom robot and a
// webhook, paused so nothing is sent) and without (CHANNELS=0), and against a
// binary without notifications (TIEJUN_BIN=...), on SQLite or TIEJUN_TEST_PG.
//
//   TIEJUN_BIN=build/release/tiejun CHANNELS=3 N=400 node bench/notify/booking_latency.mjs
import { Server, buildOrg, createCompany, shanghaiDate, addDays } from '../../tests/api/harness.mjs';

const N = Number(process.env.N || 400);
const CHANNELS = Number(process.env.CHANNELS ?? 3);
const srv = await new Server().start();
try {
  const w = await buildOrg(srv, { prefix: 'bn', repsA: 1, repsB: 0, director: false });
  const rep = w.repsA[0];
  const mgr = await srv.tokenFor(w.mgrA);
  const repT = await srv.tokenFor(rep);
  const admin = await srv.tokenFor(w.admin);
  for (let i = 0; i < CHANNELS; i++) {
    const kind = ['dingtalk', 'wecom', 'webhook'][i % 3];
    const url = kind === 'dingtalk' ? 'https://oapi.dingtalk.com/robot/send?access_token=x' : kind === 'wecom'
      ? 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x' : 'https://hooks.example/x';
    const r = await admin.post('/api/v1/channels', { kind, url, secret: 's', team_id: w.teams.A.id, active: false });
    if (r.status === 404) break;  // a binary without notifications
    if (r.status !== 201) throw new Error(`channel: ${r.status} ${r.text}`);
  }
  const co = await createCompany(rep, { name: '压测陪访公司' });
  const time = async (fn) => {
    const ms = [];
    for (let i = 0; i < N; i++) {
      const t0 = process.hrtime.bigint();
      const r = await fn(i);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 201) throw new Error(`${r.status} ${r.text}`);
    }
    ms.sort((a, b) => a - b);
    return { p50: ms[Math.floor(N / 2)].toFixed(3), p90: ms[Math.floor(N * 0.9)].toFixed(3) };
  };
  // warm up
  for (let i = 0; i < 20; i++) await repT.post('/api/v1/visits', { company_id: co.id, kind: 'call', duration_min: 5 });
  const booking = await time((i) => mgr.post('/api/v1/bookings', { rep_id: rep.id, company_id: co.id,
    at: `${addDays(shanghaiDate(0), 1 + (i % 300))}T${String(8 + (i % 10)).padStart(2, '0')}:00`, stage: 1 + (i % 4) }));
  const visit = await time(() => repT.post('/api/v1/visits', { company_id: co.id, kind: 'call', duration_min: 5 }));
  console.log(JSON.stringify({ db: srv.dbUrl.startsWith('sqlite') ? 'sqlite' : 'postgres', channels: CHANNELS, n: N, booking_ms: booking, visit_ms: visit }));
} finally {
  await srv.stop();
}
