import { Segmented } from 'antd';
import { useI18n } from '../i18n';

export default function LangSwitch({ dark }: { dark?: boolean }) {
  const { lang, setLang } = useI18n();
  return (
    <Segmented
      size="small"
      data-testid="lang-switch"
      value={lang}
      onChange={(v) => setLang(v as 'zh' | 'en')}
      options={[
        { label: '中', value: 'zh' },
        { label: 'EN', value: 'en' },
      ]}
      style={dark ? { background: 'rgba(255,255,255,0.2)' } : undefined}
    />
  );
}
