// Small shared names of the pages (the coaching loop's stages, a customer's sources, a contact's
// styles), in a file of their own so that a light page importing them pulls in no antd page.
import { useI18n, type Key } from '../i18n';

/** The four stages of the 陪访 coaching loop (LogVisit.tsx). */
export const STAGES: { v: number; k: Key }[] = [
  { v: 1, k: 'stage.1' },
  { v: 2, k: 'stage.2' },
  { v: 3, k: 'stage.3' },
  { v: 4, k: 'stage.4' },
];

/** A customer's sources (Customers.tsx) and a contact's styles (CustomerDetail.tsx). */
export const SOURCES = ['ad', 'referral', 'competitor', 'exhibition', 'cold', 'other'];
export const STYLES = ['driver', 'analytical', 'amiable', 'expressive'];

/** Names of a source and a style (CustomerDetail.tsx's useLabel). */
export function useLabel() {
  const { t } = useI18n();
  return {
    source: (s: string) => (s && SOURCES.includes(s) ? t(`source.${s}` as Key) : s || '—'),
    style: (s: string) => (s && STYLES.includes(s) ? t(`style.${s}` as Key) : s || '—'),
  };
}
