// The light pieces the customer pages (Customers, CustomerDetail, Prospects) draw on their first
// screen, in the kit (../ui) and plain markup: no antd (issue 15). The antd forms these pages open
// live in CompanyForm.tsx and customerDialogs.tsx and are loaded on first use.
import { Suspense, useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import { Button, Select, Tag } from '../ui';
import { get, type Industry, type RepFit, type Settings } from '../api';
import { useI18n, type Key } from '../i18n';
import { useAsync } from '../hooks';
import './companyParts.css';

export { SOURCES, STYLES } from './labels';

// The organisation's industry list, read once per page load (settings change rarely); also the
// list of Industries.tsx's picker (its loadIndustries).
let industriesCache: Promise<Industry[]> | null = null;
export function loadIndustryList(): Promise<Industry[]> {
  if (!industriesCache)
    industriesCache = get<Settings>('/settings')
      .then((s) => s.industries ?? [])
      .catch((e) => {
        industriesCache = null;
        throw e;
      });
  return industriesCache;
}
/** The list changed (the admin saved it): the next read asks again. */
export function forgetIndustryList() {
  industriesCache = null;
}

/** The industry filter: a native select of the list's names (empty: any industry). */
export function IndustryFilter({ value, onChange, style, id, 'aria-label': ariaLabel }: { value?: string; onChange?: (v: string) => void; style?: CSSProperties; id?: string; 'aria-label'?: string }) {
  const { t } = useI18n();
  const list = useAsync(loadIndustryList, []);
  const options = (list.data ?? []).map((i) => ({ value: i.name, label: i.name }));
  if (value && !options.some((o) => o.value === value)) options.push({ value, label: value });
  return (
    <Select<string>
      id={id}
      aria-label={ariaLabel}
      allowClear
      placeholder={t('industries.pick')}
      value={value || undefined}
      onChange={(v) => onChange?.(v ?? '')}
      options={options}
      data-testid="industry-select"
      style={style}
    />
  );
}

/** A small tag: how well this buyer suits the asking rep (SPEC §3 rep–buyer fit). */
export function FitTag({ fit }: { fit?: RepFit }) {
  const { t, fmt } = useI18n();
  if (!fit || fit.level === 'unknown') return null;
  const color = fit.level === 'good' ? 'green' : fit.level === 'poor' ? 'orange' : undefined;
  const level = t(`fit.level.${fit.level}` as Key);
  return (
    <Tag color={color} data-testid="fit-tag">
      {t('fit.forYou', { level, rate: fit.win_rate === null ? '—' : fmt.pct(fit.win_rate) })}
      {fit.payer_style ? ` · ${t(`style.${fit.payer_style}` as Key)}` : ''}
    </Tag>
  );
}

/** Label–value pairs in one column (antd's Descriptions column={1} size="small"). */
export function Pairs({ items, labelWidth = 110 }: { items: { label: ReactNode; children: ReactNode }[]; labelWidth?: number }) {
  return (
    <dl className="tj-pairs" style={{ gridTemplateColumns: `minmax(0, ${labelWidth}px) minmax(0, 1fr)` }}>
      {items.map((it, i) => (
        <div className="tj-pairs-row" key={i}>
          <dt>{it.label}</dt>
          <dd>{it.children}</dd>
        </div>
      ))}
    </dl>
  );
}

const DOT: Record<string, string> = { red: '#f5222d', purple: '#722ed1', blue: '#1677ff', green: '#52c41a', gray: '#bfbfbf' };

/** A vertical timeline: a dot (or an icon) per item and a line between them. */
export function Timeline({ items, style }: { items: { key?: string | number; color?: string; dot?: ReactNode; children: ReactNode }[]; style?: CSSProperties }) {
  return (
    <ol className="tj-tl" style={style}>
      {items.map((it, i) => (
        <li className="tj-tl-item" key={it.key ?? i}>
          <span className="tj-tl-head" aria-hidden="true">
            {it.dot ?? <span className="tj-tl-dot" style={{ borderColor: DOT[it.color ?? 'blue'] ?? it.color }} />}
          </span>
          <div className="tj-tl-content">{it.children}</div>
        </li>
      ))}
    </ol>
  );
}

/** A page-sized answer to a failed load (antd's Result): a heading and a way back. */
export function Outcome({ status, title, extra }: { status: '404' | 'error'; title: ReactNode; extra?: ReactNode }) {
  return (
    <div className="tj-outcome" role={status === 'error' ? 'alert' : undefined}>
      <div className="tj-outcome-icon" aria-hidden="true">
        {status === '404' ? '404' : '!'}
      </div>
      <h2 className="tj-outcome-title">{title}</h2>
      {extra && <div className="tj-outcome-extra">{extra}</div>}
    </div>
  );
}

export interface MenuItem {
  key: string;
  label: ReactNode;
  icon?: ReactNode;
  disabled?: boolean;
  danger?: boolean;
}

/**
 * A button that opens a small menu of actions (antd's Dropdown with trigger click): the menu
 * has role "menu", its entries "menuitem"; arrows move, Esc and a click elsewhere close it.
 */
export function ActionMenu({ items, onPick, label, icon, testId }: { items: MenuItem[]; onPick: (key: string) => void; label: string; icon: ReactNode; testId?: string }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const trigger = () => box.current?.querySelector<HTMLElement>('.tj-amenu-trigger');
  const entries = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]:not(:disabled)') ?? [])];
  useEffect(() => {
    if (!open) return;
    entries()[0]?.focus();
    const away = (e: Event) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    document.addEventListener('touchstart', away);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('touchstart', away);
    };
  }, [open]);
  const keys = (e: KeyboardEvent) => {
    const list = entries();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
      trigger()?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      list[(at + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      list[e.key === 'Home' ? 0 : list.length - 1]?.focus();
    } else if (e.key === 'Tab') setOpen(false);
  };
  return (
    <div className="tj-amenu-box" ref={box}>
      <Button className="tj-amenu-trigger" icon={icon} aria-label={label} aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid={testId} />
      {open && (
        <div className="tj-amenu" role="menu" aria-label={label} ref={menu} onKeyDown={keys}>
          {items.map((it) => (
            <button
              type="button"
              role="menuitem"
              key={it.key}
              disabled={it.disabled}
              className={it.danger ? 'tj-amenu-item tj-amenu-danger' : 'tj-amenu-item'}
              onClick={() => {
                setOpen(false);
                onPick(it.key);
              }}
            >
              {it.icon && <span className="tj-amenu-icon" aria-hidden="true">{it.icon}</span>}
              <span>{it.label}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * Renders `children` (a lazily loaded dialog) from the first time `when` is true on, so that its
 * code (and antd's) is fetched when the user first opens it, never on the page's first screen,
 * and a dialog once shown stays mounted to close with its animation.
 */
export function Later({ when, children }: { when: boolean; children: ReactNode }) {
  const [seen, setSeen] = useState(when);
  if (when && !seen) setSeen(true);
  return seen ? <Suspense fallback={null}>{children}</Suspense> : null;
}
