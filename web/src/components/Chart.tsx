import { lazy, Suspense } from 'react';
import { Skeleton } from '../ui';
import type { EChartProps } from './EChart';
import WhenVisible from './WhenVisible';

const EChart = lazy(() => import('./EChart'));

/**
 * A chart whose library arrives in its own chunk the first time a chart comes near the screen
 * (a chart below the first screen costs the first load nothing); its height is kept meanwhile.
 */
export default function Chart(props: EChartProps) {
  const h = props.height ?? 300;
  return (
    <WhenVisible height={h}>
      <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: h }}><span /></Skeleton.Node>}>
        <EChart {...props} />
      </Suspense>
    </WhenVisible>
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
