import { useEffect, useState } from 'react';
import { App, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api, get, type Industry, type Settings } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync } from '../hooks';
import { ErrorBox, useErrText } from '../components/common';

// The industry list, read once per page load: one home (companyParts.tsx, light pages use it too).
export { loadIndustryList as loadIndustries } from './companyParts';
import { forgetIndustryList, loadIndustryList as loadIndustries } from './companyParts';

/** The industry picker of the company form: names of the list, searchable by name or alias. */
export function IndustrySelect({ value, onChange, style, 'aria-label': ariaLabel }: { value?: string; onChange?: (v: string) => void; style?: React.CSSProperties; 'aria-label'?: string }) {
  const { t } = useI18n();
  const list = useAsync(loadIndustries, []);
  const items = list.data ?? [];
  const options = items.map((i) => ({ value: i.name, label: i.name, search: [i.name, ...i.aliases].join(' ').toLowerCase() }));
  // A company may carry an industry the list no longer has (kept by the upgrade): still show it.
  if (value && !items.some((i) => i.name === value)) options.push({ value, label: value, search: value.toLowerCase() });
  return (
    <Select
      aria-label={ariaLabel}
      showSearch
      allowClear
      value={value || undefined}
      placeholder={t('industries.pick')}
      onChange={(v) => onChange?.(v ?? '')}
      options={options}
      filterOption={(input, o) => (o?.search ?? '').includes(input.trim().toLowerCase())}
      data-testid="industry-select"
      style={style}
    />
  );
}

// The rep–buyer fit tag: one home, companyParts.tsx (the light customer pages draw it).
export { FitTag } from './companyParts';

/** Settings tab: the admin edits the list (names and aliases); others read it. */
export function IndustriesEditor() {
  const me = useMe();
  const admin = me.role === 'admin';
  const { t } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const s = useAsync(() => get<Settings>('/settings'), []);
  const [rows, setRows] = useState<Industry[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (s.data) setRows(s.data.industries ?? []);
  }, [s.data]);
  if (s.error) return <ErrorBox error={s.error} />;
  const set = (i: number, v: Partial<Industry>) => setRows(rows.map((r, k) => (k === i ? { ...r, ...v } : r)));
  const save = async () => {
    setBusy(true);
    try {
      const body = { industries: rows.map((r) => ({ name: r.name.trim(), aliases: r.aliases })), version: s.data?.version };
      await api<Settings>('PATCH', '/settings', body);
      forgetIndustryList();
      message.success(t('common.saved'));
      s.reload();
    } catch (e) {
      message.error(errText(e));
    } finally {
      setBusy(false);
    }
  };
  const report = s.data?.vocabulary_report ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('settings.industries')}
        extra={!admin ? <Tag>{t('settings.readOnly')}</Tag> : null}
        data-testid="industries-card"
      >
        <Typography.Paragraph type="secondary">{t('industries.hint')}</Typography.Paragraph>
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={rows}
          columns={[
            {
              title: t('industries.name'),
              width: 200,
              render: (_: unknown, r: Industry, i: number) =>
                admin ? <Input value={r.name} maxLength={50} onChange={(e) => set(i, { name: e.target.value })} /> : r.name,
            },
            {
              title: t('industries.aliases'),
              render: (_: unknown, r: Industry, i: number) =>
                admin ? (
                  <Select
                    mode="tags"
                    style={{ width: '100%' }}
                    value={r.aliases}
                    placeholder={t('industries.aliasesPlaceholder')}
                    onChange={(v: string[]) => set(i, { aliases: v })}
                    open={false}
                  />
                ) : (
                  r.aliases.map((a) => <Tag key={a}>{a}</Tag>)
                ),
            },
            ...(admin
              ? [
                  {
                    title: '',
                    width: 60,
                    render: (_: unknown, _r: Industry, i: number) => (
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('industries.remove')}
                        onClick={() => setRows(rows.filter((_x, k) => k !== i))} />
                    ),
                  },
                ]
              : []),
          ]}
        />
        {admin && (
          <Space style={{ marginTop: 12 }}>
            <Button icon={<PlusOutlined />} onClick={() => setRows([...rows, { name: '', aliases: [] }])}>
              {t('industries.add')}
            </Button>
            <Button type="primary" loading={busy} onClick={save} data-testid="industries-save">
              {t('common.save')}
            </Button>
          </Space>
        )}
      </Card>
      {admin && report.length > 0 && (
        <Card size="small" title={t('industries.report')}>
          <Typography.Paragraph type="secondary">{t('industries.reportHint')}</Typography.Paragraph>
          <Table
            size="small"
            rowKey={(r) => `${r.field}:${r.value}`}
            pagination={false}
            dataSource={report}
            columns={[
              { title: t('industries.name'), render: (_: unknown, r) => t(`industries.field.${r.field}` as Key) },
              { title: '', dataIndex: 'value' },
              { title: '', render: (_: unknown, r) => `${t(`industries.action.${r.action}` as Key)}${r.mapped_to && r.mapped_to !== r.value ? ` → ${r.mapped_to}` : ''}` },
              { title: '', dataIndex: 'count', width: 80 },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
