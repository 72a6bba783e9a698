import { showDialog } from '../ui';
import { ApiError } from '../api';
import { useI18n, type Key } from '../i18n';

const LIMIT_CODES = ['claim_daily_max', 'owned_max', 'reclaim_cooldown', 'duplicate'];

/**
 * A claim refused by the public pool's limits (or 撞单) explains itself in a dialog: the title
 * names the limit, the server's message says until when. Returns false for any other error,
 * which the caller shows as before.
 */
export function useClaimRefusal() {
  const { t } = useI18n();
  return (e: unknown): boolean => {
    if (!(e instanceof ApiError) || !LIMIT_CODES.includes(e.code)) return false;
    void showDialog({ type: 'warning', title: t(`claim.${e.code}` as Key), content: <span data-testid="claim-refusal">{e.message}</span> });
    return true;
  };
}

/** A create or rename refused as 撞单: the server's message names the existing company's owner. */
export function useDuplicateRefusal() {
  const { t } = useI18n();
  return (e: unknown): boolean => {
    if (!(e instanceof ApiError) || e.code !== 'duplicate') return false;
    void showDialog({ type: 'error', title: t('dup.title'), content: <span data-testid="duplicate-refusal">{e.message}</span> });
    return true;
  };
}
