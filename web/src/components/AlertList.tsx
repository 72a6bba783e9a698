import { Button, List, Space, Tag, Typography } from 'antd';
import { EditOutlined, RightOutlined } from '@ant-design/icons';
import type { Alert, User } from '../api';
import { useI18n, type Key } from '../i18n';
import { useRouter } from '../router';
import { useCompanies } from '../companyNames';

export const TIME_SINK_KINDS = ['time_sink_last_month', 'sign_or_drop', 'not_effective', 'find_payer'];

const kindColor: Record<string, string> = {
  time_sink_last_month: 'red',
  sign_or_drop: 'volcano',
  not_effective: 'orange',
  find_payer: 'gold',
  nurture_due: 'blue',
  low_new_share: 'purple',
  below_quota: 'magenta',
};

export function AlertKindTag({ kind }: { kind: string }) {
  const { t } = useI18n();
  const k = `alert.${kind}` as Key;
  const label = t(k);
  return <Tag color={kindColor[kind] ?? 'default'}>{label === k ? kind : label}</Tag>;
}

export default function AlertList({ alerts, users, testId }: { alerts: Alert[]; users?: Map<number, User>; testId?: string }) {
  const { t } = useI18n();
  const { navigate } = useRouter();
  const companies = useCompanies(alerts.map((a) => a.company_id));
  return (
    <List
      data-testid={testId}
      dataSource={alerts}
      locale={{ emptyText: t('alerts.none') }}
      renderItem={(a, i) => {
        const c = a.company_id ? companies.get(a.company_id) : undefined;
        const name = (typeof a.company_name === 'string' && a.company_name) || c?.name;
        const rep = a.rep_id && users ? users.get(a.rep_id) : undefined;
        return (
          <List.Item
            key={i}
            data-kind={a.kind}
            actions={
              a.company_id
                ? [
                    <Button
                      key="v"
                      size="small"
                      type="link"
                      icon={<EditOutlined />}
                      onClick={() => navigate(`/visit?company=${a.company_id}`)}
                    >
                      {t('alerts.logVisit')}
                    </Button>,
                    <Button key="o" size="small" type="text" icon={<RightOutlined />} onClick={() => navigate(`/customers/${a.company_id}`)} aria-label={t('common.open')} />,
                  ]
                : undefined
            }
          >
            <List.Item.Meta
              title={
                <Space size={6} wrap>
                  <AlertKindTag kind={a.kind} />
                  {name && <Typography.Text strong className="tj-break">{name}</Typography.Text>}
                  {rep && <Typography.Text type="secondary">· {rep.display_name}</Typography.Text>}
                </Space>
              }
              description={<span className="tj-break">{a.message}</span>}
            />
          </List.Item>
        );
      }}
    />
  );
}
