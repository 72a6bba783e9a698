// A thin client for Tiejun's /api/v1. The session lives in an HttpOnly cookie;
// the CSRF token given at login is kept in sessionStorage so a reload keeps
// working, and is sent as X-CSRF-Token on every write.

export class ApiError extends Error {
  status: number;
  code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
  /** The route itself does not exist (yet): an endpoint another part of the server adds later. */
  get missingRoute(): boolean {
    return this.status === 404 && /^route not found/.test(this.message);
  }
}

const CSRF_KEY = 'tj_csrf';
export const csrf = {
  get: () => sessionStorage.getItem(CSRF_KEY),
  set: (v: string) => sessionStorage.setItem(CSRF_KEY, v),
  clear: () => sessionStorage.removeItem(CSRF_KEY),
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
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${query ? qs(query) : ''}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
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

/** GET an endpoint that may not exist yet: resolves to null when the route is missing. */
export async function getOptional<T>(path: string, query?: Record<string, QueryValue>): Promise<T | null> {
  try {
    return await get<T>(path, query);
  } catch (e) {
    if (e instanceof ApiError && e.missingRoute) return null;
    throw e;
  }
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

export type Role = 'rep' | 'manager' | 'director' | 'admin';

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  team_id: number | null;
  hire_date: string | null;
  selling_style: string;
  active: boolean;
  version: number;
}

export interface Me extends User {
  org: { id: number; name: string };
  timezone: string;
  must_change_password?: boolean;  // after an admin's reset: only the password form until changed
}

export interface Team {
  id: number;
  name: string;
  parent_id: number | null;
  manager_id: number | null;
  version: number;
}

export type CompanyStatus = 'prospect' | 'contacted' | 'effective' | 'signed' | 'nurture' | 'dropped';
export const COMPANY_STATUSES: CompanyStatus[] = ['prospect', 'contacted', 'effective', 'signed', 'nurture', 'dropped'];

export interface Contact {
  id: number;
  company_id: number;
  name: string;
  title: string;
  is_payer: boolean;
  style: string;
  phone: string;
  version: number;
}

export interface Company {
  id: number;
  name: string;
  industry: string;
  fit?: RepFit;
  industry_rank: number | null;
  region: string;
  budget_capacity: number | null;
  source: string;
  competitor: string;
  /** Street address and place (migration 0019); `call` on GET /companies only (tap-to-call). */
  address?: string;
  location?: { lat: number; lng: number } | null;
  call?: { name: string; phone: string; is_payer: boolean } | null;
  owner_id: number | null;
  status: CompanyStatus;
  is_new: boolean;
  effective: boolean;
  need: boolean;
  budget: boolean;
  payer_met: boolean;
  effective_at: string | null;
  effective_by: number | null;
  signed_at: string | null;
  first_visit_at: string | null;
  last_visit_at: string | null;
  visit_count: number;
  interest_reason: string;
  attraction: string;
  concerns: string;
  nurture_reason: string | null;
  revisit_on: string | null;
  drop_reason: string | null;
  version: number;
  created_at: string | null;
  updated_at: string | null;
  contacts?: Contact[];
}

export type VisitKind = 'visit' | 'call' | 'accompanied';

export interface Visit {
  id: number;
  company_id: number;
  rep_id: number;
  at: string;
  day: string;
  kind: VisitKind;
  duration_min: number | null;
  was_new: boolean;
  met_payer: boolean | null;
  need: boolean | null;
  budget: boolean | null;
  made_effective: boolean;
  companion_id: number | null;
  coaching_stage: number | null;
  interest_reason: string;
  attraction: string;
  concerns: string;
  notes: string;
}

export interface VisitResult extends Visit {
  status: CompanyStatus;
  effective: boolean;
  company: Company;
}

export interface Deal {
  id: number;
  company_id: number;
  rep_id: number;
  amount: number;
  signed_on: string;
}

export interface List<T> {
  items: T[];
  next_cursor: string | null;
}

export interface RepMetrics {
  rep_id: number;
  display_name: string;
  team_id: number | null;
  active: boolean;
  visits: number;
  visits_new: number;
  effective_new: number;
  deals: number;
  signed_amount: number;
  new_share: number | null;
  quota_effective_new: number;
  quota_visits_new: number;
  attainment: number | null;
  attainment_visits: number | null;
}

export interface MetricsList extends List<RepMetrics> {
  range: { from: string; to: string; working_days: number; timezone: string };
}

export interface Plan {
  rep_id: number;
  date: string;
  company_ids: number[];
  goal: string;
  visits_planned: number | null;
  notes: string;
  version: number;
}

export interface Review {
  rep_id: number;
  date: string;
  wins: string;
  problems: string;
  help_wanted: string;
  notes: string;
  version: number;
  results?: { visits: number; visits_new: number; effective_new: number; deals: number; signed_amount: number };
}

export interface Alert {
  kind: string;
  company_id: number | null;
  rep_id: number | null;
  message: string;
  [k: string]: unknown;
}

export interface Settings {
  timezone: string;
  min_order_value: number;
  quota_visits_new: number;
  quota_effective_new: number;
  new_share_min: number;
  nurture_cap: number;
  pool_release_days: number;
  session_idle_minutes: number;
  working_days: string;
  holidays: string[];
  version: number;
  industries?: Industry[];
  vocabulary_report?: { field: string; value: string; mapped_to: string; action: 'mapped' | 'added' | 'cleared'; count: number }[];
}

/** One industry of the organisation's managed list (settings `industries`). */
export interface Industry {
  name: string;
  aliases: string[];
}

/** Rep–buyer fit of the asking rep with a buyer (on prospects and on the companies they own). */
export interface RepFit {
  payer_style: string | null;
  payer_style_name?: string | null;
  level: 'good' | 'fair' | 'poor' | 'unknown';
  win_rate: number | null;
  trials: number;
  wins: number;
  prior: number;
  same_style: boolean;
}

export interface Target {
  id: number;
  scope: 'rep' | 'team';
  scope_id: number;
  metric: 'visits_new' | 'effective_new' | 'signed_amount';
  period: 'day' | 'month';
  value: number;
  reason: string;
  set_by: number | null;
  version: number;
}
