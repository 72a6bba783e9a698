import { lazy, Suspense } from 'react';
import { Skeleton } from 'antd';
import type { EChartProps } from './EChart';

const EChart = lazy(() => import('./EChart'));

/** A chart whose library arrives in its own chunk the first time a chart is shown. */
export default function Chart(props: EChartProps) {
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: props.height ?? 300 }}><span /></Skeleton.Node>}>
      <EChart {...props} />
    </Suspense>
  );
}

export const palette = {
  red: '#c8281e',
  orange: '#f2641c',
  gold: '#faad14',
  green: '#52c41a',
  blue: '#1677ff',
  grey: '#bfbfbf',
  teal: '#13c2c2',
};
