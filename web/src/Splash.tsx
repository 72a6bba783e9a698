import { useI18n } from './i18n';

/** The app's first screen while it starts (index.html shows the same markup before any script runs). */
export function Splash() {
  const { t } = useI18n();
  return (
    <div className="tj-splash" role="status" aria-label={t('app.title')}>
      <span className="tj-brand-mark">铁</span>
      <span className="tj-splash-spin" />
    </div>
  );
}
