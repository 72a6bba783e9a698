import type { components } from './api/schema';

// A thin client for Tiejun's /api/v1. The session lives in an HttpOnly cookie; the
// CSRF token (from the login, or from GET /api/v1/session in a new tab or after a
// reload) is kept in memory and sent as X-CSRF-Token on every write.

export class ApiError extends Error {
  status: number;
  code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let csrfToken: string | null = null;
export const csrf = {
  get: () => csrfToken,
  set: (v: string) => {
    csrfToken = v;
  },
  clear: () => {
    csrfToken = null;
  },
};

let onUnauthorized: (() => void) | null = null;
// The server words its verdicts (alerts, reasons, diagnosis) in the UI's language.
let acceptLanguage = 'zh-CN';
export function setApiLanguage(l: string) {
  acceptLanguage = l;
}
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

export type QueryValue = string | number | boolean | null | undefined;

export function qs(params: Record<string, QueryValue>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

// GETs started before the code that reads them has loaded (main.tsx starts GET /session
// beside the app's code). The first api() call for the same URL takes the answer; later calls
// fetch again.
const prefetched = new Map<string, Promise<Response>>();

/** Starts a GET now; the next `get` of the same path and query uses its answer. */
export function prefetch(path: string, query?: Record<string, QueryValue>): void {
  const url = `/api/v1${path}${query ? qs(query) : ''}`;
  if (prefetched.has(url)) return;
  const p = fetch(url, { headers: { Accept: 'application/json', 'Accept-Language': acceptLanguage }, credentials: 'same-origin' });
  p.catch(() => undefined); // a failure is reported to the reader, not as an unhandled rejection
  prefetched.set(url, p);
}

export async function api<T = unknown>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  query?: Record<string, QueryValue>,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': acceptLanguage };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const t = csrf.get();
    if (t) headers['X-CSRF-Token'] = t;
  }
  const url = `/api/v1${path}${query ? qs(query) : ''}`;
  const early = method === 'GET' ? prefetched.get(url) : undefined;
  if (early) prefetched.delete(url);
  let res: Response;
  try {
    res = await (early ??
      fetch(url, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      }));
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  if (res.status === 204) return undefined as T;
  let data: unknown = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    const e = new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? res.statusText);
    if (res.status === 401 && path !== '/session' && onUnauthorized) onUnauthorized();
    throw e;
  }
  return data as T;
}

/** Sends a file's bytes as the request body (imports) and parses the JSON answer. */
/**
 * Posts a file as the raw body (imports). XMLHttpRequest rather than fetch, so that
 * onUpload can follow the upload of a big file (loaded and total bytes).
 */
export function postFile<T>(
  path: string,
  file: Blob,
  query?: Record<string, QueryValue>,
  onUpload?: (loaded: number, total: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}${query ? qs(query) : ''}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', acceptLanguage);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    const t = csrf.get();
    if (t) xhr.setRequestHeader('X-CSRF-Token', t);
    if (onUpload) xhr.upload.onprogress = (e) => onUpload(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
        if (xhr.status === 401 && onUnauthorized) onUnauthorized();
        reject(new ApiError(xhr.status, err?.code ?? 'http_' + xhr.status, err?.message ?? xhr.statusText));
        return;
      }
      resolve(data as T);
    };
    xhr.send(file);
  });
}

/** Downloads a file answer (exports): returns the blob, its file name and the X-Export-Rows count. */
export async function download(path: string, query?: Record<string, QueryValue>): Promise<{ blob: Blob; filename: string; rows: number | null }> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${query ? qs(query) : ''}`, { credentials: 'same-origin', headers: { 'Accept-Language': acceptLanguage } });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  if (!res.ok) {
    let err: { code?: string; message?: string } | undefined;
    try {
      err = (await res.json())?.error;
    } catch {
      err = undefined;
    }
    if (res.status === 401 && onUnauthorized) onUnauthorized();
    throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? res.statusText);
  }
  const cd = res.headers.get('content-disposition') ?? '';
  const m = cd.match(/filename="?([^";]+)"?/);
  const rows = res.headers.get('x-export-rows');
  return { blob: await res.blob(), filename: m ? m[1] : 'export', rows: rows === null ? null : Number(rows) };
}

export const get = <T>(path: string, query?: Record<string, QueryValue>) => api<T>('GET', path, undefined, query);

/** Every page of a paged list (follows next_cursor; at most `maxPages` requests). */
export async function getAllPages<T>(path: string, query: Record<string, QueryValue>, maxPages = 20): Promise<List<T>> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: List<T> = await get<List<T>>(path, cursor ? { ...query, cursor } : query);
    items.push(...page.items);
    cursor = page.next_cursor ?? null;
    if (!cursor) break;
  }
  return { items, next_cursor: cursor };
}

/** GET a record that may legitimately be absent (a plan not written yet): null on 404. */
export async function getOr404<T>(path: string, query?: Record<string, QueryValue>): Promise<T | null> {
  try {
    return await get<T>(path, query);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

// ---------- the shapes the server returns ----------
// Generated from docs/openapi.json (npm run gen:api → src/api/schema.d.ts); a change of
// the API that the UI does not follow fails `tsc`. Add a name here rather than writing a shape.
type Schemas = components['schemas'];
export type Schema<K extends keyof Schemas> = Schemas[K];

export type User = Schema<'User'>;
export type Role = User['role'];
export type Me = Schema<'Me'>;
export type LoginResponse = Schema<'LoginResponse'>;
export type SessionInfo = Schema<'SessionInfo'>;
export type Team = Schema<'Team'>;
export type Company = Schema<'Company'> & { contacts?: Contact[] };
export type CompanyDetail = Schema<'CompanyDetail'>;
export type CompanyStatus = Company['status'];
export const COMPANY_STATUSES: CompanyStatus[] = ['prospect', 'contacted', 'effective', 'signed', 'nurture', 'dropped'];
export type Contact = Schema<'Contact'>;
export type Visit = Schema<'Visit'>;
export type VisitKind = Visit['kind'];
export type VisitResult = Schema<'VisitCreated'>;
export type Deal = Schema<'Deal'>;
export type RepMetrics = Schema<'RepMetrics'>;
export type MetricsList = Schema<'RepMetricsList'>;
export type Plan = Schema<'Plan'>;
export type Review = Schema<'Review'>;
export type Alert = Schema<'Alert'>;
export type AlertKind = Alert['kind'];
export type Settings = Schema<'Settings'>;
/** One industry of the organisation's managed list (settings `industries`). */
export type Industry = Settings['industries'][number];
/** Rep–buyer fit of the asking rep with a buyer (on prospects and on the companies they own). */
export type RepFit = Schema<'RepFit'>;
export type Target = Schema<'Target'>;
/** A target's progress (GET /targets/progress, and the today and team views). */
export type TargetProgress = Schema<'TargetProgress'>;
/** An accompanied visit 陪访 a manager booked with a rep. */
export type Booking = Schema<'Booking'>;

/** A page of a list: the generated lists all have this shape. */
export interface List<T> {
  items: T[];
  next_cursor: string | null;
}
