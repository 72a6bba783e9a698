// The one door to antd from a light page: a component whose code uses antd is loaded, with
// antd's root (Root.tsx) and its static styles (antdStyles.ts), when it is first rendered.
import { createElement, lazy, type ComponentType } from 'react';
import { loadAntdStyles } from '../antdStyles';

type Mod<P> = { default: ComponentType<P> };

/** Loads `load`'s component inside antd's root; the same promise loads a page or a dialog. */
export function withAntd<P extends object>(load: () => Promise<Mod<P>>): () => Promise<Mod<P>> {
  return () =>
    Promise.all([load(), import('./Root'), loadAntdStyles()]).then(([m, r]) => ({
      default: (p: P) => createElement(r.default, null, createElement(m.default, p)),
    }));
}

/** React.lazy of a component that uses antd (see withAntd). */
export function lazyAntd<P extends object>(load: () => Promise<Mod<P>>) {
  return lazy(withAntd(load));
}
