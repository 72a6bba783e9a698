// A loopback receiver standing in for a DingTalk custom robot, a WeCom group
// robot and a generic webhook (SPEC §7). It checks what Tiejun sends:
//   POST /robot/send?access_token=T[&timestamp=&sign=]  DingTalk: msgtype markdown
//       with markdown.title and markdown.text; with a secret registered for T, the
//       sign must be URL-encoded Base64(HMAC-SHA256(secret, timestamp + "\n" + secret))
//       and the timestamp (ms) within an hour of now (DingTalk's own rule);
//       answers {"errcode":0} or {"errcode":310000,"errmsg":"sign not match"}.
//   POST /cgi-bin/webhook/send?key=K  WeCom: msgtype markdown with markdown.content.
//   POST /hook/NAME  webhook: JSON with an event `id`; X-Tiejun-Signature must be the
//       hex HMAC-SHA256 of the raw body keyed with the secret registered for NAME.
// Each robot (its token, key or name) can be told to `fail` (500), `stall` (never
// answer), answer `429`, or `ok`. Everything received is recorded, valid or not.
// Standalone: node tests/notify/receiver.mjs [port] prints what arrives.
import http from 'node:http';
import { createHmac } from 'node:crypto';

export class Receiver {
  constructor() {
    this.received = [];      // {type, id (token/key/name), body, valid, why, at}
    this.secrets = new Map();  // token / name -> secret
    this.modes = new Map();    // token / key / name -> ok | fail | stall | 429
    this.stalled = [];
  }

  async start(port = 0) {
    this.server = http.createServer((req, res) => this.#on(req, res));
    for (let i = 0; ; i++) {
      const p = port || 27000 + 100 + Math.floor(Math.random() * 800);
      try {
        await new Promise((resolve, reject) => {
          this.server.once('error', reject);
          this.server.listen(p, '127.0.0.1', () => {
            this.server.off('error', reject);
            resolve();
          });
        });
        this.port = p;
        break;
      } catch (e) {
        if (port || i > 50) throw e;
      }
    }
    this.base = `http://127.0.0.1:${this.port}`;
    return this;
  }

  async stop() {
    for (const r of this.stalled.splice(0)) r.destroy();
    this.server.closeAllConnections?.();
    await new Promise((r) => this.server.close(r));
  }

  mode(id, m) {
    this.modes.set(id, m);
    if (m !== 'stall') for (const r of this.stalled.splice(0)) r.destroy();
  }

  of(id) {
    return this.received.filter((m) => m.id === id);
  }

  #on(req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://x');
      let type, id;
      if (url.pathname === '/robot/send') [type, id] = ['dingtalk', url.searchParams.get('access_token')];
      else if (url.pathname === '/cgi-bin/webhook/send') [type, id] = ['wecom', url.searchParams.get('key')];
      else if (url.pathname.startsWith('/hook/')) [type, id] = ['webhook', url.pathname.slice(6)];
      else {
        res.writeHead(404).end();
        return;
      }
      const mode = this.modes.get(id) || 'ok';
      if (mode === 'stall') {
        this.stalled.push(res.socket);
        return;
      }
      let body = null;
      try {
        body = JSON.parse(raw);
      } catch {
        /* recorded as invalid */
      }
      const why = this.#check(type, id, url, req.headers, raw, body);
      this.received.push({ type, id, body, raw, valid: why === '', why, mode, headers: req.headers, at: Date.now() });
      if (mode === 'fail') return res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
      if (mode === '429') return res.writeHead(429, { 'content-type': 'application/json' }).end('{"errcode":45009}');
      if (why && type === 'dingtalk' && why.startsWith('sign'))
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":310000,"errmsg":"sign not match"}');
      if (type === 'webhook') return res.writeHead(why ? 401 : 204).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  }

  // '' when the request is what the robot expects; else why not.
  #check(type, id, url, headers, raw, body) {
    if (!body || typeof body !== 'object') return 'not JSON';
    if (!String(headers['content-type'] || '').startsWith('application/json')) return 'content-type';
    if (type === 'dingtalk') {
      if (body.msgtype !== 'markdown') return 'msgtype';
      if (typeof body.markdown?.title !== 'string' || typeof body.markdown?.text !== 'string') return 'markdown shape';
      const secret = this.secrets.get(id);
      if (secret) {
        const ts = url.searchParams.get('timestamp');
        const sign = url.searchParams.get('sign');  // URLSearchParams decodes it once
        if (!ts || !sign) return 'sign missing';
        if (Math.abs(Date.now() - Number(ts)) > 3600 * 1000) return 'sign: timestamp too old';
        const want = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
        if (sign !== want) return `sign mismatch`;
        // the raw query carries it URL-encoded (no bare + / =)
        const rawSign = url.search.match(/[?&]sign=([^&]*)/)[1];
        if (rawSign !== encodeURIComponent(want)) return 'sign not URL-encoded';
      }
      return '';
    }
    if (type === 'wecom') {
      if (body.msgtype !== 'markdown') return 'msgtype';
      if (typeof body.markdown?.content !== 'string') return 'markdown shape';
      return '';
    }
    const secret = this.secrets.get(id);
    if (typeof body.id !== 'string' || !body.id) return 'no event id';
    const want = createHmac('sha256', secret || '').update(raw).digest('hex');
    if (headers['x-tiejun-signature'] !== want) return 'signature';
    return '';
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await new Receiver().start(Number(process.argv[2] || 0));
  console.log(`receiver on ${r.base}`);
  setInterval(() => {
    for (const m of r.received.splice(0)) console.log(m.type, m.id, m.valid ? 'valid' : `INVALID (${m.why})`, m.raw.slice(0, 200));
  }, 500);
}
