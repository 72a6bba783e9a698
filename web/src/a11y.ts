// Accessibility repairs of antd's markup that its props cannot reach (axe-core, issue 15
// part 6). Applied by the shell to the page's subtree as it renders:
//  - a table that scrolls sideways (`.ant-table-content` / `.ant-table-body` with overflow)
//    gets tabindex=0 so a keyboard user can scroll it (axe scrollable-region-focusable);
//  - Tabs: antd puts role=tablist on `.ant-tabs-nav`, whose children include the overflow
//    "more" button, which is not a tab (axe aria-required-children); the tablist role moves
//    to `.ant-tabs-nav-list`, which holds only the tabs.
//  - List.Item.Meta titles are <h4>: an item's label in a list, not a section of the page, and
//    under the page's <h1>/<h2> they skip levels (axe heading-order, Lighthouse on Today and a
//    customer); they lose the heading role (role=none), keeping their look.
// Each repair is idempotent and leaves elements antd does not re-render alone.
export function repairAntd(root: ParentNode) {
  root.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body').forEach((el) => {
    if (!el.hasAttribute('tabindex')) el.tabIndex = 0;
  });
  root.querySelectorAll<HTMLElement>('.ant-tabs-nav[role="tablist"]').forEach((nav) => {
    const list = nav.querySelector<HTMLElement>('.ant-tabs-nav-list');
    if (!list) return;
    list.setAttribute('role', 'tablist');
    const o = nav.getAttribute('aria-orientation');
    if (o) list.setAttribute('aria-orientation', o);
    nav.removeAttribute('role');
    nav.removeAttribute('aria-orientation');
  });
  root.querySelectorAll<HTMLElement>('h4.ant-list-item-meta-title:not([role])').forEach((h) => h.setAttribute('role', 'none'));
}

/** Repairs `root` now and whenever its subtree changes; returns the disconnect. */
export function watchAntd(root: HTMLElement): () => void {
  let queued = false;
  const run = () => {
    queued = false;
    repairAntd(root);
  };
  const mo = new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(run);
    }
  });
  mo.observe(root, { subtree: true, childList: true });
  run();
  return () => mo.disconnect();
}
