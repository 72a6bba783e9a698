import { useState } from 'react';
import { App, Button, Card, Col, Descriptions, Popconfirm, Row, Skeleton, Space, Steps, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExperimentOutlined } from '@ant-design/icons';
import { api, getOptional, type Target } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync, useTeams } from '../hooks';
import { todayIn } from '../dates';
import { ComingSoon, ErrorBox, useErrText } from '../components/common';
import { myTeams, TeamSelect } from './Team';

type Layer = 'source' | 'people' | 'system';
interface Diagnosis {
  source?: Record<string, unknown>;
  people?: Record<string, unknown>;
  system?: { metric?: string; current?: number; suggested?: number; [k: string]: unknown };
  first_failing?: Layer | 'none';
  [k: string]: unknown;
}

const LAYERS: Layer[] = ['source', 'people', 'system'];

function Value({ v }: { v: unknown }) {
  const { fmt, lang } = useI18n();
  if (v === null || v === undefined) return <>—</>;
  if (typeof v === 'number') return <>{Number.isInteger(v) ? fmt.num(v) : v >= 0 && v <= 1 ? fmt.pct(v, 1) : fmt.num(v, 2)}</>;
  if (typeof v === 'boolean') return <>{v ? '✓' : '✗'}</>;
  if (typeof v === 'string') return <span className="tj-break">{v}</span>;
  if (Array.isArray(v)) return <span className="tj-break">{v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(lang === 'zh' ? '、' : ', ')}</span>;
  return <span className="tj-break" style={{ fontSize: 12 }}>{JSON.stringify(v)}</span>;
}

export default function Diagnosis() {
  const me = useMe();
  const { t, tz } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const { teams } = useTeams();
  const today = todayIn(tz);
  const [teamId, setTeamId] = useState<number | undefined>();
  const mine = myTeams(teams, me.id, me.role);
  const effectiveTeam = teamId ?? (mine.length === 1 ? mine[0].id : undefined);
  const data = useAsync(() => getOptional<Diagnosis>('/diagnosis', { as_of: today, team_id: teamId }), [today, teamId]);
  const [applying, setApplying] = useState(false);
  const d = data.data;
  const failing = d?.first_failing ?? 'none';

  const apply = async () => {
    if (!d?.system || d.system.suggested === undefined || !effectiveTeam) return;
    setApplying(true);
    try {
      await api<Target>('PUT', '/targets', {
        scope: 'team',
        scope_id: effectiveTeam,
        metric: d.system.metric ?? 'effective_new',
        period: 'day',
        value: d.system.suggested,
        reason: t('diag.reason', { from: d.system.current ?? '', to: d.system.suggested }),
      });
      message.success(t('diag.applied'));
      data.reload();
    } catch (e) {
      message.error(errText(e));
    } finally {
      setApplying(false);
    }
  };

  return (
    <div className="tj-card-gap">
      <Card size="small">
        <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <ExperimentOutlined style={{ fontSize: 22, color: '#c8281e', marginTop: 2 }} />
          <div style={{ flex: 1, minWidth: 200 }}>
            <Typography.Text strong>{t('diag.title')}</Typography.Text>
            <div className="tj-muted" style={{ fontSize: 13 }}>{t('diag.hint')}</div>
          </div>
          <TeamSelect value={teamId} onChange={setTeamId} />
        </div>
      </Card>
      <ErrorBox error={data.error} />
      {data.loading ? (
        <Skeleton active />
      ) : d === null ? (
        <Card>
          <ComingSoon what="soon.diagnosis" />
        </Card>
      ) : d ? (
        <>
          <Card size="small">
            <Steps
              responsive={false}
              size="small"
              current={failing === 'none' ? 3 : LAYERS.indexOf(failing as Layer)}
              status={failing === 'none' ? 'finish' : 'error'}
              items={LAYERS.map((l) => ({ title: t(`diag.${l}` as Key) }))}
            />
            <div style={{ marginTop: 12, fontWeight: 600 }} data-testid="diag-verdict">
              {failing === 'none' ? t('diag.allOk') : t('diag.firstFailing', { layer: t(`diag.${failing}` as Key) })}
            </div>
          </Card>
          <Row gutter={[12, 12]}>
            {LAYERS.map((l) => {
              const body = (d[l] ?? {}) as Record<string, unknown>;
              const bad = failing === l;
              return (
                <Col xs={24} lg={8} key={l}>
                  <Card
                    size="small"
                    title={
                      <Space>
                        {bad ? <CloseCircleFilled style={{ color: '#cf1322' }} /> : <CheckCircleFilled style={{ color: '#52c41a' }} />}
                        {t(`diag.${l}` as Key)}
                      </Space>
                    }
                    extra={bad ? <Tag color="red">{t('diag.failing')}</Tag> : null}
                    style={{ height: '100%', borderColor: bad ? '#ffa39e' : undefined }}
                  >
                    <div className="tj-muted" style={{ fontSize: 12, marginBottom: 8 }}>{t(`diag.${l}.hint` as Key)}</div>
                    <Descriptions column={1} size="small">
                      {Object.entries(body)
                        .filter(([k]) => k !== 'message')
                        .map(([k, v]) => (
                          <Descriptions.Item key={k} label={t(`diag.f.${k}` as Key) === `diag.f.${k}` ? k : t(`diag.f.${k}` as Key)}>
                            <Value v={v} />
                          </Descriptions.Item>
                        ))}
                    </Descriptions>
                    {typeof body.message === 'string' && <div className="tj-break" style={{ marginTop: 8 }}>{body.message}</div>}
                    {l === 'system' && d.system?.suggested !== undefined && (
                      <div style={{ marginTop: 12, background: '#fff7e6', borderRadius: 10, padding: 12 }}>
                        <div>
                          {t('diag.suggest', { metric: t(`metric.${d.system.metric ?? 'effective_new'}` as Key), from: d.system.current ?? '—', to: d.system.suggested })}
                        </div>
                        <Popconfirm title={t('diag.applyConfirm')} onConfirm={apply} disabled={!effectiveTeam || d.system.suggested === d.system.current}>
                          <Button type="primary" style={{ marginTop: 8 }} loading={applying} disabled={!effectiveTeam || d.system.suggested === d.system.current} data-testid="diag-apply">
                            {t('diag.apply')}
                          </Button>
                        </Popconfirm>
                        {!effectiveTeam && <div className="tj-muted" style={{ fontSize: 12, marginTop: 4 }}>{t('diag.pickTeam')}</div>}
                      </div>
                    )}
                  </Card>
                </Col>
              );
            })}
          </Row>
        </>
      ) : null}
    </div>
  );
}
