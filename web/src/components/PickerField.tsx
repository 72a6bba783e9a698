// The company picker as a form shows it before anyone touches it: the chosen companies and a
// tap target, in plain markup. The first tap loads the real picker (antd's searchable Select,
// CompanyPicker.tsx, through lazyAntd) and opens it: a form on a first screen (Today's plan)
// then costs the page no antd (issue 15).
import { Suspense, useState, type ComponentProps } from 'react';
import { lazyAntd } from '../antd';
import { useI18n } from '../i18n';

const Picker = lazyAntd(() => import('./CompanyPicker'));

type Props = ComponentProps<typeof Picker> & { id?: string };

export default function PickerField(p: Props) {
  const { t } = useI18n();
  const [live, setLive] = useState(false);
  const ids = Array.isArray(p.value) ? p.value : p.value ? [p.value] : [];
  const names = new Map((p.initial ?? []).map((c) => [c.id, c.name]));
  const shown = ids.map((id) => names.get(id) ?? `#${id}`);
  const placeholder = p.placeholder ?? t('picker.placeholder');
  const light = (
    <button
      type="button"
      id={p.id}
      className="tj-picker-field"
      data-testid={live ? undefined : p.testId}
      aria-haspopup="listbox"
      aria-label={p['aria-label']}
      onClick={() => setLive(true)}
      onFocus={() => import('./CompanyPicker').catch(() => undefined)}
    >
      {shown.length ? shown.map((n, i) => <span className="tj-tag" key={i}>{n}</span>) : <span className="tj-picker-ph">{placeholder}</span>}
    </button>
  );
  if (!live) return light;
  return (
    <Suspense fallback={light}>
      <Picker {...p} defaultOpen />
    </Suspense>
  );
}
