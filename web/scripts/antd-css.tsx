// Rendered in Node by antd-css.mjs: one of each antd component the pages' first screens draw,
// under the app's theme, so that @ant-design/cssinjs records their styles. Components that only
// open on a tap (DatePicker, Drawer, Popconfirm, Upload …) are left out: their styles are
// generated when they first open, and the file every page downloads stays small.
import { renderToString } from 'react-dom/server';
import { createCache, extractStyle, StyleProvider } from '@ant-design/cssinjs';
import {
  Alert, App, Avatar, Badge, Button, Card, Col, Collapse, ConfigProvider, Descriptions, Dropdown, Empty, Form, Input, InputNumber, Layout, List, Menu, Modal, Pagination, Progress, Row, Segmented, Select, Skeleton, Space, Spin, Statistic, Steps, Table, Tabs, Tag, Typography,
} from 'antd';
import { theme } from '../src/theme';

function Everything() {
  const many = Array.from({ length: 30 }, (_, i) => ({ key: i, a: i }));
  return (
    <App>
      <Layout>
        <Layout.Sider>
          <Menu theme="dark" mode="inline" items={[{ key: 'a', label: 'a' }]} />
        </Layout.Sider>
        <Layout.Header />
        <Layout.Content>
          <Menu mode="horizontal" items={[{ key: 'a', label: 'a' }]} />
          <Alert message="a" showIcon />
          <Avatar>A</Avatar>
          <Badge count={1}>
            <span>a</span>
          </Badge>
          <Badge status="success" text="a" />
          <Button type="primary">a</Button>
          <Card title="a" extra="b" size="small">
            a
          </Card>
          <Row gutter={8}>
            <Col span={12}>a</Col>
          </Row>
          <Collapse items={[{ key: 'a', label: 'a', children: 'a' }]} />
          <Descriptions items={[{ key: 'a', label: 'a', children: 'a' }]} />
          <Empty />
          {/* In the shell of every page: the account dialog (closed) and the user menu. */}
          <Modal open={false} title="a" />
          <Dropdown menu={{ items: [{ key: 'a', label: 'a' }] }}>
            <span>a</span>
          </Dropdown>
          <Form>
            <Form.Item label="a" name="a" rules={[{ required: true }]} help="a" validateStatus="error">
              <Input />
            </Form.Item>
          </Form>
          <Input.Password />
          <Input.TextArea />
          <Input.Search />
          <InputNumber />
          <List dataSource={['a']} renderItem={(x) => <List.Item>{x}</List.Item>} />
          <Pagination total={100} />
          <Progress percent={10} />
          <Progress type="circle" percent={10} />
          <Segmented options={['a', 'b']} />
          <Select options={[{ value: 'a' }]} />
          <Select mode="multiple" options={[{ value: 'a' }]} />
          <Skeleton active />
          <Skeleton.Button />
          <Skeleton.Node />
          <Space.Compact>
            <Input />
          </Space.Compact>
          <Space wrap>a</Space>
          <Spin />
          <Statistic value={1} />
          <Steps items={[{ title: 'a' }]} />
          <Table dataSource={many} columns={[{ title: 'a', dataIndex: 'a', sorter: true }]} size="small" />
          <Tabs items={[{ key: 'a', label: 'a', children: 'a' }]} />
          <Tag color="green">a</Tag>
          {['success', 'processing', 'error', 'warning', 'default'].map((c) => (
            <Tag key={c} color={c}>
              a
            </Tag>
          ))}
          <Typography.Title>a</Typography.Title>
          <Typography.Text>a</Typography.Text>
          <Typography.Paragraph>a</Typography.Paragraph>
          <Typography.Link>a</Typography.Link>
        </Layout.Content>
      </Layout>
    </App>
  );
}

export function antdCss(): string {
  const cache = createCache();
  renderToString(
    <StyleProvider cache={cache}>
      <ConfigProvider theme={theme} button={{ autoInsertSpace: false }}>
        <Everything />
      </ConfigProvider>
    </StyleProvider>,
  );
  return extractStyle(cache, { plain: true, types: ['style', 'token'] });
}
