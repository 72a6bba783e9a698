// 中 / EN. Plain buttons, no antd: the login form uses it and carries no antd (issue 15).
import { useI18n } from '../i18n';

export default function LangSwitch({ dark }: { dark?: boolean }) {
  const { lang, setLang, t } = useI18n();
  const options = [
    { label: '中', value: 'zh' },
    { label: 'EN', value: 'en' },
  ] as const;
  return (
    <div className={`tj-seg ${dark ? 'tj-seg-dark' : ''}`} role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {options.map((o) => (
        <button key={o.value} type="button" className={lang === o.value ? 'on' : ''} aria-pressed={lang === o.value} onClick={() => setLang(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
