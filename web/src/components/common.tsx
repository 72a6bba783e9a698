import { useEffect, useState, type ReactNode } from 'react';
import { Alert, App, Empty, Progress, Select, Tag, Typography } from 'antd';
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
    <Tag color={statusColor[status]} style={status === 'dropped' ? { color: '#8c8c8c' } : undefined} data-status={status}>
      {t(`status.${status}` as Key)}
    </Tag>
  );
}

/** A localized sentence for an API error; the server's own words as a fallback. */
export function useErrText() {
  const { t } = useI18n();
  return (e: unknown): string => {
    if (e instanceof ApiError) {
      const k = `err.${e.code}` as Key;
      const s = t(k);
      if (s !== k) return s;
      if (e.status === 0) return t('err.network');
      return e.message;
    }
    return e instanceof Error ? e.message : String(e);
  };
}

export function ErrorBox({ error }: { error: unknown }) {
  const errText = useErrText();
  if (!error) return null;
  return <Alert type="error" showIcon message={errText(error)} style={{ marginBottom: 12 }} />;
}

/** The empty state for a feature whose server endpoint is not there yet. */
export function ComingSoon({ what }: { what: Key }) {
  const { t } = useI18n();
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <div>
          <div style={{ fontWeight: 600 }}>{t('soon.title')}</div>
          <div className="tj-muted" style={{ maxWidth: 420, margin: '4px auto 0' }}>{t(what)}</div>
        </div>
      }
    />
  );
}

export function ratio(done: number, quota: number): number {
  if (quota <= 0) return done > 0 ? 100 : 0;
  return Math.min(100, Math.round((done / quota) * 100));
}

export function QuotaRing({ label, done, quota, testId, size = 88 }: { label: ReactNode; done: number; quota: number; testId?: string; size?: number }) {
  const { t } = useI18n();
  const pct = ratio(done, quota);
  const reached = quota > 0 && done >= quota;
  return (
    <div className="tj-stat-ring" data-testid={testId} data-done={done} data-quota={quota}>
      <Progress
        type="circle"
        percent={pct}
        size={size}
        strokeWidth={9}
        strokeColor={reached ? '#52c41a' : { '0%': '#f2641c', '100%': '#c8281e' }}
        format={() => (reached ? '✓' : `${pct}%`)}
      />
      <div style={{ minWidth: 0 }}>
        <div className="label">{label}</div>
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
}: {
  value?: number | number[] | null;
  onChange?: (v: any) => void;
  multiple?: boolean;
  initial?: Company[];
  placeholder?: string;
  testId?: string;
  onPicked?: (c: Company | undefined) => void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 250);
  const [opts, setOpts] = useState<Company[]>(initial ?? []);
  const [known, setKnown] = useState<Map<number, Company>>(() => new Map((initial ?? []).map((c) => [c.id, c])));
  const [loading, setLoading] = useState(false);
  // The list loads when the picker is first opened or searched, not with the page (issue 15:
  // a page's first screen makes one or two requests).
  const [active, setActive] = useState(false);
  useEffect(() => {
    if (!active) return;
    let stale = false;
    setLoading(true);
    // A rep's picker starts from (and searches) their own companies: after the nightly release the most
    // recently updated companies are pool companies they cannot visit (issue 15).
    get<List<Company>>('/companies', { q: dq, limit: 20, sort: '-updated_at', owner_id: me.role === 'rep' ? me.id : undefined })
      .then((l) => {
        if (stale) return;
        setOpts(l.items);
        setKnown((m) => {
          const n = new Map(m);
          l.items.forEach((c) => n.set(c.id, c));
          return n;
        });
      })
      .catch(() => {})
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [dq, active]);
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
