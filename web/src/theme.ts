// The app's antd theme (ConfigProvider in Authed.tsx).
import { theme as antTheme, type ThemeConfig } from 'antd';

export const theme: ThemeConfig = {
  algorithm: antTheme.defaultAlgorithm,
  token: {
    colorPrimary: '#c8281e',
    colorLink: '#c8281e',
    colorInfo: '#d4380d',
    // Text colours at WCAG AA contrast (4.5:1) on white and on the layout grey: antd's
    // defaults for secondary text (45% black), errors and success draw at about 3:1.
    colorSuccess: '#237804',
    colorError: '#cf1322',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 10,
    fontSize: 14,
    colorBgLayout: '#f5f6f8',
  },
  components: {
    Layout: { siderBg: '#1d0a0a', headerBg: '#ffffff', bodyBg: '#f5f6f8' },
    Menu: {
      darkItemBg: '#1d0a0a',
      darkSubMenuItemBg: '#1d0a0a',
      darkItemSelectedBg: '#c8281e',
      darkItemColor: 'rgba(255,255,255,0.72)',
      itemBorderRadius: 8,
    },
    Card: { borderRadiusLG: 14 },
    Button: { primaryShadow: '0 2px 8px rgba(200, 40, 30, 0.25)' },
  },
};
