// Registers the service worker (web/public/sw.js) and hands it the assets this page loaded
// before it was in control, so the next start without signal finds them in its cache.
export function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(async () => {
        const reg = await navigator.serviceWorker.ready;
        const urls = performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((u) => u.startsWith(location.origin + '/assets/'));
        reg.active?.postMessage({ type: 'cache-urls', urls });
      })
      .catch(() => {
        /* no worker (an old browser, a private window): the app works online as before */
      });
  });
}
