// antd's theme, locale and App context (message, modal) for a subtree that uses antd: the
// pages and dialogs that are not first screens (forms, pickers, the admin's pages). Loaded
// only with them (lazyAntd in index.tsx): the first screens are drawn by the light kit (src/ui)
// and download no antd (issue 15).
import { useEffect, useRef, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { useI18n } from '../i18n';
import { theme } from '../theme';
import { watchAntd } from '../a11y';

export default function AntdRoot({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  // antd's markup gets the repairs of a11y.ts as it renders.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => (box.current ? watchAntd(box.current) : undefined), []);
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);
  return (
    <ConfigProvider theme={theme} locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }}>
      <AntApp component={false}>
        <div ref={box} style={{ display: 'contents' }}>
          {children}
        </div>
      </AntApp>
    </ConfigProvider>
  );
}
