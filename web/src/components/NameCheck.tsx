import { useEffect, useState } from 'react';
import { Alert, Button } from '../ui';
import { get } from '../api';
import { useDebounced } from '../hooks';
import { useI18n } from '../i18n';
import { useRouter } from '../router';

interface Answer {
  exists: boolean;
  owner_name: string | null;
  company_id: number | null;
  in_pool: boolean;
  mine: boolean;
}

/** 查重 as the rep types a company's name: GET /companies/check, debounced. */
export function NameCheck({ name, exceptId }: { name: string | undefined; exceptId?: number }) {
  const { t } = useI18n();
  const { navigate } = useRouter();
  const typed = (name ?? '').trim();
  const dname = useDebounced(typed, 400);
  const [answer, setAnswer] = useState<{ name: string; a: Answer } | null>(null);
  useEffect(() => {
    if (!dname) return;
    let live = true;
    const q: Record<string, string | number> = { name: dname };
    if (exceptId) q.except_id = exceptId;
    get<Answer>('/companies/check', q)
      .then((a) => live && setAnswer({ name: dname, a }))
      .catch(() => live && setAnswer(null));  // nothing to compare (e.g. only punctuation): say nothing
    return () => {
      live = false;
    };
  }, [dname, exceptId]);
  if (!typed) return null;
  if (!answer || answer.name !== typed) return <div style={{ color: '#999', fontSize: 12 }}>{t('dup.checking')}</div>;
  const a = answer.a;
  if (!a.exists) return <div style={{ color: '#237804', fontSize: 12 }} data-testid="name-check">{t('dup.free')}</div>;
  const text = a.mine ? t('dup.mine') : a.in_pool ? t('dup.inPool') : t('dup.exists', { owner: a.owner_name ?? '' });
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 4 }}
      data-testid="name-check"
      message={text}
      action={
        a.company_id ? (
          <Button size="small" onClick={() => navigate(`/customers/${a.company_id}`)}>
            {t('dup.open')}
          </Button>
        ) : undefined
      }
    />
  );
}
