import { useId, useState, type ReactNode } from 'react';
import { Alert, Progress, Tag, Typography, toast } from '../ui';
import type { CompanyStatus } from '../api';
import { useI18n, type Key } from '../i18n';

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
  const [busy, setBusy] = useState(false);
  const run = async <T,>(fn: () => Promise<T>, onError?: (e: unknown) => boolean): Promise<T | undefined> => {
    setBusy(true);
    try {
      return await fn();
    } catch (e) {
      if (!onError || !onError(e)) toast.error(errText(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
