import { useEffect, useId, useState, type ReactNode } from 'react';
import { Alert, App, Progress, Select, Tag, Typography } from 'antd';
import { ApiError, get, type Company, type CompanyStatus, type List } from '../api';
import { useI18n, type Key } from '../i18n';
import { useDebounced } from '../hooks';
import { useMe } from '../auth';

export const statusColor: Record<CompanyStatus, string> = {
  prospect: 'default',
  contacted: 'blue',
  effective: 'volcano',
  signed: 'green',
  nurture: 'gold',
  dropped: 'default',
};

export function StatusTag({ status }: { status: CompanyStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={statusColor[status]} style={status === 'dropped' ? { color: '#595959' } : undefined} data-status={status}>
      {t(`status.${status}` as Key)}
    </Tag>
  );
}

/** A localized sentence for an API error; the server's own words as a fallback. */
// The message for a failed call (one home: src/errText.ts; kept here for the pages' imports).
export { useErrText } from '../errText';
import { useErrText } from '../errText';

export function ErrorBox({ error }: { error: unknown }) {
  const errText = useErrText();
  if (!error) return null;
  return <Alert type="error" showIcon message={errText(error)} style={{ marginBottom: 12 }} />;
}

export function ratio(done: number, quota: number): number {
  if (quota <= 0) return done > 0 ? 100 : 0;
  return Math.min(100, Math.round((done / quota) * 100));
}

export function QuotaRing({ label, done, quota, testId, size = 88 }: { label: ReactNode; done: number; quota: number; testId?: string; size?: number }) {
  const { t } = useI18n();
  const pct = ratio(done, quota);
  const reached = quota > 0 && done >= quota;
  const labelId = useId();
  return (
    <div className="tj-stat-ring" data-testid={testId} data-done={done} data-quota={quota}>
      <Progress
        aria-labelledby={labelId}
        type="circle"
        percent={pct}
        size={size}
        strokeWidth={9}
        strokeColor={reached ? '#52c41a' : { '0%': '#f2641c', '100%': '#c8281e' }}
        format={() => (reached ? '✓' : `${pct}%`)}
      />
      <div style={{ minWidth: 0 }}>
        <div className="label" id={labelId}>{label}</div>
        <div className="value">
          {done}
          <small> / {t('today.dailyQuotaN', { n: quota })}</small>
        </div>
        <div className="tj-muted" style={{ fontSize: 12 }}>
          {quota === 0 ? t('today.noQuota') : reached ? t('today.reached') : t('today.toGo', { n: quota - done })}
        </div>
      </div>
    </div>
  );
}

export function Bool({ v }: { v: boolean | null | undefined }) {
  const { t } = useI18n();
  if (v === null || v === undefined) return <span className="tj-muted">—</span>;
  return v ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>;
}

/** Search-as-you-type company picker (GET /companies?q=). */
export function CompanyPicker({
  value,
  onChange,
  multiple,
  initial,
  placeholder,
  testId,
  onPicked,
  ownerId,
  id,
  'aria-label': ariaLabel,
}: {
  /** Given by Form.Item: the control's id, which its label names. */
  id?: string;
  'aria-label'?: string;
  value?: number | number[] | null;
  onChange?: (v: any) => void;
  multiple?: boolean;
  initial?: Company[];
  placeholder?: string;
  testId?: string;
  onPicked?: (c: Company | undefined) => void;
  /** The user whose companies come first: with no search text the list is theirs only
   *  (most recently updated first), a search lists theirs before the others; the last list
   *  of theirs is kept on the device for a search without signal. */
  ownerId?: number;
}) {
  const { t } = useI18n();
  const me = useMe();
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 250);
  const [opts, setOpts] = useState<Company[]>(initial ?? []);
  const [known, setKnown] = useState<Map<number, Company>>(() => new Map((initial ?? []).map((c) => [c.id, c])));
  const [loading, setLoading] = useState(false);
  const [offline, setOffline] = useState(false);
  // The list loads when the picker is first opened or searched, not with the page (issue 15:
  // a page's first screen makes one or two requests).
  const [active, setActive] = useState(false);
  // A rep's picker starts from their own companies: after the nightly release the most recently
  // updated companies are pool companies they cannot visit (issue 15).
  const owner = ownerId ?? (me.role === 'rep' ? me.id : undefined);
  useEffect(() => {
    if (!active) return;
    let stale = false;
    setLoading(true);
    const query = owner && !dq.trim() ? { owner_id: owner, limit: 20, sort: '-updated_at' } : { q: dq, limit: 20, sort: '-updated_at' };
    get<List<Company>>('/companies', query)
      .then((l) => {
        if (stale) return;
        setOffline(false);
        if (owner && !dq.trim()) saveMine(owner, l.items);
        return owner ? [...l.items.filter((c) => c.owner_id === owner), ...l.items.filter((c) => c.owner_id !== owner)] : l.items;
      })
      .catch((e) => {
        // No connection: the rep's own companies as last loaded, filtered by the search text.
        if (stale || !owner || !(e instanceof ApiError && e.status === 0)) return undefined;
        setOffline(true);
        const needle = dq.trim().toLowerCase();
        return loadMine(owner).filter((c) => !needle || c.name.toLowerCase().includes(needle));
      })
      .then((items) => {
        if (stale || !items) return;
        setOpts(items);
        setKnown((m) => {
          const n = new Map(m);
          items.forEach((c) => n.set(c.id, c));
          return n;
        });
      })
      .catch(() => {})
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [dq, active, owner]);
  useEffect(() => {
    if (initial?.length)
      setKnown((m) => {
        const n = new Map(m);
        initial.forEach((c) => n.set(c.id, c));
        return n;
      });
  }, [initial]);
  const selected = (Array.isArray(value) ? value : value ? [value] : []).map((id) => known.get(id)).filter(Boolean) as Company[];
  const all = [...selected, ...opts.filter((o) => !selected.some((s) => s.id === o.id))];
  return (
    <Select
      id={id}
      aria-label={ariaLabel ?? (id ? undefined : placeholder ?? t('picker.placeholder'))}
      data-testid={testId}
      mode={multiple ? 'multiple' : undefined}
      showSearch
      allowClear
      value={value ?? undefined}
      placeholder={placeholder ?? t('picker.placeholder')}
      filterOption={false}
      onSearch={(v) => {
        setActive(true);
        setQ(v);
      }}
      onDropdownVisibleChange={(open) => open && setActive(true)}
      onFocus={() => setActive(true)}
      loading={loading}
      notFoundContent={loading ? t('common.loading') : t('picker.none')}
      dropdownRender={
        ownerId
          ? (menu) => (
              <>
                <div className="tj-muted" style={{ padding: '4px 12px', fontSize: 12 }} data-testid={testId ? `${testId}-scope` : undefined}>
                  {offline ? t('picker.offline') : dq.trim() ? t('picker.search') : t('picker.mine')}
                </div>
                {menu}
              </>
            )
          : undefined
      }
      onChange={(v) => {
        onChange?.(v);
        if (!multiple) onPicked?.(known.get(v as number));
      }}
      style={{ width: '100%' }}
      size="large"
      optionLabelProp="label"
      options={all.map((c) => ({
        value: c.id,
        label: c.name,
        title: c.name,
        c,
      }))}
      optionRender={(o) => {
        const c = (o.data as { c: Company }).c;
        return (
          <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
            <span style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>{c.name}</span>
            {c.owner_id === null ? <Tag color="purple">{t('pool.tag')}</Tag> : <StatusTag status={c.status} />}
          </div>
        );
      }}
    />
  );
}

// The picker's last list of a user's own companies, kept on the device (localStorage) so the
// visit form can pick one without signal.
const MINE_KEY = 'tj_my_companies_';
function saveMine(owner: number, items: Company[]) {
  try {
    localStorage.setItem(MINE_KEY + owner, JSON.stringify(items));
  } catch {
    /* storage full or refused: only the offline fallback is lost */
  }
}
function loadMine(owner: number): Company[] {
  try {
    const v = JSON.parse(localStorage.getItem(MINE_KEY + owner) ?? '[]');
    return Array.isArray(v) ? (v as Company[]) : [];
  } catch {
    return [];
  }
}

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 12, marginBottom: 12, flexWrap: 'wrap' }}>
      <Typography.Title level={4} style={{ margin: 0, flex: 1, minWidth: 0 }}>
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}

/**
 * The request-state block of every button and form, once: `busy` while the action runs, a
 * localized error toast when it fails (unless `onError` handles it and returns true), never a
 * thrown rejection. `run` answers the action's value, or undefined when it failed.
 */
export function useAction() {
  const errText = useErrText();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async <T,>(fn: () => Promise<T>, onError?: (e: unknown) => boolean): Promise<T | undefined> => {
    setBusy(true);
    try {
      return await fn();
    } catch (e) {
      if (!onError || !onError(e)) message.error(errText(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
