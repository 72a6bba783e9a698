// The user's message for a failed API call: the translated error code, else the server's
// message. Its own module so that the shell (the offline queue's badge) does not pull in
// components/common.tsx and the antd components it draws.
import { ApiError } from './api';
import { useI18n, type Key } from './i18n';

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
