// The visit queue (issue 15 part 5): every visit the form logs is first written to
// IndexedDB with an idempotency key made at submit time, then sent with the header
// `Idempotency-Key`. It leaves the queue only when the server has answered it:
// - 2xx: saved (a replay of the same key answers the first answer, so a send that is
//   retried, or repeated after a reload, still makes one visit);
// - no connection, 5xx, 429, 401/403 (logged out, no CSRF token yet) or 409
//   idempotency_in_progress: it stays `waiting` and is sent again on the `online` event,
//   at app start (setQueueUser) and every 30 s;
// - any other 4xx: `refused`, kept with the server's reason until the rep dismisses it.
// A queued visit belongs to the user who logged it and is sent only in that user's session.
import { csrf, type VisitResult } from '../api';

export interface QueuedVisit {
  key: string;
  user_id: number;
  body: Record<string, unknown>;
  company_name: string;
  queued_at: string; // ISO instant
  state: 'waiting' | 'refused';
  attempts: number;
  error?: { status: number; code: string; message: string };
}

export type SendOutcome =
  | { kind: 'sent'; result: VisitResult }
  | { kind: 'waiting' }
  | { kind: 'refused'; error: { status: number; code: string; message: string } };

const DB = 'tiejun-offline';
const STORE = 'visits';
let dbp: Promise<IDBDatabase> | null = null;
let memory: Map<string, QueuedVisit> | null = null; // no IndexedDB (a private window): the tab keeps it

function open(): Promise<IDBDatabase> {
  if (!dbp)
    dbp = new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new Error('no IndexedDB'));
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'key' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  return dbp;
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  let db: IDBDatabase;
  try {
    db = await open();
  } catch {
    memory ??= new Map();
    return undefined;
  }
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const req = fn(t.objectStore(STORE));
    t.oncomplete = () => resolve(req ? req.result : undefined);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

async function put(v: QueuedVisit) {
  await tx('readwrite', (s) => s.put(v));
  memory?.set(v.key, v);
}

async function remove(key: string) {
  await tx('readwrite', (s) => s.delete(key));
  memory?.delete(key);
}

export async function listQueued(userId?: number): Promise<QueuedVisit[]> {
  const all = ((await tx<QueuedVisit[]>('readonly', (s) => s.getAll() as IDBRequest<QueuedVisit[]>)) ??
    (memory ? [...memory.values()] : [])) as QueuedVisit[];
  return all
    .filter((v) => userId === undefined || v.user_id === userId)
    .sort((a, b) => a.queued_at.localeCompare(b.queued_at));
}

/** A new idempotency key: a UUID v4 (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------- listeners (the badge and the form) ----------

type Listener = () => void;
const listeners = new Set<Listener>();
export function subscribe(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
function changed() {
  listeners.forEach((fn) => fn());
}
const sentListeners = new Set<(key: string, r: VisitResult) => void>();
/** Told when a queued visit reaches the server (the form shows its result). */
export function onSent(fn: (key: string, r: VisitResult) => void): () => void {
  sentListeners.add(fn);
  return () => sentListeners.delete(fn);
}

// ---------- sending ----------

let language = 'zh-CN';
export function setQueueLanguage(l: string) {
  language = l;
}

async function post(v: QueuedVisit): Promise<SendOutcome> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': language,
    'Content-Type': 'application/json',
    'Idempotency-Key': v.key,
  };
  const t = csrf.get();
  if (!t) return { kind: 'waiting' }; // not logged in in this tab yet
  headers['X-CSRF-Token'] = t;
  let res: Response;
  try {
    res = await fetch('/api/v1/visits', { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(v.body), cache: 'no-store' });
  } catch {
    return { kind: 'waiting' };
  }
  let data: unknown = null;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    return { kind: 'waiting' }; // the answer was cut off: the key makes the next send safe
  }
  if (res.ok) return { kind: 'sent', result: data as VisitResult };
  const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
  const code = err?.code ?? 'http_' + res.status;
  const transient =
    res.status >= 500 || res.status === 429 || res.status === 401 || res.status === 408 ||
    (res.status === 403 && code === 'csrf') || (res.status === 409 && code === 'idempotency_in_progress');
  if (transient) return { kind: 'waiting' };
  return { kind: 'refused', error: { status: res.status, code, message: err?.message ?? res.statusText } };
}

async function sendOne(v: QueuedVisit): Promise<SendOutcome> {
  const out = await post(v);
  if (out.kind === 'sent') {
    await remove(v.key);
    sentListeners.forEach((fn) => fn(v.key, out.result));
  } else if (out.kind === 'refused') {
    await put({ ...v, state: 'refused', attempts: v.attempts + 1, error: out.error });
  } else {
    await put({ ...v, attempts: v.attempts + 1 });
  }
  changed();
  return out;
}

/** Queues a visit for `userId` (the form's submit) and tries to send it at once. */
export async function logVisit(userId: number, body: Record<string, unknown>, companyName: string): Promise<{ key: string; outcome: SendOutcome }> {
  const v: QueuedVisit = {
    key: newKey(),
    user_id: userId,
    body,
    company_name: companyName,
    queued_at: new Date().toISOString(),
    state: 'waiting',
    attempts: 0,
  };
  await put(v);
  changed();
  const outcome = await withLock(() => sendOne(v));
  return { key: v.key, outcome };
}

/** Drops a refused visit (the rep has read the reason), or a waiting one the rep gives up. */
export async function dismiss(key: string) {
  await remove(key);
  changed();
}

// One sender at a time, across tabs when the browser has Web Locks.
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (locks) return locks.request('tiejun-visit-queue', fn) as Promise<T>;
  return fn();
}

let user: number | null = null;
let flushing: Promise<void> | null = null;

/** Sends every waiting visit of the current user, oldest first; stops at the first that must wait. */
export function flush(): Promise<void> {
  if (user === null) return Promise.resolve();
  if (flushing) return flushing;
  const u = user;
  flushing = withLock(async () => {
    for (const v of await listQueued(u)) {
      if (v.state !== 'waiting') continue;
      const out = await sendOne(v);
      if (out.kind === 'waiting') break; // still offline (or logged out): try again later
    }
  }).finally(() => {
    flushing = null;
  });
  return flushing;
}

let started = false;
/** Names the logged-in user (null when logged out) and starts sending their waiting visits. */
export function setQueueUser(id: number | null) {
  user = id;
  if (!started) {
    started = true;
    window.addEventListener('online', () => void flush());
    setInterval(() => void flush(), 30_000);
  }
  void flush();
}
