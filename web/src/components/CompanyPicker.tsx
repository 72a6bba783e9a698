// The search-as-you-type company picker of the visit, plan and booking forms (antd's Select with
// search). It uses antd: a light page loads it through lazyAntd (src/antd), on demand.
import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { Tag } from '../ui';
import { ApiError, get, type Company, type List } from '../api';
import { useI18n } from '../i18n';
import { useDebounced } from '../hooks';
import { useMe } from '../auth';
import { StatusTag } from './common';

/** Search-as-you-type company picker (GET /companies?q=). */
export default function CompanyPicker({
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
  defaultOpen,
}: {
  /** Opened (and focused) on its first render: the light field it replaces was tapped. */
  defaultOpen?: boolean;
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
  const [active, setActive] = useState(!!defaultOpen);
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
      defaultOpen={defaultOpen}
      autoFocus={defaultOpen}
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


export { CompanyPicker };
