// antd's styles, extracted at build time (web/scripts/antd-css.mjs) in four files, so that the
// browser parses them in four short tasks instead of one long one. They are linked, in order,
// with the first page or dialog that uses antd (src/antd: withAntd, lazyAntd), before antd
// renders: @ant-design/cssinjs reads their cache-path map once, at its first style, and
// generates nothing it finds there. The first screens use no antd (src/ui) and load none.
import s0 from './antd-static-0.css?url';
import s1 from './antd-static-1.css?url';
import s2 from './antd-static-2.css?url';
import s3 from './antd-static-3.css?url';

let loading: Promise<void> | null = null;

/** Links the stylesheets (once) and resolves when each has loaded or failed. */
export function loadAntdStyles(): Promise<void> {
  if (!loading) {
    loading = Promise.all(
      [s0, s1, s2, s3].map(
        (href) =>
          new Promise<void>((done) => {
            const link = document.createElement('link');
            link.rel = 'stylesheet';
            link.href = href;
            // A failed file only costs speed: cssinjs then generates the styles it lacks.
            link.onload = () => done();
            link.onerror = () => done();
            document.head.appendChild(link);
          }),
      ),
    ).then(() => undefined);
  }
  return loading;
}
